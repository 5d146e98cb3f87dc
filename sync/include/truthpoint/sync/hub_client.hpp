// The kiosk's HTTP transport to the hub: one reused libcurl handle, gzip bodies, connect and total
// timeouts, and cancellation from another thread. It knows nothing of retry policy or the ledger.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/result.hpp"

typedef void CURL;

namespace truthpoint::sync {

struct HubEndpoint {
    std::string url;    // "http://127.0.0.1:8080", no trailing slash
    std::string token;  // the kiosk's bearer token
};

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds total_timeout{30000};
    std::string ca_file;            // empty: the system's CA store. Verification is always on.
    std::string pinned_public_key;  // "sha256//BASE64": refuse any other server key (CURLOPT_PINNEDPUBLICKEY)
    std::chrono::milliseconds probe_timeout{5000};  // GET /healthz: a hub that is up answers at once
};

// An HTTP answer the hub gave, whatever its status: a 4xx or 5xx is an answer, not a transport failure.
struct HttpAnswer {
    long status = 0;
    std::string body;
    std::optional<std::chrono::seconds> retry_after;  // from a Retry-After header
    std::string etag;                                 // from an ETag header (get_config), quotes included
};

// The answer, or an Unavailable error when no HTTP answer came at all (connect, TLS, timeout, cancel).
using HttpResult = core::Result<HttpAnswer>;

// Which kiosk the hub says a token belongs to (GET /api/v1/kiosk): the hub files every event under these,
// whatever the kiosk's configuration says.
struct KioskIdentity {
    std::string kiosk_id;
    std::string store_id;
    std::string region;  // empty when the kiosk was enrolled without one
};

// Why a request got no HTTP answer, for a person: the network, or the hub's certificate (Untrusted).
inline core::SyncProblem unreached_problem(const core::Error& error) {
    return error.code == core::ErrorCode::Untrusted ? core::SyncProblem::HubNotTrusted : core::SyncProblem::HubUnreachable;
}

class HubClient {
public:
    HubClient(HubEndpoint endpoint, TransportOptions options = {}, const std::atomic<bool>* cancel = nullptr);
    ~HubClient();
    HubClient(const HubClient&) = delete;
    HubClient& operator=(const HubClient&) = delete;

    // POST /api/v1/batches with a body already compressed by gzip_compress (so that a caller can compress
    // the next batch while this one travels).
    HttpResult post_compressed_batch(std::string_view gzip_body);
    // GET /api/v1/config (gzip accepted). A non-empty `etag` is sent as If-None-Match: 304 means unchanged.
    HttpResult get_config(const std::string& etag);
    // GET /api/v1/kiosk: which kiosk this client's token belongs to. Errors, each with a message that names
    // the hub and says what to check: Unavailable or Untrusted when no answer came (as describe_unreached
    // words it); Unauthorized for 401/403; NotFound for 404 (a hub older than the route, or [hub] url
    // naming another server); Busy for 408/429/5xx (retry_after when the hub said); Internal for a 200
    // whose body is not the documented object.
    core::Result<KioskIdentity> whoami();
    // GET /healthz: is the hub answering at all? No token sent; answers within `probe_timeout`.
    HttpResult get_health();
    const HubEndpoint& endpoint() const { return endpoint_; }
    std::size_t last_request_bytes() const { return last_request_bytes_; }

private:
    // GET `path` with the kiosk's token (and one more header, if not empty); `over_limit`, when given,
    // says whether the body passed the response cap.
    HttpResult get_with_token(const std::string& path, const std::string& extra_header, bool* over_limit);
    // Timeouts, TLS verification, CA file, pinning, cancellation, headers and errors: every request's.
    void apply_transport_settings(void* header_capture, char* error_buffer);

    HubEndpoint endpoint_;
    TransportOptions options_;
    const std::atomic<bool>* cancel_;
    CURL* curl_ = nullptr;
    std::size_t last_request_bytes_ = 0;
};

// A request that got no HTTP answer, for a person: "cannot reach the hub at URL: ...", or for a hub whose
// certificate or key did not check out "will not talk to the hub at URL: ...".
std::string describe_unreached(const std::string& url, const core::Error& error);

// A whole request the hub turned away (any status but 200), as the code a caller branches on and the words a
// person reads: Busy for a 429 or 503 with Retry-After, Unavailable for another retryable status (408, 429,
// 5xx), Unauthorized for 401/403 (naming [hub] token), NotFound for 404 (naming [hub] url),
// InvalidArgument otherwise. `url` is the hub's, for the message.
core::Error refused_answer(const std::string& url, const HttpAnswer& answer);
// 408, 429 and 5xx: the hub may take the same request later.
bool retryable_status(long status);
// The "error" of the hub's JSON error body, or "" when it sent none.
std::string hub_error_message(const HttpAnswer& answer);

// gzip (RFC 1952) at the given zlib level.
std::string gzip_compress(std::string_view data, int level = 6);

}  // namespace truthpoint::sync
