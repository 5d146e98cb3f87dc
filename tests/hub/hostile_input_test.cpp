// Input an attacker sends the hub: batch bodies past its limits, wrongly typed fields, times out of range,
// parallel and oversized sign-ins, cross-origin posts, spreadsheet formulas in exports, and configuration
// documents that no parser should throw on. Storage cases run on SQLite and on a real PostgreSQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/users.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
std::string nested_objects(std::size_t depth) {
    std::string text;
    for (std::size_t i = 0; i < depth; ++i) text += R"({"a":)";
    return text + "1" + std::string(depth, '}');
}

// The JSON text of a valid event of `type` with `edit` applied.
std::string edited(core::EventType type, const std::function<void(nlohmann::json&)>& edit) {
    auto json = core::event_to_json(make_event(type));
    edit(json);
    return json.dump();
}

// A batch of one session.start whose data holds "x": `value` (raw JSON text).
std::string batch_with_data_value(const std::string& value) {
    std::string event = core::encode_event(make_event(core::EventType::SessionStart));
    event.replace(event.find("\"data\":{") + 8, 0, "\"x\":" + value + ",");
    return core::encode_batch("b-1", {event});
}

std::string repeated_events(std::size_t count, const std::string& element) {
    std::string body = R"({"batch_id":"b-1","events":[)";
    body.reserve(body.size() + count * (element.size() + 1) + 2);
    for (std::size_t i = 0; i < count; ++i) {
        if (i) body += ',';
        body += element;
    }
    return body + "]}";
}

void check_same_verdict(const std::string& body) {
    INFO(body.substr(0, 200));
    const auto expected = core::decode_batch(body);
    std::string copy = body;
    const auto actual = hub::decode_batch_body(copy);
    REQUIRE(actual.ok() == expected.ok());
    if (!expected.ok()) {
        CHECK(actual.error().message == expected.error().message);
        return;
    }
    REQUIRE(actual.value().items.size() == expected.value().items.size());
    for (std::size_t i = 0; i < expected.value().items.size(); ++i) {
        CHECK(actual.value().items[i].reason == expected.value().items[i].reason);
        CHECK(actual.value().items[i].canonical == expected.value().items[i].canonical);
    }
}

// The events of one batch that a writer used to throw on (503), or that broke the time round trip.
std::vector<std::string> wrongly_typed_events() {
    return {
        edited(core::EventType::FmotReaction, [](auto& e) { e["data"]["misuse"] = "yes"; }),
        edited(core::EventType::UmotReview, [](auto& e) { e["data"]["consent"] = "yes"; }),
        edited(core::EventType::SessionStart, [](auto& e) { e["occurred_at"] = "9999-12-31T23:59:59-23:59"; }),
        edited(core::EventType::SmotFeedback, [](auto& e) { e["data"]["met_expectations"] = "no"; }),
    };
}

long peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

}  // namespace

TEST_CASE("hostile batch bodies get the same verdict from simdjson and from the fallback", "[hub][ingest][hostile]") {
    for (const std::size_t depth : {2000, 60000}) check_same_verdict(batch_with_data_value(nested_arrays(depth)));
    check_same_verdict(batch_with_data_value(nested_arrays(core::kMaxBatchDepth - 4)));
    check_same_verdict(batch_with_data_value(nested_arrays(core::kMaxBatchDepth - 3)));
    check_same_verdict(batch_with_data_value(nested_objects(core::kMaxBatchDepth - 5)));  // the body at the limit
    check_same_verdict(batch_with_data_value(nested_objects(core::kMaxBatchDepth - 4)));
    check_same_verdict("\xEF\xBB\xBF" + batch_with_data_value(nested_arrays(5000)));  // a BOM: only the fallback reads it
    check_same_verdict(R"({"batch_id":"b-1","events":[],"x":)" + nested_arrays(core::kMaxBatchDepth) + "}");
    check_same_verdict(R"({"batch_id":"b-1","events":[],"x":)" + nested_arrays(core::kMaxBatchDepth - 1) + "}");
    check_same_verdict(repeated_events(core::kMaxBatchEvents, "{}"));
    check_same_verdict(repeated_events(core::kMaxBatchEvents + 1, "{}"));
    check_same_verdict(repeated_events(1000000, "0"));
    check_same_verdict(batch_with_data_value("[" + std::string(400, '9') + "]"));  // past 2^64
    std::string many_values = "[0";
    for (std::size_t i = 1; i < core::kMaxEventValues; ++i) many_values += ",0";
    check_same_verdict(batch_with_data_value(many_values + "]"));
    check_same_verdict(batch_with_data_value("\"" + std::string(core::kMaxEventDataBytes, 'a') + "\""));
    check_same_verdict(core::encode_batch("b-1", wrongly_typed_events()));
}

