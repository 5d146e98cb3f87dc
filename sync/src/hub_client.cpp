// libcurl transport, done as sentry-native does it: one handle, error buffer, timeouts,
// the status read only on CURLE_OK, and a progress callback that cancels on shutdown.
#include "truthpoint/sync/hub_client.hpp"

#include <curl/curl.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

namespace truthpoint::sync {
namespace {

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

struct HeaderCapture {
    std::optional<std::chrono::seconds> retry_after;
    std::string etag;
};

// The value of an "ETag:" header line, trimmed; empty for any other line.
std::string etag_of(std::string_view line) {
    constexpr std::string_view kName = "etag:";
    if (line.size() <= kName.size()) return {};
    for (std::size_t i = 0; i < kName.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return {};
    }
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    return std::string(value);
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
    const std::string_view line(data, size * count);
    if (std::string etag = etag_of(line); !etag.empty()) static_cast<HeaderCapture*>(user)->etag = std::move(etag);
    constexpr std::string_view kName = "retry-after:";
    if (line.size() > kName.size()) {
        bool match = true;
        for (std::size_t i = 0; i < kName.size() && match; ++i) {
            match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
        }
        if (match) {
            long seconds = 0;
            bool digits = false;
            for (char c : line.substr(kName.size())) {
                if (c >= '0' && c <= '9') {
                    seconds = seconds * 10 + (c - '0');
                    digits = true;
                    if (seconds > 86400) break;
                } else if (digits) {
                    break;
                }
            }
            // An HTTP-date is not worth parsing here: the backoff policy covers it.
            if (digits) static_cast<HeaderCapture*>(user)->retry_after = std::chrono::seconds(seconds);
        }
    }
    return size * count;
}

// libcurl's TLS failures in words: what went wrong and which key of the kiosk's configuration to check.
// libcurl's own text follows, for IT. Other failures keep libcurl's text alone.
std::string describe_transfer_error(CURLcode code, const char* error_buffer) {
    const std::string curl_text = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
    switch (code) {
        case CURLE_PEER_FAILED_VERIFICATION:
            return "the hub's certificate is not trusted: no CA this kiosk trusts signed it, or it does not name the "
                   "host in [hub] url; check [hub] ca_file (the CA that signed the hub's certificate; without it the "
                   "system's CAs are used) and [hub] url (curl: " + curl_text + ")";
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return "the hub's public key is not the one in [hub] pinned_public_key: the hub's key was changed, or "
                   "this is not the hub; check [hub] pinned_public_key against the hub's certificate (docs/hub.md, "
                   "\"TLS with nginx\", shows how to compute it) (curl: " + curl_text + ")";
        case CURLE_SSL_CACERT_BADFILE:
            return "the CA file named by [hub] ca_file cannot be read or holds no PEM certificate; check [hub] ca_file "
                   "(curl: " + curl_text + ")";
        case CURLE_SSL_CONNECT_ERROR:
            return "the TLS handshake with the hub failed: check that [hub] url names the hub's https port (an "
                   "http:// hub needs an http:// url) and that the hub's TLS proxy is running (curl: " + curl_text + ")";
        default:
            return curl_text;
    }
}

// What a finished transfer tells: the status and headers only on CURLE_OK, otherwise why it failed.
HttpResult record_outcome(CURL* curl, CURLcode code, const HeaderCapture& captured, const char* error_buffer,
                          std::string body) {
    if (code != CURLE_OK) {
        const bool untrusted = code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
                               code == CURLE_SSL_PINNEDPUBKEYNOTMATCH || code == CURLE_SSL_ISSUER_ERROR ||
                               code == CURLE_SSL_INVALIDCERTSTATUS;
        return core::make_error(untrusted ? core::ErrorCode::Untrusted : core::ErrorCode::Unavailable,
                                describe_transfer_error(code, error_buffer));
    }
    HttpAnswer answer;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    answer.body = std::move(body);
    answer.retry_after = captured.retry_after;
    answer.etag = captured.etag;
    return answer;
}

int check_cancel(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return cancel && cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

}  // namespace

HubClient::HubClient(HubEndpoint endpoint, TransportOptions options, const std::atomic<bool>* cancel)
    : endpoint_(std::move(endpoint)), options_(std::move(options)), cancel_(cancel) {
    static std::once_flag global_init;
    std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("libcurl could not create a handle");
}

HubClient::~HubClient() { curl_easy_cleanup(curl_); }

void HubClient::apply_transport_settings(void* header_capture, char* error_buffer) {
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, header_capture);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 1L);  // always: a kiosk must never talk to an impostor
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.pinned_public_key.empty()) {
        curl_easy_setopt(curl_, CURLOPT_PINNEDPUBLICKEY, options_.pinned_public_key.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, cancel_);
}

HttpResult HubClient::post_compressed_batch(std::string_view compressed) {
    last_request_bytes_ = compressed.size();
    const std::string url = endpoint_.url + "/api/v1/batches";
    const std::string authorization = "Authorization: Bearer " + endpoint_.token;

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Content-Encoding: gzip");
    headers = curl_slist_append(headers, authorization.c_str());

    std::string body;
    HeaderCapture captured;
    char error_buffer[CURL_ERROR_SIZE] = {};

    curl_easy_reset(curl_);  // keeps the connection cache: the TCP/TLS session is reused
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, compressed.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(compressed.size()));
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body);
    apply_transport_settings(&captured, error_buffer);

    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    return record_outcome(curl_, code, captured, error_buffer, std::move(body));
}

