// The hub's HTTP/1.1 front door, event-driven (Boost.Beast on Boost.Asio): a few I/O threads read and write
// every connection, and a request reaches a handler thread only once it has fully arrived, so a slow client
// holds a descriptor and a small buffer, never a thread. Every limit holds before the work it guards: the
// head (size, field count, target length), the framing (one length, chunked or none), the body (per route,
// checked against the declared length before reading and while reading), and one deadline for the whole
// request. Connections that have not yet shown a kiosk's or user's credential are capped per peer address
// and in total; at the cap the oldest idle one makes room, so proven kiosk connections keep theirs.
// Private to hub/: server.cpp declares the routes; nothing of Boost leaks out of http_server.cpp (and the
// request path it shares with the fuzz target, http_request.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truthpoint/hub/metrics.hpp"

#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub::http {

struct Field {
    std::string name;
    std::string value;
};

struct Request {
    std::string method;  // upper case as sent; HEAD is served by the GET route
    std::string target;  // as sent: path and query
    std::string path;    // percent-decoded
    std::vector<Field> headers;
    std::vector<std::pair<std::string, std::string>> params;  // the query's, then a form body's
    std::optional<std::uint64_t> content_length;             // none when chunked or absent
    std::string body;                                         // as received: still encoded if Content-Encoding says so
    std::string remote_addr;
    std::chrono::steady_clock::time_point started{};  // when the head was complete
    // What the handlers learnt, for the access log: who sent it ("k-001", "user:ann") and how many items.
    std::string who;
    std::int64_t items = -1;

    bool has_header(std::string_view name) const;
    std::string get_header_value(std::string_view name) const;  // the first; "" when absent
    bool has_param(std::string_view name) const;
    std::string get_param_value(std::string_view name) const;  // the first; "" when absent
};

struct Response {
    int status = 200;
    std::vector<Field> headers;  // Content-Length and Connection are the server's
    std::string body;
    bool close = false;  // end the connection after this answer
    // The request proved a kiosk's or a signed-in user's credential: from now on its connection no longer
    // counts against the caps for unproven ones and is never closed to make room.
    bool proven = false;
    // Instead of `body`, for an answer too large to hold: written while it is produced (Transfer-Encoding:
    // chunked), on the handler thread once the head is sent. Each `write` returns once the client has taken
    // the bytes (or they wait in a buffer), false when it is gone, too slow (write_timeout) or the server is
    // stopping: stop producing then. Return false when the body could not be finished (the database failed):
    // the connection ends without the last chunk, so the client sees the answer was cut short.
    using BodyWriter = std::function<bool(std::string_view bytes)>;
    std::function<bool(const BodyWriter& write)> stream;

    void set_header(std::string name, std::string value);
    void set_content(std::string content, std::string_view content_type);
    std::string get_header_value(std::string_view name) const;
};

struct Route {
    std::string method;  // "GET", "POST", "DELETE"
    std::string path;
    std::size_t max_body_bytes = 0;  // on the wire; a larger declared length is refused before reading
    // Decides from the head alone; false refuses with what it wrote into the response. It runs before any
    // body is read or "100 Continue" sent, except for a body already on its way that fits the shared budget
    // (Limits::max_unadmitted_body_bytes): that one is read first and admitted just before its handler.
    // Runs on a handler thread (it may read the store). Optional.
    std::function<bool(Request&, Response&)> admit;
    std::function<void(Request&, Response&)> handle;
    // Whether a Content-Encoding (gzip, deflate) may come with the body; the handler undoes it with
    // decode_content(). Elsewhere an encoded body is refused (415) unread: nothing inflates it.
    bool decodes_content = false;
};

struct Limits {
    std::size_t max_head_bytes = 16 * 1024;  // request line and header fields together
    std::size_t max_header_fields = 100;
    std::size_t max_target_bytes = 8 * 1024;
    // From the first byte of a request to the last of its body (a new connection: from its accept).
    std::chrono::milliseconds request_deadline{10'000};
    std::chrono::milliseconds keep_alive_timeout{1'000};  // for the first byte of the next request
    std::chrono::milliseconds write_timeout{10'000};
    std::size_t keep_alive_max_requests = 100;
    std::size_t max_connections = 10'000;
    // Connections that have not yet proven a credential: in all, and from one peer address.
    std::size_t max_unproven_connections = 4'096;
    std::size_t max_unproven_per_peer = 512;
    // Bodies read before the head was admitted (one trip to a handler thread instead of two), in all; past
    // it, heads are admitted first. Bounds what strangers can make the hub buffer.
    std::size_t max_unadmitted_body_bytes = 64 * 1024 * 1024;
    std::size_t io_threads = 2;
    std::size_t max_handler_threads = 2048;
};

class HttpServer {
public:
    // Called once per answered request, on an I/O thread, after the answer was written (or failed to be).
    using Logger = std::function<void(const Request&, const Response&)>;

    HttpServer(std::vector<Route> routes, Limits limits, Logger logger);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens (port 0 picks a free one); returns the port bound.
    Result<int> bind(const std::string& host, int port);
    // Serves until stop(); blocks the calling thread.
    Status run();
    // Thread-safe, idempotent, also before run().
    void stop();

    // Connections turned away at accept so far (thread-safe).
    hub::DoorCounts door_counts() const;

    // What it serves with: a harness runs the request path on bytes in memory with these (the fuzz target).
    const std::vector<Route>& routes() const;
    const Limits& limits() const;
    const Logger& logger() const;

    struct Impl;  // http_server.cpp: the loop, the connection table, the handler threads

private:
    std::shared_ptr<Impl> impl_;
};

// The body with its Content-Encoding (none, gzip or deflate) undone, cut off as soon as it passes
// `max_bytes`: a bomb never inflates further than that. Errors: InvalidArgument for a corrupt or cut
// stream, Unsupported for an unknown encoding. Takes the request's body when it needs no decoding.
struct DecodedBody {
    std::string bytes;
    bool too_large = false;  // `bytes` holds only what came before the cut
};
Result<DecodedBody> decode_content(Request& request, std::size_t max_bytes);

}  // namespace truthpoint::hub::http
