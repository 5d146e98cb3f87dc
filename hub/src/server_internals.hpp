// For a harness inside the project (fuzz/fuzz_http_request.cpp): the HTTP server a hub::Server serves with,
// so that its routes, limits and access log can run on bytes in memory. Not for the hub's own code.
#pragma once

#include "http_server.hpp"
#include "truthpoint/hub/server.hpp"

namespace truthpoint::hub {

struct ServerInternals {
    static const http::HttpServer& http(const Server& server);
};

}  // namespace truthpoint::hub
