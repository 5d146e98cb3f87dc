// Hostile requests against a real hub on loopback, over raw sockets where a client library would clean the
// request up: oversized and overfull heads, bodies over each route's limit (declared, chunked, gzip), broken
// framing, refused "Expect: 100-continue", slow clients and connection floods. Memory attacks also check
// this process's peak RSS (VmHWM, reset through /proc/self/clear_refs before each one): the hub runs in it.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.hpp"
#include "truthpoint/hub/limits.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMemoryCeiling = 100u * 1024 * 1024;

// Starts a new peak: VmHWM falls back to the current RSS (Linux 4.0 and later).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::size_t peak_rss() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    }
    return 0;
}

// A raw TCP connection to the hub, optionally from another loopback address (127.0.0.x).
class RawConnection {
public:
    explicit RawConnection(int port, const char* from = nullptr) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        if (from != nullptr) {
            sockaddr_in local{};
            local.sin_family = AF_INET;
            REQUIRE(inet_pton(AF_INET, from, &local.sin_addr) == 1);
            REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) == 0);
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // False once the hub has closed its side (or reset the connection).
    bool send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
        return true;
    }

    // Whatever arrives until the hub closes or goes quiet for `quiet`.
    std::string receive(std::chrono::milliseconds quiet = 3000ms) {
        return read_until(quiet, [](const std::string&) { return false; });
    }

    // Reads one answer: through the end of its JSON body, or until the hub closes or goes quiet.
    std::string answer(std::chrono::milliseconds quiet = 3000ms) {
        return read_until(quiet, [](const std::string& text) {
            return text.find("\r\n\r\n") != std::string::npos && text.find('}') != std::string::npos;
        });
    }

    // Whether the hub has closed the connection (waits up to `within` for it).
    bool closed_by_hub(std::chrono::milliseconds within = 3000ms) {
        if (closed_) return true;
        receive(within);
        return closed_;
    }

private:
    template <typename Done>
    std::string read_until(std::chrono::milliseconds quiet, Done done) {
        std::string text;
        pollfd poller{fd_, POLLIN, 0};
        char buffer[4096];
        while (!done(text) && ::poll(&poller, 1, static_cast<int>(quiet.count())) > 0) {
            const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) {
                closed_ = true;
                break;
            }
            text.append(buffer, static_cast<std::size_t>(got));
        }
        return text;
    }

    int fd_ = -1;
    bool closed_ = false;
};

std::string status_of(const std::string& answer) { return answer.size() >= 12 ? answer.substr(9, 3) : "(none)"; }

std::string head(const std::string& method, const std::string& path, const std::string& fields = "") {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields;
}

// Sends `head_text`, then up to `body_bytes` of filler in pieces until the hub stops taking them; returns
// how much of the body went out before the hub answered or closed.
std::size_t push_body(RawConnection& connection, std::size_t body_bytes) {
    const std::string piece(64 * 1024, 'x');
    std::size_t sent = 0;
    while (sent < body_bytes) {
        const std::size_t size = std::min(piece.size(), body_bytes - sent);
        if (!connection.send(std::string_view(piece).substr(0, size))) break;
        sent += size;
    }
    return sent;
}

}  // namespace

TEST_CASE("hostile: a head over the size limit is refused with 431 before it is buffered", "[hub][http][hostile]") {
    RunningHub hub;
    reset_peak_rss();
    RawConnection connection(hub.port());
    REQUIRE(connection.send(head("GET", "/healthz")));
    // Header lines without end: the hub must answer and close long before 64 MiB of them.
    const std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
    std::size_t sent = 0;
    while (sent < 64u * 1024 * 1024 && connection.send(line)) sent += line.size();
    const std::string answer = connection.answer();
    CHECK(status_of(answer) == "431");
    CHECK(sent < 64u * 1024 * 1024);
    if (kMemoryCeilingsApply) CHECK(peak_rss() < kMemoryCeiling);

    SECTION("a request line longer than the target limit is 414") {
        RawConnection long_target(hub.port());
        REQUIRE(long_target.send("GET /" + std::string(hub::kMaxRequestTargetBytes + 10, 'a') +
                                 " HTTP/1.1\r\nHost: x\r\n\r\n"));
        CHECK(status_of(long_target.answer()) == "414");
    }
}

