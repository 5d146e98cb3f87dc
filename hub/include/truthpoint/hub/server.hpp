// The hub's HTTP server (cpp-httplib): POST /api/v1/batches, POST /api/v1/receipts, GET /api/v1/config,
// GET /healthz, GET /metrics, GET /, GET /api/v1/stats. One JSON log line per request on stderr.
// httplib stays out of this header; the routes live in server.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

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

// Enough for 1,000 kiosks each holding a keep-alive connection, with room for dashboards and bursts.
inline constexpr std::size_t kDefaultMaxWorkerThreads = 2048;

struct ServerOptions {
    // cpp-httplib holds one thread per open connection (keep-alive included) for as long as it is open,
    // so the number of threads bounds the connections served at once: beyond it, connections wait in
    // line behind idle ones. Threads are started as connections arrive and end after 30 s idle; this is
    // the most at once. Each live connection costs ~75 KB of the hub's memory (measured: 1,003 threads,
    // 88 MB RSS).
    std::size_t worker_threads = 0;  // 0: kDefaultMaxWorkerThreads
    std::size_t keep_alive_max_requests = 100;
    // httplib 0.11 waits for a connection's next request by polling every ~11 ms, so each idle keep-alive
    // connection costs ~170 syscalls a second: 1,000 kiosks holding theirs open for 5 s saturate a 2-core
    // machine (p50 225 ms, p99 614 ms; with 1 s: 8 ms and ~60 ms; BENCHMARKS.md). One second still keeps a
    // draining kiosk's back-to-back batches on one connection; a kiosk syncing every few seconds
    // reconnects, which costs far less. Not 0: httplib applies the same wait to a new connection's first
    // request (0 would give it ~10 ms, and a burst lost a batch).
    std::chrono::seconds keep_alive_timeout{1};
    std::chrono::seconds read_timeout{10};
    std::chrono::seconds write_timeout{10};
    std::size_t max_body_bytes = kMaxBatchBodyBytes;  // on the wire and once decompressed
    // A kiosk token found valid is trusted this long without asking the store again: a revoked kiosk is
    // refused at the latest this long after `kiosk revoke`. 0 asks the store on every request.
    std::chrono::seconds token_cache_ttl{5};
    IngestQueueOptions ingest;  // the bounded queue and group commit in front of the store
    bool log_requests = true;   // one JSON line per request on stderr
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
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