namespace {

// A configuration larger than this is refused rather than held in memory (the hub caps it at 1 MiB).
constexpr std::size_t kMaxConfigResponseBytes = 8 * 1024 * 1024;

struct CappedBody {
    std::string* body;
    bool over_limit = false;
};

std::size_t append_capped(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<CappedBody*>(user);
    if (sink->body->size() + size * count > kMaxConfigResponseBytes) {
        sink->over_limit = true;
        return 0;  // aborts the transfer
    }
    sink->body->append(data, size * count);
    return size * count;
}

}  // namespace

HttpResult HubClient::get_with_token(const std::string& path, const std::string& extra_header, bool* over_limit) {
    last_request_bytes_ = 0;
    const std::string url = endpoint_.url + path;
    const std::string authorization = "Authorization: Bearer " + endpoint_.token;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, authorization.c_str());
    if (!extra_header.empty()) headers = curl_slist_append(headers, extra_header.c_str());

    std::string body;
    HeaderCapture captured;
    CappedBody sink{&body};
    char error_buffer[CURL_ERROR_SIZE] = {};

    curl_easy_reset(curl_);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");  // gzip or deflate, decoded by libcurl
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_capped);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
    apply_transport_settings(&captured, error_buffer);

    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (over_limit) *over_limit = code != CURLE_OK && sink.over_limit;
    return record_outcome(curl_, code, captured, error_buffer, std::move(body));
}

HttpResult HubClient::get_config(const std::string& etag) {
    bool over_limit = false;
    auto answered = get_with_token("/api/v1/config", etag.empty() ? "" : "If-None-Match: " + etag, &over_limit);
    if (over_limit) {
        return core::make_error(core::ErrorCode::Unavailable, "the hub's configuration is larger than " +
                                                                  std::to_string(kMaxConfigResponseBytes >> 20) +
                                                                  " MiB; the kiosk refused it");
    }
    return answered;
}

HttpResult HubClient::get_health() {
    last_request_bytes_ = 0;
    const std::string url = endpoint_.url + "/healthz";
    std::string body;
    HeaderCapture captured;
    CappedBody sink{&body};
    char error_buffer[CURL_ERROR_SIZE] = {};

    curl_easy_reset(curl_);  // the same connection as the pushes: a probe also checks TLS and pinning
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_capped);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &sink);
    apply_transport_settings(&captured, error_buffer);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::min(options_.probe_timeout, options_.total_timeout).count()));

    const CURLcode code = curl_easy_perform(curl_);
    return record_outcome(curl_, code, captured, error_buffer, std::move(body));
}

core::Result<KioskIdentity> HubClient::whoami() {
    const HttpResult answered = get_with_token("/api/v1/kiosk", "", nullptr);
    if (!answered) {
        return core::Error{answered.error().code, describe_unreached(endpoint_.url, answered.error()), std::nullopt};
    }
    const HttpAnswer& answer = answered.value();
    if (answer.status == 404) {
        return core::make_error(core::ErrorCode::NotFound,
                                "the hub at " + endpoint_.url + " does not answer GET /api/v1/kiosk (HTTP 404): a hub "
                                "older than this kiosk, or [hub] url names another server");
    }
    if (retryable_status(answer.status)) {  // it answered, but cannot say now
        core::Error busy = refused_answer(endpoint_.url, answer);
        busy.code = core::ErrorCode::Busy;
        return busy;
    }
    if (answer.status != 200) return refused_answer(endpoint_.url, answer);
    const auto json = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
    const auto text = [&](const char* key) -> std::optional<std::string> {
        if (!json.is_object() || !json.contains(key) || !json[key].is_string()) return std::nullopt;
        return json[key].get<std::string>();
    };
    const auto kiosk = text("kiosk");
    const auto store = text("store");
    if (!kiosk || !store || kiosk->empty() || store->empty()) {
        return core::make_error(core::ErrorCode::Internal, "the hub at " + endpoint_.url +
                                                               " answered GET /api/v1/kiosk without its kiosk and store: " +
                                                               answer.body.substr(0, 200));
    }
    return KioskIdentity{*kiosk, *store, text("region").value_or("")};
}

std::string describe_unreached(const std::string& url, const core::Error& error) {
    return (error.code == core::ErrorCode::Untrusted ? "will not talk to the hub at " : "cannot reach the hub at ") + url +
           ": " + error.message;
}

bool retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

std::string hub_error_message(const HttpAnswer& answer) {
    const auto body = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) return body["error"].get<std::string>();
    return {};
}

core::Error refused_answer(const std::string& url, const HttpAnswer& answer) {
    std::string message = "the hub at " + url + " answered HTTP " + std::to_string(answer.status);
    if (const std::string reason = hub_error_message(answer); !reason.empty()) message += ": " + reason;
    if (answer.status == 401 || answer.status == 403) message += " (check [hub] token in the kiosk's configuration)";
    if (answer.status == 404) message += " (check [hub] url in the kiosk's configuration)";
    if ((answer.status == 429 || answer.status == 503) && answer.retry_after) {
        return core::make_busy(*answer.retry_after, std::move(message));
    }
    if (retryable_status(answer.status)) {
        return core::Error{core::ErrorCode::Unavailable, std::move(message), answer.retry_after};
    }
    if (answer.status == 401 || answer.status == 403) return core::make_error(core::ErrorCode::Unauthorized, std::move(message));
    if (answer.status == 404) return core::make_error(core::ErrorCode::NotFound, std::move(message));
    return core::make_error(core::ErrorCode::InvalidArgument, std::move(message));
}

std::string gzip_compress(std::string_view data, int level) {
    z_stream stream{};
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("zlib could not start a gzip stream");
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int code = deflate(&stream, Z_FINISH);
    deflateEnd(&stream);
    if (code != Z_STREAM_END) throw std::runtime_error("zlib could not compress a batch");
    out.resize(stream.total_out);
    return out;
}

}  // namespace truthpoint::sync
