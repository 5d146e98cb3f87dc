// POST /api/v1/batches and GET /healthz over real HTTP: a real server on 127.0.0.1 (port 0) with a
// temp SQLite file, called with httplib::Client. The ingest and token tests run on PostgreSQL too; so do
// the receipts from a till. Also each request's JSON line in the log.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/limits.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

core::BatchReply reply_of(const httplib::Result& result) {
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == 200);
    CHECK(result->get_header_value("Content-Type") == "application/json");
    auto reply = core::decode_batch_reply(result->body);
    REQUIRE(reply);
    return reply.value();
}

// Every refusal is JSON with an "error" message.
std::string error_of(const httplib::Result& result, int expected_status) {
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == expected_status);
    CHECK(result->get_header_value("Content-Type") == "application/json");
    const auto body = nlohmann::json::parse(result->body, nullptr, false);
    REQUIRE(body.is_object());
    REQUIRE(body.contains("error"));
    REQUIRE(body["error"].is_string());
    CHECK_FALSE(body["error"].get<std::string>().empty());
    return body["error"].get<std::string>();
}

std::vector<core::Event> one_of_each_type() {
    std::vector<core::Event> events;
    for (const auto type : core::kAllEventTypes) events.push_back(make_event(type));
    return events;
}

// Peak resident memory of this process (the server runs in-process), from /proc.
std::size_t peak_rss_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // kB
    }
    return 0;
}

