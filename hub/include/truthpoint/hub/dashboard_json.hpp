// The dashboard's JSON views (GET /api/v1/dashboard/...; docs/dashboard.md and docs/openapi.yaml describe
// them): the same structs the page is drawn from, numbers exactly as they hold them, null where a figure has
// no answers behind it. Every view carries the filter it was computed for.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/dashboard_queries.hpp"
#include "truthpoint/hub/dashboard_request.hpp"
#include "truthpoint/hub/dashboard_view.hpp"

namespace truthpoint::hub {

// {"region": ...|null, "store": ...|null, "sku": ...|null, "period", "from", "to", "misuse": bool}
nlohmann::json dashboard_filter_to_json(const DashboardQuery& query);
nlohmann::json period_figures_to_json(const PeriodFigures& figures);

// Each view: {"filter": ..., <its own fields>}.
nlohmann::json summary_to_json(const DashboardQuery& query, const PeriodFigures& current, const PeriodFigures& previous);
nlohmann::json trend_to_json(const DashboardQuery& query, const std::vector<TrendPoint>& points);
nlohmann::json heat_map_to_json(const DashboardQuery& query, const std::vector<HeatCell>& cells);
nlohmann::json rankings_to_json(const DashboardQuery& query, const DashboardRankings& rankings);
nlohmann::json feedback_to_json(const DashboardQuery& query, const std::vector<FeedbackRow>& rows);
nlohmann::json kiosks_to_json(const DashboardQuery& query, const std::vector<KioskHealthRow>& kiosks);
nlohmann::json places_to_json(const DashboardQuery& query, const DashboardPlaces& places);

}  // namespace truthpoint::hub