TEST_CASE("a wrongly typed field is that event's rejection on both engines, never a 5xx", "[hub][http][hostile]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    std::vector<std::string> events = wrongly_typed_events();
    events.push_back(core::encode_event(make_event(core::EventType::FmotReaction)));
    const std::string body = core::encode_batch("b-hostile", events);
    for (int attempt = 0; attempt < 2; ++attempt) {  // sent again: the same answer, nothing retried forever
        auto result = hub.post_batch(body);
        REQUIRE(result);
        INFO(result->body);
        REQUIRE(result->status == 200);
        const auto reply = core::decode_batch_reply(result->body);
        REQUIRE(reply);
        CHECK(reply.value().accepted + reply.value().duplicates == 1);
        REQUIRE(reply.value().rejected.size() == 4);
        CHECK_THAT(reply.value().rejected[0].reason, Catch::Contains("data.misuse"));
        CHECK_THAT(reply.value().rejected[1].reason, Catch::Contains("data.consent"));
        CHECK_THAT(reply.value().rejected[2].reason, Catch::Contains("occurred_at"));
        CHECK_THAT(reply.value().rejected[3].reason, Catch::Contains("data.met_expectations"));
    }
    CHECK(hub.stored_events() == 1);
}

TEST_CASE("the store suite: hostile events reach no writer, on both engines", "[hub][store][ingest][hostile]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    enrol(*store, "k-1", "s-1", "north");
    const hub::KioskIdentity sender{"k-1", "s-1", "north"};
    std::vector<std::string> events = wrongly_typed_events();
    events.push_back(edited(core::EventType::FmotReaction, [](auto& e) { e["data"]["misuse"] = true; }));
    events.push_back(edited(core::EventType::SessionStart, [](auto& e) { e["occurred_at"] = "9999-12-31T23:59:59.999Z"; }));
    const auto batch = core::decode_batch(core::encode_batch("b-1", events));
    REQUIRE(batch);
    const auto reply = hub_test::ingest_batch(*store, sender, batch.value(), core::now_utc());
    INFO((reply ? std::string() : reply.error().message));
    REQUIRE(reply);
    CHECK(reply->accepted == 2);
    CHECK(reply->rejected.size() == 4);
    // The last instant's local day and month keep a four-digit year.
    REQUIRE(store->catch_up_rollups());
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE tier = 'store_totals_month' AND period = '9999-12' "
                           "AND answer = 'session.start'") == "1");
}

TEST_CASE("too deep, or too many events: 400, and the hub stays up", "[hub][http][limits][hostile]") {
    RunningHub hub;
    const auto refused = [&](const std::string& body, const std::string& why) {
        auto result = hub.post_batch(gzip(body), {{"Content-Encoding", "gzip"}});
        REQUIRE(result);
        INFO(result->body);
        CHECK(result->status == 400);
        CHECK_THAT(result->body, Catch::Contains(why));
    };
    refused(batch_with_data_value(nested_arrays(2000)), "levels deep");
    refused(batch_with_data_value(nested_arrays(60000)), "levels deep");
    refused(repeated_events(1000000, "{}"), "more than 10000 events");
    auto health = hub.client()->Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    auto stored = hub.post_batch(batch_body({make_event(core::EventType::SessionStart)}));
    REQUIRE(stored);
    CHECK(stored->status == 200);
}

