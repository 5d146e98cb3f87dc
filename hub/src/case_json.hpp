// Cases as the JSON of GET /api/v1/cases and GET /api/v1/cases/{id} (docs/openapi.yaml, Case).
#pragma once

#include <nlohmann/json.hpp>

#include "truthpoint/hub/alerts.hpp"

namespace truthpoint::hub {

// With age_s: seconds from opening to closing, or to `now` while the case is not closed.
nlohmann::json case_to_json(const CaseRecord& record, core::Timestamp now);
// The same with its audit trail, oldest first.
nlohmann::json case_detail_to_json(const CaseDetail& detail, core::Timestamp now);

}  // namespace truthpoint::hub