// Sends `request` on a plain TCP connection and returns what the server answers within 5 s.
std::string raw_exchange(int port, const std::string& request) {
    const int sock = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(sock >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    REQUIRE(send(sock, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
    std::string answer;
    pollfd fd{sock, POLLIN, 0};
    char buffer[4096];
    // Read until the JSON body has arrived (or the server goes quiet).
    while (answer.find("\"}") == std::string::npos && poll(&fd, 1, 5000) > 0) {
        const ssize_t n = recv(sock, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    close(sock);
    return answer;
}

// Enrols a till of `store_id` straight in the store, the way `pos add` does, and returns its token.
std::string pos_token(hub::Store& store, const std::string& pos_id, const std::string& store_id) {
    const std::string token = hub::generate_token().value();
    REQUIRE(store.add_pos({pos_id, store_id, hub::hash_token(token)}, core::now_utc()));
    return token;
}

}  // namespace

TEST_CASE("a valid batch is stored and answered with counts", "[hub][http][ingest]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const auto events = one_of_each_type();
    const std::string body = batch_body(events);

    auto reply = reply_of(hub.post_batch(body));
    CHECK(reply.accepted == static_cast<std::int64_t>(events.size()));
    CHECK(reply.duplicates == 0);
    CHECK(reply.rejected.empty());
    CHECK(hub.stored_events() == static_cast<std::int64_t>(events.size()));

    SECTION("the same batch twice is stored once; the resend counts as duplicates") {
        auto again = reply_of(hub.post_batch(body));
        CHECK(again.accepted == 0);
        CHECK(again.duplicates == static_cast<std::int64_t>(events.size()));
        CHECK(again.rejected.empty());
        CHECK(hub.stored_events() == static_cast<std::int64_t>(events.size()));
    }
    SECTION("a different payload under a stored id is rejected as a conflict") {
        auto changed = events[2];  // fmot.reaction
        changed.data["reaction"] = "very_unhappy";
        auto fresh = make_event(core::EventType::SessionEnd);
        auto conflict = reply_of(hub.post_batch(batch_body({changed, fresh}, "batch-2")));
        CHECK(conflict.accepted == 1);
        CHECK(conflict.duplicates == 0);
        REQUIRE(conflict.rejected.size() == 1);
        CHECK(conflict.rejected[0].id == changed.id);
        CHECK(conflict.rejected[0].reason == "conflict: a different event with this id is already stored");
        CHECK(hub.stored_events() == static_cast<std::int64_t>(events.size()) + 1);
    }
    SECTION("GET /healthz answers ok") {
        auto health = hub.client()->Get("/healthz");
        REQUIRE(health);
        CHECK(health->status == 200);
        CHECK(nlohmann::json::parse(health->body) == nlohmann::json{{"status", "ok"}});
    }
}

TEST_CASE("a bad event is rejected with its reason while the rest of the batch is stored", "[hub][http][ingest]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const auto good = make_event(core::EventType::FmotReaction);
    auto bad_data = nlohmann::json::parse(core::encode_event(make_event(core::EventType::SmotFeedback)));
    bad_data["data"]["rating"] = 11;
    auto unknown_type = nlohmann::json::parse(core::encode_event(make_event(core::EventType::SessionStart)));
    unknown_type["type"] = "fmot.teleport";
    const std::string body = core::encode_batch(
        "batch-mixed", {core::encode_event(good), bad_data.dump(), unknown_type.dump(), R"({"type":"session.start"})",
                        "42"});

    auto reply = reply_of(hub.post_batch(body));
    CHECK(reply.accepted == 1);
    REQUIRE(reply.rejected.size() == 4);
    CHECK(reply.rejected[0].id == bad_data["id"].get<std::string>());
    CHECK_THAT(reply.rejected[0].reason, Catch::Contains("rating"));
    CHECK(reply.rejected[1].id == unknown_type["id"].get<std::string>());
    CHECK_THAT(reply.rejected[1].reason, Catch::Contains("fmot.teleport"));
    CHECK(reply.rejected[2].id.empty());
    CHECK_THAT(reply.rejected[2].reason, Catch::Contains("id"));
    CHECK(hub.stored_events() == 1);
}

TEST_CASE("kiosk and store come from the token, whatever the body claims", "[hub][http][auth]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const auto event = make_event(core::EventType::FmotIntent);
    auto claimed = nlohmann::json::parse(core::encode_event(event));
    claimed["kiosk_id"] = "k-evil";
    claimed["store_id"] = "s-evil";
    const nlohmann::json body = {
        {"batch_id", "b-claims"}, {"kiosk_id", "k-evil"}, {"store_id", "s-evil"}, {"events", {claimed}}};

    CHECK(reply_of(hub.post_batch(body.dump())).accepted == 1);
    std::vector<hub::StoredEvent> stored;
    REQUIRE(hub.store().for_each_event({}, [&](const hub::StoredEvent& e) {
        stored.push_back(e);
        return true;
    }));
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].kiosk_id == "k-1");
    CHECK(stored[0].store_id == "s-1");
    CHECK(stored[0].data.find("evil") == std::string::npos);
}

TEST_CASE("requests without a valid token are refused with 401 and store nothing", "[hub][http][auth]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const std::string body = batch_body({make_event(core::EventType::SessionStart)});

    SECTION("no Authorization header") {
        auto result = hub.client()->Post("/api/v1/batches", body, "application/json");
        CHECK_THAT(error_of(result, 401), Catch::Contains("Authorization"));
        CHECK(result->get_header_value("WWW-Authenticate") == "Bearer");
    }
    SECTION("a wrong token") {
        auto result = hub.post_batch(body, {{"Authorization", "Bearer " + std::string(64, 'a')}});
        CHECK_THAT(error_of(result, 401), Catch::Contains("not known"));
    }
    SECTION("another scheme") {
        auto result = hub.post_batch(body, {{"Authorization", "Basic " + hub.kiosk().token}});
        error_of(result, 401);
    }
    SECTION("a revoked kiosk") {
        REQUIRE(hub.store().revoke_kiosk("k-1", core::now_utc()));
        auto result = hub.post_batch(body);
        CHECK_THAT(error_of(result, 401), Catch::Contains("revoked"));
    }
    CHECK(hub.stored_events() == 0);
}

TEST_CASE("GET /api/v1/kiosk names the token's kiosk, store and region, and refuses a bad token with 401",
          "[hub][http][auth]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const EnrolledKiosk other = enrol(hub.store(), "k-002", "s-042", "north");
    const auto whoami = [&](const std::string& authorization) {
        httplib::Headers headers;
        if (!authorization.empty()) headers.emplace("Authorization", authorization);
        return hub.client()->Get("/api/v1/kiosk", headers);
    };

    SECTION("each token answers for its own kiosk") {
        auto answer = whoami("Bearer " + other.token);
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        CHECK(answer->get_header_value("Content-Type") == "application/json");
        CHECK(nlohmann::json::parse(answer->body) ==
              nlohmann::json({{"kiosk", "k-002"}, {"store", "s-042"}, {"region", "north"}}));
        auto first = whoami("Bearer " + hub.kiosk().token);
        REQUIRE(first);
        REQUIRE(first->status == 200);
        CHECK(nlohmann::json::parse(first->body) == nlohmann::json({{"kiosk", "k-1"}, {"store", "s-1"}, {"region", ""}}));
    }
    SECTION("no token") {
        auto answer = whoami("");
        CHECK_THAT(error_of(answer, 401), Catch::Contains("Authorization"));
        CHECK(answer->get_header_value("WWW-Authenticate") == "Bearer");
    }
    SECTION("a wrong token") {
        CHECK_THAT(error_of(whoami("Bearer " + std::string(64, 'a')), 401), Catch::Contains("not known"));
    }
    SECTION("a revoked kiosk") {
        REQUIRE(hub.store().revoke_kiosk("k-002", core::now_utc()));
        CHECK_THAT(error_of(whoami("Bearer " + other.token), 401), Catch::Contains("revoked"));
    }
}

TEST_CASE("a malformed batch is refused with 400 and a reason and nothing is stored", "[hub][http][ingest]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const std::string valid_event = core::encode_event(make_event(core::EventType::SessionStart));

    SECTION("not JSON") {
        CHECK_THAT(error_of(hub.post_batch(R"({"batch_id": "b1", "events": [)" + valid_event), 400),
                   Catch::Contains("not valid JSON"));
    }
    SECTION("no events array") {
        CHECK_THAT(error_of(hub.post_batch(R"({"batch_id": "b1", "events": {}})"), 400), Catch::Contains("events"));
    }
    SECTION("no batch id") {
        CHECK_THAT(error_of(hub.post_batch(R"({"events": [)" + valid_event + "]}"), 400), Catch::Contains("batch_id"));
    }
    SECTION("a corrupt gzip body") {
        std::string compressed = gzip(batch_body({make_event(core::EventType::SessionStart)}));
        compressed.resize(compressed.size() / 2);
        error_of(hub.post_batch(compressed, {{"Content-Encoding", "gzip"}}), 400);
    }
    CHECK(hub.stored_events() == 0);
}

TEST_CASE("only application/json is accepted (415)", "[hub][http]") {
    RunningHub hub;
    const std::string body = batch_body({make_event(core::EventType::SessionStart)});

    SECTION("text/plain") {
        CHECK_THAT(error_of(hub.post_batch(body, {}, "text/plain"), 415), Catch::Contains("application/json"));
        CHECK(hub.stored_events() == 0);
    }
    SECTION("form data") {
        error_of(hub.post_batch(body, {}, "application/x-www-form-urlencoded"), 415);
        CHECK(hub.stored_events() == 0);
    }
    SECTION("an unknown content encoding") {
        CHECK_THAT(error_of(hub.post_batch(body, {{"Content-Encoding", "compress"}}), 415), Catch::Contains("gzip"));
        CHECK(hub.stored_events() == 0);
    }
    SECTION("a charset parameter is fine") {
        CHECK(reply_of(hub.post_batch(body, {}, "application/json; charset=utf-8")).accepted == 1);
    }
}

TEST_CASE("a body over the limit is refused with 413 and nothing is stored", "[hub][http][limits]") {
    RunningHub hub;
    // A well-formed batch that is simply too big: one valid event padded with whitespace.
    std::string body = batch_body({make_event(core::EventType::SessionStart)});
    body.insert(1, hub::kMaxBatchBodyBytes, ' ');

    SECTION("declared by Content-Length") {
        CHECK_THAT(error_of(hub.post_batch(body), 413), Catch::Contains("MiB"));
    }
    SECTION("sent chunked, without a length") {
        auto client = hub.client();
        std::size_t sent = 0;
        auto result = client->Post(
            "/api/v1/batches", {{"Authorization", "Bearer " + hub.kiosk().token}},
            [&](std::size_t, httplib::DataSink& sink) {
                const std::size_t chunk = std::min<std::size_t>(64 * 1024, body.size() - sent);
                if (chunk == 0 || !sink.write(body.data() + sent, chunk)) {
                    sink.done();
                    return true;
                }
                sent += chunk;
                return true;
            },
            "application/json");
        // The server may close while the client is still sending; when an answer arrives it is 413.
        if (result) error_of(result, 413);
    }
    SECTION("with Expect: 100-continue the refusal comes before any body is sent") {
        for (const auto& [headers, status] :
             {std::pair{"Authorization: Bearer " + hub.kiosk().token + "\r\nContent-Type: application/json\r\n"
                        "Content-Length: 1000000000\r\n", std::string(" 413 ")},
              std::pair{std::string("Content-Type: application/json\r\nContent-Length: 10\r\n"), std::string(" 401 ")}}) {
            const std::string head = "POST /api/v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                                     "Expect: 100-continue\r\n\r\n";
            const std::string answer = raw_exchange(hub.port(), head);
            CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1") && Catch::Contains(status) && Catch::Contains("\"error\""));
            CHECK_THAT(answer, !Catch::Contains("100 Continue"));
        }
    }
    SECTION("just under the limit is accepted") {
        body.erase(1, body.size() - hub::kMaxBatchBodyBytes + 1);
        REQUIRE(body.size() < hub::kMaxBatchBodyBytes);
        CHECK(reply_of(hub.post_batch(body)).accepted == 1);
        CHECK(hub.stored_events() == 1);
        return;
    }
    CHECK(hub.stored_events() == 0);
    // The server is still healthy afterwards.
    auto health = hub.client()->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
}