TEST_CASE("a 2 KB gzip of a million events is refused while the hub's peak RSS stays under 100 MB",
          "[hub][http][limits][hostile]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, db);
    REQUIRE(added.exit_code == 0);
    const std::string token = split_lines(added.out).back();
    ServeProcess serve(db);
    const int port = serve.wait_for_port();
    const std::string body = gzip(repeated_events(1000000, "0"));
    CHECK(body.size() < 8 * 1024);
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30);
    for (int i = 0; i < 3; ++i) {
        auto result = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + token}, {"Content-Encoding", "gzip"}},
                                  body, "application/json");
        REQUIRE(result);
        CHECK(result->status == 400);
    }
    const long peak = peak_rss_kib(serve.pid());
    INFO("peak RSS " << peak << " KiB");
    CHECK(peak > 0);
    if (kMemoryCeilingsApply) CHECK(peak < 100 * 1024);
}

TEST_CASE("parallel guesses are checked no more often than the throttle allows, on both engines",
          "[hub][users][store][hostile]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    REQUIRE(store->add_user({"anna", hub::UserRole::Admin, "", hub::hash_password("correct horse battery").value(),
                             core::now_utc()}));
    hub::SignIn sign_in(*store);  // 5 in a row, then a pause
    for (const std::string name : {"anna", "nobody-here"}) {
        CAPTURE(name);
        std::atomic<int> checked{0}, paused{0};
        std::vector<std::thread> guessers;
        for (int i = 0; i < 40; ++i) {
            guessers.emplace_back([&, i] {
                const auto outcome = sign_in.sign_in(name, "guess number " + std::to_string(i));
                const auto& refusal = std::get<hub::SignIn::Refusal>(outcome);
                if (refusal.error.code == hub::ErrorCode::Unauthorized) ++checked;
                if (refusal.error.message.find("too many failed") != std::string::npos) ++paused;
            });
        }
        for (auto& guesser : guessers) guesser.join();
        CHECK(checked.load() <= 5);
        CHECK(paused.load() >= 30);
    }
}

namespace {

// Each engine in a test case of its own: the spray below costs a full argon2id check per name, and both
// engines in one ctest entry came near its time limit on a loaded 2-core machine.
void check_sign_in_names_bounded(const std::string& engine) {
    TestDatabase database(engine);
    auto store = database.open();
    hub::SignIn sign_in(*store, {.failures_before_pause = 1000000});
    const std::string huge(4 * 1024 * 1024, 'a');
    for (int i = 0; i < 10; ++i) {  // 40 of these added ~370 MB to the database before
        const auto outcome = sign_in.sign_in(huge + std::to_string(i), "a wrong password");
        REQUIRE(std::holds_alternative<hub::SignIn::Refusal>(outcome));
        CHECK(std::get<hub::SignIn::Refusal>(outcome).error.code == hub::ErrorCode::Unauthorized);
    }
    CHECK(database.execute("SELECT count(*) FROM sign_in_failures") == "0");
    // A spray of well-formed unknown names, more than the 256 rows they may share. Each costs a full argon2id
    // check (~0.1 s, more under a sanitizer): enough names to overflow the bound, no more.
    for (int i = 0; i < 300; ++i) {
        const auto outcome = sign_in.sign_in("sprayed-" + std::to_string(i), "a wrong password");
        REQUIRE(std::holds_alternative<hub::SignIn::Refusal>(outcome));
    }
    CHECK(std::stoi(database.execute("SELECT count(*) FROM sign_in_failures")) <= 256);
    CHECK(std::stoi(database.execute("SELECT max(length(name)) FROM sign_in_failures")) <= 64);
}

}  // namespace

