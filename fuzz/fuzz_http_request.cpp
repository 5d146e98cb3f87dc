// The hub's HTTP request path without sockets: the input is what a client sends on one connection (one or
// more requests), read by Beast into the server's own RequestParser within the hub's limits, then through the
// same decisions as http_server.cpp's connections (http_request.hpp) and the hub's real routes on a real
// SQLite store. Every answer must be one the API documents for its route (docs/openapi.yaml) or a refusal of
// the head, never a 500; it must be well formed; and a connection kept open must stand at the end of the
// request it answered, so that a body left unread can never be taken for the next request.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "http_request.hpp"
#include "server_internals.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/server.hpp"
#include "truthpoint/hub/store.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
namespace http = hub::http;

namespace {

// What the seeds carry (fuzz/corpus/fuzz_http_request): an enrolled kiosk's token, a point of sale's, a
// signed-in admin's session token, and the admin's name and password for POST /login and /api/v1/sessions.
constexpr std::string_view kKioskToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::string_view kPosToken = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
constexpr std::string_view kSessionToken = "5e55105e55105e55105e55105e55105e55105e55105e55105e55105e55105e55";
constexpr std::string_view kUserName = "ann";
// argon2id of "correct-horse-battery" at libsodium's minimum cost: a sign-in costs microseconds, not 0.1 s.
constexpr std::string_view kPasswordHash = "$argon2id$v=19$m=8,t=1,p=1$rXaHnR6MEb1cC//w1yaSHQ$ZbY2vm3dKkfu4aJYdUavYJKTx4gJTV6ZAwa6voAY9LU";

// The statuses docs/openapi.yaml lists for each route (HEAD is served by the GET route).
const std::map<std::pair<std::string, std::string>, std::set<int>>& documented_statuses() {
    static const std::set<int> head_refusals = {400, 408, 411, 413, 414, 415, 431};
    static const auto table = [] {
        std::map<std::pair<std::string, std::string>, std::set<int>> t = {
            {{"POST", "/api/v1/batches"}, {200, 401, 503}},
            {{"POST", "/api/v1/receipts"}, {200, 401, 503}},
            {{"GET", "/metrics"}, {200, 503}},
            {{"GET", "/api/v1/config"}, {200, 304, 401, 404, 503}},
            {{"GET", "/healthz"}, {200, 503}},
            {{"GET", "/api/v1/stats"}, {200, 401, 503}},
            {{"GET", "/api/v1/events"}, {200, 401, 503}},
            {{"POST", "/api/v1/sessions"}, {201, 401, 429, 503}},
            {{"DELETE", "/api/v1/sessions"}, {204, 503}},
            {{"GET", "/login"}, {200, 503}},
            {{"POST", "/login"}, {303, 401, 403, 429, 503}},
            {{"POST", "/logout"}, {303, 403, 503}},
            {{"GET", "/api/v1/export"}, {200, 400, 401, 403, 503}},
            {{"POST", "/language"}, {303, 400, 403, 503}},
            {{"GET", "/"}, {200, 303, 400, 403, 503}},
        };
        for (const char* view : {"summary", "trend", "heatmap", "rankings", "feedback", "kiosks", "places"}) {
            t[{"GET", std::string("/api/v1/dashboard/") + view}] = {200, 400, 401, 403, 503};
        }
        for (auto& [route, statuses] : t) statuses.insert(head_refusals.begin(), head_refusals.end());
        return t;
    }();
    return table;
}

// The statuses a request no route takes may get: its head's refusals and 404.
const std::set<int> kUnroutedStatuses = {400, 404, 408, 411, 413, 414, 415, 431};

// The client's bytes as a socket would give them to Beast's reads, then the end of its stream: all at once, or
// in pieces as TCP may cut them (the same requests must get the same answers either way).
class BytesStream {
public:
    BytesStream(const std::uint8_t* data, std::size_t size, std::size_t piece)
        : rest_(reinterpret_cast<const char*>(data), size), piece_(piece == 0 ? size : piece) {}

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
        if (rest_.empty()) {
            ec = boost::asio::error::eof;
            return 0;
        }
        ec = {};
        const std::size_t copied =
            boost::asio::buffer_copy(buffers, boost::asio::buffer(rest_.data(), std::min(rest_.size(), piece_)));
        rest_.remove_prefix(copied);
        return copied;
    }

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        boost::system::error_code ec;
        const std::size_t copied = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return copied;
    }

    bool empty() const { return rest_.empty(); }