TEST_CASE("gzip bodies are accepted, and a gzip bomb is cut off", "[hub][http][limits]") {
    RunningHub hub;
    const auto events = one_of_each_type();
    const std::string body = batch_body(events);

    SECTION("Content-Encoding: gzip") {
        auto reply = reply_of(hub.post_batch(gzip(body), {{"Content-Encoding", "gzip"}}));
        CHECK(reply.accepted == static_cast<std::int64_t>(events.size()));
        CHECK(hub.stored_events() == static_cast<std::int64_t>(events.size()));
    }
    SECTION("httplib's own request compression") {
        auto client = hub.client();
        client->set_compress(true);
        auto reply = reply_of(client->Post("/api/v1/batches", {{"Authorization", "Bearer " + hub.kiosk().token}},
                                           body, "application/json"));
        CHECK(reply.accepted == static_cast<std::int64_t>(events.size()));
    }
    SECTION("a bomb: small on the wire, 512 MiB inflated") {
        const std::size_t inflated = 512u * 1024 * 1024;
        const std::string bomb = gzip_of_zeros(inflated);
        REQUIRE(bomb.size() < hub::kMaxBatchBodyBytes);
        const std::size_t peak_before = peak_rss_bytes();
        CHECK_THAT(error_of(hub.post_batch(bomb, {{"Content-Encoding", "gzip"}}), 413), Catch::Contains("decompressed"));
        // Inflating it whole would have raised this process's peak memory by 512 MiB.
        if (kMemoryCeilingsApply) CHECK(peak_rss_bytes() - peak_before < 64u * 1024 * 1024);
        CHECK(hub.stored_events() == 0);
    }
}