TEST_CASE("hostile: more header fields than the limit are refused with 431", "[hub][http][hostile]") {
    RunningHub hub;
    RawConnection connection(hub.port());
    std::string fields;
    for (std::size_t i = 0; i < hub::kMaxHeaderFields + 20; ++i) fields += "X-" + std::to_string(i) + ": 1\r\n";
    REQUIRE(fields.size() < hub::kMaxRequestHeadBytes);  // small in bytes: only the count is over
    REQUIRE(connection.send(head("GET", "/healthz", fields) + "\r\n"));
    const std::string answer = connection.answer();
    CHECK(status_of(answer) == "431");
    CHECK_THAT(answer, Catch::Contains("header fields"));
    CHECK(connection.closed_by_hub());
}

TEST_CASE("hostile: a body over its route's limit is refused on every route, known or not", "[hub][http][hostile]") {
    RunningHub hub;
    // Under the batch limit, over what sign-in, sign-out and every GET take.
    const std::size_t body_bytes = 4u * 1024 * 1024;
    const std::string kiosk = "Authorization: Bearer " + hub.kiosk().token + "\r\n";
    struct Case {
        std::string method, path, fields, status;
    };
    const std::vector<Case> cases{
        {"POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n", "413"},
        {"POST", "/api/v1/sessions", "Content-Type: application/json\r\n", "413"},
        {"POST", "/logout", "", "413"},
        {"GET", "/healthz", "", "413"},
        {"GET", "/api/v1/config", kiosk, "413"},
        {"DELETE", "/api/v1/sessions", "", "413"},
        {"POST", "/no/such/endpoint", "", "404"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.method, c.path);
        reset_peak_rss();
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head(c.method, c.path, c.fields) + "Content-Length: " + std::to_string(body_bytes) +
                                "\r\n\r\n"));
        const std::size_t sent = push_body(connection, body_bytes);
        const std::string answer = connection.answer();
        CHECK(status_of(answer) == c.status);
        CHECK(connection.closed_by_hub());
        if (kMemoryCeilingsApply) CHECK(peak_rss() < kMemoryCeiling);
        (void)sent;
    }
    SECTION("and a batch over its own limit too, announced or not") {
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", "/api/v1/batches", kiosk) +
                                "Content-Type: application/json\r\nContent-Length: " +
                                std::to_string(hub::kMaxBatchBodyBytes + 1) + "\r\n\r\n"));
        CHECK(status_of(connection.answer()) == "413");
    }
}

TEST_CASE("hostile: a chunked body over the limit is cut off while it arrives", "[hub][http][hostile]") {
    RunningHub hub;
    for (const std::string path : {"/login", "/api/v1/sessions", "/no/such/endpoint"}) {
        CAPTURE(path);
        reset_peak_rss();
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", path, "Content-Type: application/x-www-form-urlencoded\r\n") +
                                "Transfer-Encoding: chunked\r\n\r\n"));
        const std::string chunk_data(64 * 1024, 'a');
        char size_line[32];
        std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk_data.size());
        const std::string chunk = size_line + chunk_data + "\r\n";
        std::size_t sent = 0;
        while (sent < 64u * 1024 * 1024 && connection.send(chunk)) sent += chunk_data.size();
        const std::string answer = connection.answer();
        CHECK((status_of(answer) == "413" || status_of(answer) == "404"));
        CHECK(sent < 64u * 1024 * 1024);  // the hub stopped taking bytes long before
        if (kMemoryCeilingsApply) CHECK(peak_rss() < kMemoryCeiling);
    }
}

TEST_CASE("hostile: a gzip bomb on a route that takes no encoded body is refused unread", "[hub][http][hostile]") {
    RunningHub hub;
    const std::string bomb = gzip_of_zeros(12u * 1024 * 1024);  // 12 MiB inflated
    REQUIRE(bomb.size() < hub::kMaxFormBodyBytes);
    for (const std::string path : {"/api/v1/sessions", "/login"}) {
        CAPTURE(path);
        reset_peak_rss();
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", path, "Content-Type: application/json\r\nContent-Encoding: gzip\r\n") +
                                "Content-Length: " + std::to_string(bomb.size()) + "\r\n\r\n" + bomb));
        CHECK(status_of(connection.answer()) == "415");
        if (kMemoryCeilingsApply) CHECK(peak_rss() < kMemoryCeiling);
    }
}

