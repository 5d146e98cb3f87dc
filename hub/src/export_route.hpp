// GET /api/v1/export: the dashboard's filter as CSV or NDJSON, streamed with no row cap. Private to hub/
// (it answers through the HTTP server's types); server.cpp registers it.
#pragma once

#include <optional>
#include <string>

#include "http_server.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Answers the export for a signed-in user who sees `visible_region` (a manager's; nullopt: an admin, every
// region): 400 naming a bad parameter, 403 for another region, else 200 with the events streamed as an
// attachment whose file name names the filter. A manager who names no region gets their own.
void handle_export(Store& store, const std::optional<std::string>& visible_region, const http::Request& request,
                   http::Response& response);

}  // namespace truthpoint::hub