TEST_CASE("refusals keep the connection usable and errors are JSON everywhere", "[hub][http]") {
    RunningHub hub;
    auto client = hub.client();
    client->set_keep_alive(true);
    const std::string body = batch_body({make_event(core::EventType::SessionStart)});
    for (int i = 0; i < 3; ++i) {
        error_of(client->Post("/api/v1/batches", body, "application/json"), 401);
        auto ok = client->Post("/api/v1/batches", {{"Authorization", "Bearer " + hub.kiosk().token}},
                               batch_body({make_event(core::EventType::SessionStart)}), "application/json");
        CHECK(reply_of(ok).accepted == 1);
    }
    CHECK_THAT(error_of(client->Get("/api/v1/nothing"), 404), Catch::Contains("/api/v1/nothing"));
    error_of(client->Get("/api/v1/batches"), 404);
}

TEST_CASE("listen addresses are HOST:PORT", "[hub][server]") {
    SECTION("IPv4 and names") {
        auto address = hub::parse_listen_address("127.0.0.1:8080");
        REQUIRE(address);
        CHECK(address->host == "127.0.0.1");
        CHECK(address->port == 8080);
        CHECK(hub::parse_listen_address("localhost:0")->port == 0);
    }
    SECTION("IPv6 in brackets") {
        auto address = hub::parse_listen_address("[::1]:9000");
        REQUIRE(address);
        CHECK(address->host == "::1");
        CHECK(hub::format_http_url(*address) == "http://[::1]:9000");
    }
    SECTION("bad forms are refused") {
        for (const char* bad : {"8080", ":8080", "host:", "host:70000", "host:-1", "host:80x", "::1:80", "[::1]"}) {
            INFO(bad);
            auto address = hub::parse_listen_address(bad);
            REQUIRE_FALSE(address);
            CHECK_THAT(address.error().message, Catch::Contains("HOST:PORT"));
        }
    }
    CHECK(hub::format_http_url({"127.0.0.1", 80}) == "http://127.0.0.1:80");
}