TEST_CASE("hostile: two different Content-Length values are refused with 400", "[hub][http][hostile]") {
    RunningHub hub;
    // Read with the first length, the rest would be a second request (request smuggling).
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    RawConnection connection(hub.port());
    REQUIRE(connection.send(head("POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n") +
                            "Content-Length: 0\r\nContent-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" +
                            smuggled));
    const std::string answer = connection.receive(2000ms);
    CHECK(status_of(answer) == "400");
    CHECK_THAT(answer, Catch::Contains("several Content-Length values"));
    CHECK_THAT(answer, !Catch::Contains("HTTP/1.1 200"));
    CHECK(connection.closed_by_hub());
}

TEST_CASE("hostile: a refusal that quotes bytes which are not UTF-8 is answered and the hub lives on",
          "[hub][http][hostile]") {
    RunningHub hub;
    SECTION("a percent-decoded path, in a 404") {
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("GET", "/%FF%FE/x") + "\r\n"));
        const std::string answer = connection.answer();
        CHECK(status_of(answer) == "404");
        CHECK_THAT(answer, Catch::Contains("no such endpoint: GET /\xEF\xBF\xBD\xEF\xBF\xBD/x"));  // U+FFFD twice
    }
    SECTION("a Content-Encoding's value, in a 415") {
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", "/login", "Content-Encoding: \xFF\x80zip\r\nContent-Length: 3\r\n\r\nabc")));
        CHECK(status_of(connection.answer()) == "415");
    }
    SECTION("a Content-Type's value, in a route's own refusal") {
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", "/api/v1/sessions", "Content-Type: \xE1pplication/json\r\nContent-Length: 2\r\n\r\n{}")));
        const std::string answer = connection.answer();
        CHECK(status_of(answer).front() == '4');  // refused, not a 500
        CHECK_THAT(answer, Catch::Contains("\xEF\xBF\xBDpplication/json"));
    }
    RawConnection after(hub.port());
    REQUIRE(after.send(head("GET", "/healthz") + "\r\n"));
    CHECK(status_of(after.answer()) == "200");
}

TEST_CASE("hostile: a POST without a length is answered 411 at once", "[hub][http][hostile]") {
    RunningHub hub;
    for (const std::string path : {"/api/v1/batches", "/login", "/no/such/endpoint"}) {
        CAPTURE(path);
        RawConnection connection(hub.port());
        const auto start = Clock::now();
        REQUIRE(connection.send(head("POST", path, "Content-Type: application/json\r\n") + "\r\n"));
        const std::string answer = connection.answer();
        CHECK(status_of(answer) == "411");
        CHECK(Clock::now() - start < 1s);
    }
}

TEST_CASE("hostile: after refusing an Expect: 100-continue request the body never becomes a request",
          "[hub][http][hostile]") {
    RunningHub hub;
    // The "body" a client sends anyway after the refusal is itself a request: it must not be served.
    const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    for (const auto& [fields, status] :
         {std::pair{std::string("Authorization: Bearer wrong\r\nContent-Type: application/json\r\n"), std::string("401")},
          std::pair{"Authorization: Bearer " + hub.kiosk().token + "\r\nContent-Type: text/plain\r\n", std::string("415")}}) {
        CAPTURE(status);
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", "/api/v1/batches", fields) + "Expect: 100-continue\r\nContent-Length: " +
                                std::to_string(smuggled.size()) + "\r\n\r\n"));
        const std::string answer = connection.answer();
        CHECK(status_of(answer) == status);
        CHECK_THAT(answer, !Catch::Contains("100 Continue"));
        connection.send(smuggled);
        const std::string after = connection.receive(2000ms);
        CHECK_THAT(after, !Catch::Contains("HTTP/1.1 200"));
        CHECK(connection.closed_by_hub());
    }
}