TEST_CASE("sign-in names are bounded before anything is stored, and unknown names cannot grow the table (SQLite)",
          "[hub][users][store][hostile]") {
    check_sign_in_names_bounded(kSqlite);
}

TEST_CASE("sign-in names are bounded before anything is stored, and unknown names cannot grow the table (PostgreSQL)",
          "[hub][users][store][hostile]") {
    check_sign_in_names_bounded(kPostgresql);
}

TEST_CASE("same_origin: a cookie POST must come from the hub's own pages", "[hub][users][hostile]") {
    CHECK(hub::same_origin("http://hub.example:8080", "hub.example:8080"));
    CHECK(hub::same_origin("https://Hub.Example", "hub.example"));
    CHECK(hub::same_origin("https://hub.example:443", "hub.example"));
    CHECK(hub::same_origin("https://hub.example", "hub.example:443"));
    CHECK(hub::same_origin("http://127.0.0.1:8080/login?next=/", "127.0.0.1:8080"));  // a Referer
    CHECK(hub::same_origin("http://[::1]:8080", "[::1]:8080"));
    CHECK_FALSE(hub::same_origin("", "hub.example"));
    CHECK_FALSE(hub::same_origin("null", "hub.example"));
    CHECK_FALSE(hub::same_origin("https://evil.example", "hub.example"));
    CHECK_FALSE(hub::same_origin("https://hub.example.evil.example", "hub.example"));
    CHECK_FALSE(hub::same_origin("https://hub.example:8443", "hub.example"));
    CHECK_FALSE(hub::same_origin("http://hub.example:8080", "hub.example:8081"));
    CHECK_FALSE(hub::same_origin("https://hub.example@evil.example", "hub.example"));
    CHECK_FALSE(hub::same_origin("ftp://hub.example", "hub.example"));
    CHECK_FALSE(hub::same_origin("hub.example", "hub.example"));
    CHECK_FALSE(hub::same_origin("https://hub.example", ""));
}

TEST_CASE("CSV export neutralises spreadsheet formulas, NDJSON keeps the text", "[hub][export][hostile]") {
    CHECK(hub::csv_field("=1+2") == "\"'=1+2\"");
    CHECK(hub::csv_field("+1") == "\"'+1\"");
    CHECK(hub::csv_field("-1") == "\"'-1\"");
    CHECK(hub::csv_field("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(hub::csv_field("\tx") == "\"'\tx\"");
    CHECK(hub::csv_field("\rx") == "\"'\rx\"");
    CHECK(hub::csv_field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    CHECK(hub::csv_field("a=b") == "a=b");

    TestDatabase database(kSqlite);
    auto store = database.open();
    enrol(*store, "k-1", "s-1", "north");
    const std::string formula = "=cmd|' /C calc'!A0";
    auto event = make_event(core::EventType::FmotReaction, formula);
    REQUIRE(store->store_events({"k-1", "s-1", "north"}, {incoming(event)}, core::now_utc()));
    std::ostringstream csv, ndjson;
    REQUIRE(hub::export_events(*store, hub::ExportFormat::Csv, {}, csv));
    REQUIRE(hub::export_events(*store, hub::ExportFormat::Ndjson, {}, ndjson));
    CHECK_THAT(csv.str(), Catch::Contains(",\"'=cmd|' /C calc'!A0\","));
    CHECK(nlohmann::json::parse(ndjson.str())["sku"] == formula);
}

TEST_CASE("config set refuses a document holding 1e400 with a message naming the file", "[hub][config][cli][hostile]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const std::string file = dir.file("huge-number.json");
    std::ofstream(file) << R"({"format": 1e400, "catalog": {"products": []}})";
    auto set = run_hub_cli({"config", "set", "--all", "--file", file}, db);
    CHECK(set.exit_code != 0);
    CHECK(set.exit_code < 128);  // an exit, not a signal
    CHECK_THAT(set.err, Catch::Contains(file) && Catch::Contains("not valid JSON") &&
                            Catch::Contains("nothing was stored"));
}