TEST_CASE("a server frees its port when stopped and refuses a port in use", "[hub][http][server]") {
    TempDir dir;
    auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
    int port = 0;
    {
        hub::Server first(*store);
        auto bound = first.bind({"127.0.0.1", 0});
        REQUIRE(bound);
        port = bound->port;

        SECTION("a second server on the same port fails clearly instead of sharing it") {
            hub::Server second(*store);
            auto taken = second.bind({"127.0.0.1", port});
            REQUIRE_FALSE(taken);
            CHECK_THAT(taken.error().message, Catch::Contains("cannot listen on http://127.0.0.1:" + std::to_string(port)));
        }
        SECTION("stopped at once, before it serves anything") {
            std::thread runner([&] { (void)first.run(); });
            first.stop();
            runner.join();
        }
        SECTION("stopped after serving a keep-alive client") {
            std::thread runner([&] { (void)first.run(); });
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            auto health = client.Get("/healthz");
            REQUIRE(health);
            CHECK(health->status == 200);
            first.stop();
            runner.join();
        }
    }
    // Whatever happened above, the port is free again.
    hub::Server again(*store);
    auto rebound = again.bind({"127.0.0.1", port});
    INFO((rebound ? "" : rebound.error().message));
    REQUIRE(rebound);
    std::thread runner([&] { (void)again.run(); });
    httplib::Client client("127.0.0.1", port);
    auto health = client.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    again.stop();
    runner.join();
}

TEST_CASE("receipts over HTTP: POS tokens, bad input, verified purchases", "[hub][http][receipts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const std::string token = pos_token(hub.store(), "till-1", "s-1");
    auto client = hub.client();
    const auto post = [&](const std::string& body, const std::string& bearer) {
        return client->Post("/api/v1/receipts", {{"Authorization", "Bearer " + bearer}}, body, "application/json");
    };
    const std::string good = R"({"receipts": [{"receipt_hash": ")" + kReceiptHashA +
                             R"(", "store": "s-elsewhere", "time": "2026-01-31T10:15:00Z", "skus": ["sku-1"]}]})";

    SECTION("a POS token stores the receipts for its own store, whatever the body says") {
        auto response = post(good, token);
        REQUIRE(response);
        CHECK(response->status == 200);
        const auto body = nlohmann::json::parse(response->body);
        CHECK(body["store"] == "s-1");
        CHECK(body["stored"] == 1);
        // A kiosk of s-1 now sends feedback about it: verified.
        core::Event event = feedback("sku-1", kReceiptHashA);
        REQUIRE(hub.post_batch(hub_test::batch_body({event}))->status == 200);
        CHECK(verified_by_id(hub.store())[event.id]);
        // As a BI client and an export see it.
        auto page = client->Get("/api/v1/events", hub.admin_headers());
        REQUIRE(page);
        REQUIRE(page->status == 200);
        const auto events = nlohmann::json::parse(page->body)["events"];
        REQUIRE(events.size() == 1);
        CHECK(events[0]["id"] == event.id);
        CHECK(events[0]["verified_purchase"] == true);
        std::ostringstream exported;
        REQUIRE(hub::export_events(hub.store(), hub::ExportFormat::Ndjson, {}, exported));
        CHECK(nlohmann::json::parse(exported.str())["verified_purchase"] == true);
        auto again = post(good, token);
        CHECK(nlohmann::json::parse(again->body)["duplicates"] == 1);
    }
    SECTION("a revoked till is refused from then on; what it sent stays") {
        REQUIRE(post(good, token)->status == 200);
        auto revoked = hub.store().revoke_pos("till-1", core::now_utc());
        REQUIRE(revoked);
        REQUIRE(revoked->revoked_at);
        auto refused = post(good, token);
        REQUIRE(refused);
        CHECK(refused->status == 401);
        CHECK_THAT(refused->body, Catch::Contains("till-1") && Catch::Contains("revoked"));
        const auto first = *revoked->revoked_at;
        CHECK(hub.store().revoke_pos("till-1", first + std::chrono::hours(1))->revoked_at == first);  // the first time stays
        CHECK(hub.store().revoke_pos("till-404", core::now_utc()).error().code == hub::ErrorCode::NotFound);
    }
    SECTION("a bad or kiosk token is 401") {
        CHECK(post(good, "nope")->status == 401);
        CHECK(post(good, hub.kiosk().token)->status == 401);
        CHECK(client->Post("/api/v1/receipts", good, "application/json")->status == 401);
    }
    SECTION("bad bodies are 400 with a reason, and nothing is stored") {
        for (const std::string& body :
             {std::string(R"({"receipts": [{"receipt_hash": "1234", "time": "2026-01-31T10:15:00Z", "skus": ["a"]}]})"),
              R"({"receipts": [{"receipt_hash": ")" + std::string(64, 'z') +
                  R"(", "time": "2026-01-31T10:15:00Z", "skus": ["a"]}]})",
              R"({"receipts": [{"receipt_hash": ")" + kReceiptHashA + R"(", "time": "yesterday", "skus": ["a"]}]})",
              R"({"receipts": [{"receipt_hash": ")" + kReceiptHashA + R"(", "time": "2026-01-31T10:15:00Z", "skus": []}]})",
              std::string(R"({"receipts": []})"), std::string("not json")}) {
            CAPTURE(body);
            auto response = post(body, token);
            REQUIRE(response);
            CHECK(response->status == 400);
            CHECK(nlohmann::json::parse(response->body).contains("error"));
        }
        CHECK(hub.stored_events() == 0);
    }
    SECTION("a wrong content type is 415") {
        CHECK(client->Post("/api/v1/receipts", {{"Authorization", "Bearer " + token}}, good, "text/plain")->status ==
              415);
    }
}