TEST_CASE("hostile: a request that trickles in past the deadline is cut off", "[hub][http][hostile]") {
    hub::ServerOptions options;
    options.request_timeout = 1500ms;
    RunningHub hub(options);

    SECTION("slow headers: one byte every 100 ms, each read on time") {
        RawConnection connection(hub.port());
        const std::string request = head("GET", "/healthz") + "X-Slow: " + std::string(200, 'a') + "\r\n\r\n";
        const auto start = Clock::now();
        std::size_t sent = 0;
        while (sent < request.size() && connection.send(std::string_view(request).substr(sent, 1))) {
            ++sent;
            std::this_thread::sleep_for(100ms);
            if (Clock::now() - start > 6s) break;
        }
        CHECK(Clock::now() - start < 3s);  // the hub ended it at its deadline, not the client
        CHECK(sent < request.size());
        CHECK(connection.closed_by_hub());
    }
    SECTION("slow body: a kiosk's batch sent at a crawl") {
        RawConnection connection(hub.port());
        REQUIRE(connection.send(head("POST", "/api/v1/batches", "Authorization: Bearer " + hub.kiosk().token + "\r\n") +
                                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"));
        const auto start = Clock::now();
        std::size_t sent = 0;
        while (sent < 1000 && connection.send(" ")) {
            ++sent;
            std::this_thread::sleep_for(50ms);
            if (Clock::now() - start > 6s) break;
        }
        CHECK(Clock::now() - start < 3s);
        CHECK(sent < 1000);
        CHECK(connection.closed_by_hub());
    }
}

TEST_CASE("hostile: connections from one address are capped, yet kiosks still get in", "[hub][http][hostile]") {
    hub::ServerOptions options;
    options.max_unproven_per_peer = 20;
    options.worker_threads = 4;  // idle connections must not hold handler threads
    RunningHub hub(options);

    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 20; ++i) {
        idle.push_back(std::make_unique<RawConnection>(hub.port(), "127.0.0.2"));
        REQUIRE(idle.back()->send("GET /heal"));  // begun, never finished
    }
    std::this_thread::sleep_for(200ms);

    SECTION("one more from the same address is refused at once with 503, and /metrics counts it") {
        RawConnection extra(hub.port(), "127.0.0.2");
        const std::string answer = extra.answer(2000ms);
        CHECK(status_of(answer) == "503");
        CHECK(extra.closed_by_hub());
        const auto metrics = hub.client()->Get("/metrics");
        REQUIRE(metrics);
        CHECK(metrics->body.find("truthpoint_http_connections_refused_total{reason=\"per_address\"} 1\n") != std::string::npos);
        CHECK(metrics->body.find("truthpoint_http_connections_refused_total{reason=\"full\"} 0\n") != std::string::npos);
    }
    SECTION("a kiosk from another address is served at once") {
        const auto start = Clock::now();
        auto reply = hub.post_batch(batch_body({make_event(core::EventType::SessionStart)}));
        REQUIRE(reply);
        CHECK(reply->status == 200);
        CHECK(Clock::now() - start < 1s);
    }
}

TEST_CASE("hostile: at the connection cap the oldest idle stranger makes room", "[hub][http][hostile]") {
    hub::ServerOptions options;
    options.max_unproven_connections = 30;
    RunningHub hub(options);
    // Thirty strangers from thirty addresses, each in the middle of a request head.
    std::vector<std::unique_ptr<RawConnection>> idle;
    for (int i = 0; i < 30; ++i) {
        idle.push_back(std::make_unique<RawConnection>(hub.port(), ("127.0.1." + std::to_string(i + 1)).c_str()));
        REQUIRE(idle.back()->send("GET /heal"));
    }
    std::this_thread::sleep_for(200ms);
    const auto start = Clock::now();
    auto reply = hub.post_batch(batch_body({make_event(core::EventType::SessionStart)}));
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(Clock::now() - start < 1s);
    CHECK(idle.front()->closed_by_hub(1000ms));  // the oldest went
    const auto metrics = hub.client()->Get("/metrics");
    REQUIRE(metrics);
    CHECK(metrics->body.find("truthpoint_http_connections_evicted_total ") != std::string::npos);
    CHECK(metrics->body.find("truthpoint_http_connections_evicted_total 0\n") == std::string::npos);
}
