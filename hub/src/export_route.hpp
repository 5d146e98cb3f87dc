// GET /api/v1/export: the dashboard's filter as CSV or NDJSON, streamed with no row cap. Private to hub/
// (it answers through the HTTP server's types); server.cpp registers it.
#pragma once

#include <optional>
#include <string>

#include "http_server.hpp"
#include "truthpoint/hub/dashboard_view.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Answers 200 with the events of `filter` (read by dashboard_query, so scoped to what the user may see)
// streamed as an attachment whose file name names the filter.
void handle_export(Store& store, ExportFormat format, const DashboardFilter& filter, http::Response& response);

}  // namespace truthpoint::hub