TEST_CASE("feedback with a bad receipt hash is rejected with a reason", "[hub][http][receipts]") {
    RunningHub hub;
    core::Event clear_code = feedback("sku-1", "RECEIPT-0042");
    core::Event no_sku = feedback("sku-1", kReceiptHashA);
    no_sku.sku.clear();
    core::Event wrong_type = hub_test::make_event(core::EventType::SessionStart);
    wrong_type.data["receipt_hash"] = kReceiptHashA;
    core::Event good = feedback("sku-1", kReceiptHashA);
    auto response = hub.post_batch(hub_test::batch_body({clear_code, no_sku, wrong_type, good}));
    REQUIRE(response);
    REQUIRE(response->status == 200);
    const auto reply = core::decode_batch_reply(response->body);
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == 1);
    std::map<std::string, std::string> reasons;
    for (const auto& rejection : reply.value().rejected) reasons[rejection.id] = rejection.reason;
    CHECK(reasons[clear_code.id].find("64 hex digits") != std::string::npos);
    CHECK(reasons[no_sku.id].find("sku") != std::string::npos);
    // core's validation knows every type's fields now: a receipt hash on a session start is not one of them.
    CHECK(reasons[wrong_type.id] == "data.receipt_hash is not a field of this event type (see docs/events.md)");
}

// The hub's request threads write the log while the test thread polls it: a buffer behind a lock.
class LockedBuffer : public std::stringbuf {
public:
    std::string text() {
        std::lock_guard lock(mutex_);
        return str();
    }

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard lock(mutex_);
        return std::stringbuf::xsputn(s, n);
    }
    int_type overflow(int_type c) override {
        std::lock_guard lock(mutex_);
        return std::stringbuf::overflow(c);
    }

private:
    std::recursive_mutex mutex_;  // xsputn may call overflow
};

TEST_CASE("each request is one JSON line on stderr", "[hub][http][logs]") {
    LockedBuffer captured;  // outlives the hub, whose threads may still be writing to it
    RunningHub hub;
    // httplib logs a request after its answer is sent: wait for both lines, in whichever order.
    auto* previous = std::cerr.rdbuf(&captured);
    auto posted = hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::SessionStart)}));
    hub.client()->Get("/no/such/path");
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        lines = hub_test::split_lines(captured.text());
        lines.erase(std::remove(lines.begin(), lines.end(), std::string()), lines.end());
        if (lines.size() >= 2) break;
    }
    std::cerr.rdbuf(previous);
    REQUIRE(posted);
    CHECK(posted->status == 200);
    std::map<std::string, nlohmann::json> by_route;
    for (const std::string& line : lines) {
        auto entry = nlohmann::json::parse(line, nullptr, false);
        CAPTURE(line);
        REQUIRE_FALSE(entry.is_discarded());
        by_route[entry.value("route", "")] = entry;
    }
    REQUIRE(lines.size() == 2);
    const auto& batch = by_route["/api/v1/batches"];
    CHECK(batch["status"] == 200);
    CHECK(batch["method"] == "POST");
    CHECK(batch["kiosk"] == "k-1");
    CHECK(batch["events"] == 1);
    CHECK(batch["ms"].is_number());
    CHECK(batch.contains("time"));
    CHECK(by_route["other"]["status"] == 404);  // raw paths never reach the logs' or metrics' labels
}
