// Cases as the JSON of GET /api/v1/cases and GET /api/v1/cases/{id} (docs/openapi.yaml, Case), and reviews
// as that of GET /api/v1/reviews (Review).
#pragma once

#include <nlohmann/json.hpp>

#include "truthpoint/hub/alerts.hpp"
#include "truthpoint/hub/reviews.hpp"

namespace truthpoint::hub {

// With age_s: seconds from opening to closing, or to `now` while the case is not closed.
nlohmann::json case_to_json(const CaseRecord& record, core::Timestamp now);
// The same with its audit trail, oldest first.
nlohmann::json case_detail_to_json(const CaseDetail& detail, core::Timestamp now);

// With the moderator's flags (review_flags) and age_s: seconds from the review to `now`.
nlohmann::json review_to_json(const ReviewRecord& review, core::Timestamp now);

}  // namespace truthpoint::hub