private:
    std::string_view rest_;
    std::size_t piece_;
};

// The input's length picks how its bytes arrive: mostly at once, else in pieces of a packet, of a few
// hundred bytes, or of a few bytes (a head then ends mid-line, a chunk's size mid-digit).
std::size_t piece_for(std::size_t size) {
    static constexpr std::size_t kPieces[] = {0, 0, 0, 1460, 256, 13, 2};
    return kPieces[size % (sizeof kPieces / sizeof kPieces[0])];
}

struct Hub {
    std::string dir;
    std::unique_ptr<hub::Store> store;
    std::unique_ptr<hub::Server> server;
    // Captured as the server was constructed; they live as long as it does.
    const std::vector<http::Route>* routes = nullptr;
    const http::Limits* limits = nullptr;
    const http::HttpServer::Logger* logger = nullptr;
};

Hub* the_hub = nullptr;
// FUZZ_HTTP_VERBOSE=1: one line per answer on stderr, to see what a seed reaches.
bool verbose = false;

void require(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz_http_request: cannot set up the hub: %s\n", what);
    std::abort();
}

// The signed-in admin's session, again after a request may have ended it (DELETE /api/v1/sessions, /logout).
void sign_in_admin(hub::Store& store) {
    const core::Timestamp now = core::now_utc();
    (void)store.add_session({hub::hash_token(kSessionToken), std::string(kUserName), now, now + std::chrono::hours(24 * 365)});
}

