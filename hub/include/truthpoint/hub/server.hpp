// The hub's HTTP server: POST /api/v1/batches, POST /api/v1/receipts, GET /api/v1/config, GET /healthz,
// GET /metrics, GET /, GET /api/v1/stats, sign-in and BI routes. One JSON log line per request on stderr.
// The HTTP machinery stays out of this header; the routes live in server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "truthpoint/core/translations.hpp"
#include "truthpoint/hub/ingest_queue.hpp"
#include "truthpoint/hub/limits.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

struct ListenAddress {
    std::string host;  // without brackets, even for IPv6
    int port = 0;      // 0: any free port
};

// "HOST:PORT" or "[IPv6]:PORT". The message of an InvalidArgument error follows "--listen: ".
Result<ListenAddress> parse_listen_address(std::string_view text);

// "http://HOST:PORT", with brackets around an IPv6 host.
std::string format_http_url(const ListenAddress& address);

// Request handlers at once: a batch's handler waits for the group commit, and 1,000 kiosks may send at once.
inline constexpr std::size_t kDefaultMaxWorkerThreads = 2048;

struct ServerOptions {
    // Handler threads, started as requests arrive and let go after 30 s idle; this is the most at once.
    // A connection holds no thread while its request arrives or while it idles between requests.
    std::size_t worker_threads = 0;  // 0: kDefaultMaxWorkerThreads
    std::size_t keep_alive_max_requests = 100;
    // How long an open connection may wait for its next request to begin. One second keeps a draining
    // kiosk's back-to-back batches on one connection; a kiosk syncing every few seconds reconnects.
    std::chrono::milliseconds keep_alive_timeout{1000};
    // From the first byte of a request (a new connection: from its accept) to the last of its body; past
    // it the request is answered 408 and the connection closed, however steadily the bytes trickle.
    std::chrono::milliseconds request_timeout{10'000};
    std::chrono::milliseconds write_timeout{10'000};
    // Open connections at most; the open-file limit is raised to match where the hard limit allows.
    std::size_t max_connections = 10'000;
    // Connections that have not yet shown a kiosk's, point of sale's or user's credential: in all (at the cap,
    // the oldest one still waiting for its client is closed to make room), and from one peer address (over
    // it, a new one is refused with 503). A kiosk's connection leaves both counts with its first accepted
    // request, so slow or idle strangers never take a kiosk's place.
    std::size_t max_unproven_connections = 4096;
    std::size_t max_unproven_per_peer = 512;
    std::size_t max_body_bytes = kMaxBatchBodyBytes;  // on the wire and once decompressed
    // A kiosk token found valid is trusted this long without asking the store again: a revoked kiosk is
    // refused at the latest this long after `kiosk revoke`. 0 asks the store on every request.
    std::chrono::seconds token_cache_ttl{5};
    IngestQueueOptions ingest;  // the bounded queue and group commit in front of the store
    bool log_requests = true;   // one JSON line per request on stderr
    // The dashboard's catalogs (load_dashboard_texts). Null: the server loads them itself, and shows the
    // dashboard in English, with a log line, if they cannot be read; `serve` loads them first and stops
    // with the file and line of a broken catalog instead.
    std::shared_ptr<const core::Translations> dashboard_texts;
};

class Server {
public:
    // `store` must outlive the server.
    explicit Server(Store& store, ServerOptions options = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens (port 0 picks a free port); returns the address actually bound. Connections
    // are queued from here on, even before run() starts serving them.
    Result<ListenAddress> bind(const ListenAddress& address);
    // Serves until stop(). Blocks the calling thread.
    Status run();
    // Thread-safe, idempotent; also effective when called before run() starts.
    void stop();

private:
    friend struct ServerInternals;  // hub/src/server_internals.hpp: the HTTP fuzz target's way to the routes
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
