// `truthpoint-hub db copy`: a SQLite hub moved to PostgreSQL keeps working for every kiosk, till and user.
#include <catch2/catch.hpp>

#include <sstream>

#include "support.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/hub/users.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

constexpr const char* kPassword = "a long enough passphrase";

std::string ndjson_of(hub::Store& store) {
    std::ostringstream out;
    REQUIRE(hub::export_events(store, hub::ExportFormat::Ndjson, {}, out));
    return out.str();
}

}  // namespace

TEST_CASE("db copy moves a SQLite hub to PostgreSQL: tokens, passwords, events and counts carry over",
          "[hub][cli][copy]") {
    RunningHub sqlite_hub(kSqlite);  // kiosk k-1 in s-1
    hub::Store& source = sqlite_hub.store();
    const auto north = enrol(source, "k-north", "s-north", "north");
    REQUIRE(source.add_user({"anna", hub::UserRole::Manager, "north", hub::hash_password(kPassword).value(),
                             core::now_utc()}));
    REQUIRE(source.put_config("s-1", R"({"products":[]})", "\"sha256-test\"", core::now_utc()));
    const std::string till = hub::generate_token().value();
    REQUIRE(source.add_pos({"till-1", "s-1", hub::hash_token(till)}, core::now_utc()));

    std::vector<core::Event> events;
    for (int i = 0; i < 40; ++i) {
        core::Event event = make_event(i % 2 ? core::EventType::FmotReaction : core::EventType::FmotIntent);
        if (i % 10 == 0) event.data["misuse"] = true;
        events.push_back(event);
    }
    core::Event bought = make_event(core::EventType::SmotFeedback, "sku-1");
    bought.data["receipt_hash"] = std::string(64, 'a');
    events.push_back(bought);
    const std::string body = batch_body(events);
    REQUIRE(sqlite_hub.post_batch(body)->status == 200);
    REQUIRE(sqlite_hub.post_batch(batch_body({make_event(core::EventType::FmotReaction)}, "b-north"),
                                  {{"Authorization", "Bearer " + north.token}})
                ->status == 200);
    REQUIRE(source.store_receipts("s-1", {{std::string(64, 'a'), core::now_utc(), {"sku-1"}}}, core::now_utc())
                ->verified_events == 1);

    TestDatabase target(kPostgresql);
    auto copied = run_hub_cli({"db", "copy", "--from", sqlite_hub.database().url(), "--to", target.url()}, "");
    INFO(copied.out << copied.err);
    REQUIRE(copied.exit_code == 0);
    CHECK_THAT(copied.out, Catch::Contains("events: 42 rows") && Catch::Contains("kiosks: 2 rows") &&
                               Catch::Contains("every table's count matches"));

    auto moved = target.open();
    SECTION("the same kiosks, events (in the same order, verified purchases included), counts and configuration") {
        CHECK(ndjson_of(*moved) == ndjson_of(source));
        const auto before = source.stats().value();
        const auto after = moved->stats().value();
        CHECK(after.total_events == before.total_events);
        CHECK(after.misuse_events == before.misuse_events);
        CHECK(after.by_type == before.by_type);
        REQUIRE(after.by_store.size() == before.by_store.size());
        CHECK(after.by_store[0].reactions == before.by_store[0].reactions);
        const auto kiosks = moved->list_kiosks().value();
        REQUIRE(kiosks.size() == 2);
        CHECK(kiosks[1].kiosk_id == "k-north");
        CHECK(kiosks[1].region == "north");
        CHECK(kiosks[1].created_at == source.list_kiosks().value()[1].created_at);
        const auto config = moved->get_config("s-1").value();
        REQUIRE(config.has_value());
        CHECK(config->document == R"({"products":[]})");
        CHECK(config->etag == "\"sha256-test\"");
        CHECK(moved->find_pos_by_token_hash(hub::hash_token(till)).value()->pos_id == "till-1");
    }
    SECTION("a hub on the copy takes the kiosks' tokens, knows their events, and lets users sign in") {
        hub::Server server(*moved);
        const auto bound = server.bind({"127.0.0.1", 0});
        REQUIRE(bound);
        std::thread serving([&] { (void)server.run(); });
        httplib::Client client("127.0.0.1", bound->port);
        client.set_read_timeout(20);
        // The kiosk sends its batch again (its answer was lost, say): all duplicates, nothing stored twice.
        auto again = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + sqlite_hub.kiosk().token}}, body,
                                 "application/json");
        auto session = client.Post("/api/v1/sessions",
                                   nlohmann::json{{"name", "anna"}, {"password", kPassword}}.dump(), "application/json");
        server.stop();
        serving.join();
        REQUIRE(again);
        CHECK(again->status == 200);
        CHECK(nlohmann::json::parse(again->body)["duplicates"] == 41);
        REQUIRE(session);
        CHECK(session->status == 201);
        CHECK(moved->stats().value().total_events == 42);
    }
    SECTION("copying again into a database that holds a hub is refused") {
        auto twice = run_hub_cli({"db", "copy", "--from", sqlite_hub.database().url(), "--to", target.url()}, "");
        CHECK(twice.exit_code == 2);
        CHECK_THAT(twice.err, Catch::Contains("--to") && Catch::Contains("new, empty database"));
    }
}

TEST_CASE("db copy goes from SQLite to PostgreSQL only", "[hub][cli][copy]") {
    TempDir dir;
    const std::string sqlite = "sqlite:" + dir.file("hub.db");
    auto backwards = run_hub_cli({"db", "copy", "--from", "postgresql://nobody@127.0.0.1:1/x", "--to", sqlite}, "");
    CHECK(backwards.exit_code == 2);
    CHECK_THAT(backwards.err, Catch::Contains("--from") && Catch::Contains("SQLite"));
    auto sideways = run_hub_cli({"db", "copy", "--from", sqlite, "--to", "sqlite:" + dir.file("other.db")}, "");
    CHECK(sideways.exit_code == 2);
    CHECK_THAT(sideways.err, Catch::Contains("--to") && Catch::Contains("PostgreSQL"));
}