// Each answer checked as the connection would send it; returns whether the connection goes on.
bool check_answer(http::Response& response, const http::Request& request, const http::RequestParser& parser,
                  const http::Route* route) {
    const std::set<int>* allowed = &kUnroutedStatuses;
    if (route != nullptr) {
        const auto documented = documented_statuses().find({route->method, route->path});
        FUZZ_CHECK(documented != documented_statuses().end());
        allowed = &documented->second;
    }
    if (allowed->count(response.status) == 0) {
        std::fprintf(stderr, "%s %s answered %d: %s\n", request.method.c_str(), request.path.c_str(), response.status,
                     response.body.c_str());
    }
    FUZZ_CHECK(allowed->count(response.status) == 1);
    for (const http::Field& field : response.headers) {
        FUZZ_CHECK(field.name.find_first_of("\r\n") == std::string::npos);
        FUZZ_CHECK(field.value.find_first_of("\r\n") == std::string::npos);
    }
    // An answer the hub writes as JSON is JSON (an error's message may quote what the client sent).
    const std::string type = response.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) == 0 && response.get_header_value("Content-Encoding").empty() &&
        !response.body.empty()) {
        FUZZ_CHECK(nlohmann::json::accept(response.body));
    }
    if (verbose) std::fprintf(stderr, "%s %s -> %d\n", request.method.c_str(), request.target.substr(0, 80).c_str(), response.status);
    if (*the_hub->logger) (*the_hub->logger)(request, response);
    const bool keep = http::keeps_alive(response, &parser);
    // Kept open only at a message's end: otherwise the rest of its body would be read as the next request.
    if (keep) FUZZ_CHECK(parser.is_done());
    return keep;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp ? tmp : "/tmp") + "/truthpoint-fuzz-http-XXXXXX";
    require(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    static Hub hub;
    hub.dir = pattern;
    // The store's files go with the process (unlinked while open, which Linux allows).
    std::atexit([] {
        std::error_code ignored;
        std::filesystem::remove_all(hub.dir, ignored);
    });
    auto opened = hub::open_store("sqlite:" + hub.dir + "/hub.db");
    require(static_cast<bool>(opened), "open_store");
    hub.store = std::move(opened).value();
    hub::Store& store = *hub.store;
    const core::Timestamp now = core::now_utc();
    require(static_cast<bool>(store.add_kiosk({"k-001", "s-001", "north", hub::hash_token(kKioskToken)}, now)), "kiosk");
    require(static_cast<bool>(store.add_pos({"pos-1", "s-001", hub::hash_token(kPosToken)}, now)), "pos");
    require(static_cast<bool>(store.put_config(hub::kChainWideScope, R"({"version":1})", "\"fuzz-etag\"", now)),
            "config");
    require(static_cast<bool>(store.add_user({std::string(kUserName), hub::UserRole::Admin, "", std::string(kPasswordHash), now})),
            "user");
    sign_in_admin(store);
    // Unknown names are checked against a decoy hash at full cost (0.1 s): their 256 throttle rows are paused
    // for good, so that a sprayed name is refused at once (429) and the fuzzer keeps its pace.
    for (int bucket = 0; bucket < 256; ++bucket) {
        static const char* const kHex = "0123456789abcdef";
        const std::string key = std::string("?") + kHex[bucket / 16] + kHex[bucket % 16];
        require(static_cast<bool>(store.begin_sign_in_attempt(key, now, 1, std::chrono::hours(24 * 365 * 10))),
                "pause unknown names");
    }

    hub::ServerOptions options;
    options.worker_threads = 1;  // the handlers run on the fuzzer's thread; the server's pool stays idle
    options.log_requests = false;
    options.ingest.max_group_wait = std::chrono::microseconds(0);  // one client: no other batch to wait for
    hub.server = std::make_unique<hub::Server>(store, options);
    const http::HttpServer& server = hub::ServerInternals::http(*hub.server);
    hub.routes = &server.routes();
    hub.limits = &server.limits();
    hub.logger = &server.logger();
    require(hub.routes != nullptr, "the server's routes");
    the_hub = &hub;
    verbose = std::getenv("FUZZ_HTTP_VERBOSE") != nullptr;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace bhttp = boost::beast::http;
    const std::vector<http::Route>& routes = *the_hub->routes;
    const http::Limits& limits = *the_hub->limits;
    BytesStream stream(data, size, piece_for(size));
    boost::beast::flat_buffer buffer(http::kReadBufferBytes);  // as a connection's
    bool signed_out = false;
    for (std::size_t served = 0; served < limits.keep_alive_max_requests; ++served) {
        if (buffer.size() == 0 && stream.empty()) break;  // the client is done
        http::Request request;
        http::RequestParser parser(limits, request);
        boost::system::error_code ec;
        bhttp::read_header(stream, buffer, parser, ec);
        if (ec) {
            auto refusal = http::refuse_head(ec, parser.problem, limits);
            if (!refusal) break;
            FUZZ_CHECK(refusal->close);
            check_answer(*refusal, request, parser, nullptr);
            break;
        }
        http::complete_head(request, parser);
        signed_out |= request.path == "/api/v1/sessions" || request.path == "/logout";

        // The refusals decided before the body, and the admission that may come first, as on_head decides.
        auto decided = http::decide_head(request, parser, routes);
        const http::Route* route = nullptr;
        http::Admission admission = http::Admission::None;
        std::optional<http::Response> refusal;
        if (auto* refused = std::get_if<http::Response>(&decided)) {
            refusal = std::move(*refused);
        } else {
            route = std::get<const http::Route*>(decided);
            // A connection's budget for unadmitted bodies (64 MiB) always holds an input's: WithHandler stands.
            admission = http::admission_for(*route, parser, request);
            if (admission == http::Admission::BeforeBody) refusal = http::admit_head(*route, request);
        }
        http::Response response;
        if (refusal) {
            const bool body_unread = !parser.is_done();
            if (http::plan_refusal(*refusal, parser, request) == http::RefusalPlan::DrainThenAnswer) {
                bhttp::read(stream, buffer, parser, ec);
                if (ec) refusal->close = true;
            }
            // A body neither read nor drained ends the connection with the answer.
            if (body_unread && !parser.is_done()) FUZZ_CHECK(refusal->close);
            response = std::move(*refusal);
        } else {
            if (!parser.is_done()) {
                http::prepare_body(parser, request, *route);
                bhttp::read(stream, buffer, parser, ec);
            }
            if (ec) {
                auto body_refusal = http::refuse_body(ec, parser, *route);
                if (!body_refusal) break;  // the client went away mid-body: nothing to answer
                FUZZ_CHECK(body_refusal->close);
                response = std::move(*body_refusal);
            } else {
                response = http::respond(*route, request, parser, admission == http::Admission::WithHandler);
            }
        }
        if (!check_answer(response, request, parser, route)) break;
    }
    if (signed_out) sign_in_admin(*the_hub->store);
    return 0;
}
