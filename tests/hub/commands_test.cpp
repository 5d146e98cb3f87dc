// The truthpoint-hub executable's contracts: output formats, exit codes, --db and TRUTHPOINT_HUB_DB,
// and `serve` printing its URL, answering, and stopping cleanly on SIGTERM.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <sqlite3.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

const std::regex kTokenLine("^[0-9a-f]{64}$");
using Args = std::vector<std::string>;

}  // namespace

TEST_CASE("kiosk add prints one line then the token alone on the last line", "[hub][cli]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-001", "--store", "s-042", "--region", "north"}, db);
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    const auto lines = split_lines(added.out);
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[0], Catch::StartsWith("enrolled kiosk k-001 in store s-042 (region north)"));
    REQUIRE(std::regex_match(lines[1], kTokenLine));

    SECTION("the printed token authenticates as that kiosk") {
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        auto identity = hub::authenticate(*store, "Bearer " + lines[1]);
        REQUIRE(identity);
        CHECK(identity->kiosk_id == "k-001");
        CHECK(identity->store_id == "s-042");
    }
    SECTION("a duplicate kiosk id is refused clearly") {
        auto again = run_hub_cli({"kiosk", "add", "--kiosk", "k-001", "--store", "s-1"}, db);
        CHECK(again.exit_code != 0);
        CHECK(again.out.empty());
        CHECK_THAT(again.err, Catch::Contains("k-001") && Catch::Contains("already enrolled"));
    }
    SECTION("kiosk list shows a table") {
        REQUIRE(run_hub_cli({"kiosk", "add", "--kiosk", "k-002", "--store", "s-042"}, db).exit_code == 0);
        auto listed = run_hub_cli({"kiosk", "list"}, db);
        REQUIRE(listed.exit_code == 0);
        const auto rows = split_lines(listed.out);
        REQUIRE(rows.size() == 3);
        CHECK(std::regex_match(rows[0], std::regex("^KIOSK +STORE +REGION +CREATED +REVOKED +LAST_SEEN +CLOCK_SKEW_MS$")));
        CHECK(std::regex_match(rows[1], std::regex(R"(^k-001 +s-042 +north +\d{4}-\d\d-\d\dT[\d:.]+Z +- +- +-$)")));
        CHECK(std::regex_match(rows[2], std::regex(R"(^k-002 +s-042 +- +\S+Z +- +- +-$)")));
    }
    SECTION("kiosk revoke refuses the token from then on") {
        auto revoked = run_hub_cli({"kiosk", "revoke", "--kiosk", "k-001"}, db);
        REQUIRE(revoked.exit_code == 0);
        CHECK_THAT(revoked.out, Catch::StartsWith("revoked kiosk k-001"));
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        CHECK_FALSE(hub::authenticate(*store, "Bearer " + lines[1]));
        auto listed = run_hub_cli({"kiosk", "list"}, db);
        CHECK(std::regex_search(listed.out, std::regex(R"(k-001 .*Z +\d{4}-\S+Z)")));
        auto unknown = run_hub_cli({"kiosk", "revoke", "--kiosk", "k-404"}, db);
        CHECK(unknown.exit_code != 0);
        CHECK_THAT(unknown.err, Catch::Contains("k-404"));
        auto refused = hub::authenticate(*store, "Bearer " + lines[1]);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message, Catch::Contains("kiosk rotate-token --kiosk k-001"));

        // A new token lets the revoked kiosk in again under its own id.
        auto rotated = run_hub_cli({"kiosk", "rotate-token", "--kiosk", "k-001"}, db);
        REQUIRE(rotated.exit_code == 0);
        CHECK_THAT(rotated.out, Catch::StartsWith("kiosk k-001 (store s-042) has a new token and is let in again"));
        const std::string fresh = split_lines(rotated.out).back();
        REQUIRE(std::regex_match(fresh, kTokenLine));
        auto identity = hub::authenticate(*store, "Bearer " + fresh);
        REQUIRE(identity);
        CHECK(identity->kiosk_id == "k-001");
        CHECK(identity->region == "north");
    }
    SECTION("kiosk rotate-token: the old token is refused, the new one is the same kiosk") {
        auto rotated = run_hub_cli({"kiosk", "rotate-token", "--kiosk", "k-001"}, db);
        REQUIRE(rotated.exit_code == 0);
        const auto rotated_lines = split_lines(rotated.out);
        REQUIRE(rotated_lines.size() == 2);
        CHECK_THAT(rotated_lines[0], Catch::StartsWith("kiosk k-001 (store s-042) has a new token;") &&
                                         Catch::Contains("old token is refused"));
        REQUIRE(std::regex_match(rotated_lines[1], kTokenLine));
        CHECK(rotated_lines[1] != lines[1]);
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        auto old_token = hub::authenticate(*store, "Bearer " + lines[1]);
        REQUIRE_FALSE(old_token);
        CHECK(old_token.error().code == core::ErrorCode::Unauthorized);
        auto identity = hub::authenticate(*store, "Bearer " + rotated_lines[1]);
        REQUIRE(identity);
        CHECK(identity->kiosk_id == "k-001");
        CHECK(identity->store_id == "s-042");

        auto unknown = run_hub_cli({"kiosk", "rotate-token", "--kiosk", "k-404"}, db);
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.out.empty());
        CHECK_THAT(unknown.err, Catch::Contains("no kiosk with id 'k-404'"));
    }
    SECTION("kiosk list --json") {
        REQUIRE(run_hub_cli({"kiosk", "add", "--kiosk", "k-002", "--store", "s-042", "--region", "north"}, db).exit_code == 0);
        REQUIRE(run_hub_cli({"kiosk", "revoke", "--kiosk", "k-002"}, db).exit_code == 0);
        auto listed = run_hub_cli({"kiosk", "list", "--json"}, db);
        REQUIRE(listed.exit_code == 0);
        const auto kiosks = nlohmann::json::parse(listed.out);
        REQUIRE(kiosks.size() == 2);
        CHECK(kiosks[0]["kiosk_id"] == "k-001");
        CHECK(kiosks[0]["store_id"] == "s-042");
        CHECK(kiosks[0]["region"] == "north");
        CHECK(core::parse_rfc3339(kiosks[0]["created_at"].get<std::string>()));
        CHECK(kiosks[0]["revoked_at"].is_null());
        CHECK(kiosks[0]["last_seen_at"].is_null());
        CHECK(kiosks[0]["clock_skew_ms"].is_null());
        CHECK(core::parse_rfc3339(kiosks[1]["revoked_at"].get<std::string>()));
        CHECK_THAT(listed.out, !Catch::Contains("token"));
    }
    SECTION("regions are the same whatever their case; a store under two regions is warned about") {
        auto shouted = run_hub_cli({"kiosk", "add", "--kiosk", "k-002", "--store", "s-043", "--region", "NORTH"}, db);
        REQUIRE(shouted.exit_code == 0);
        CHECK_THAT(shouted.out, Catch::StartsWith("enrolled kiosk k-002 in store s-043 (region north)"));
        CHECK_THAT(shouted.err, Catch::Contains("region 'NORTH' is enrolled as 'north'"));
        auto greek = run_hub_cli({"kiosk", "add", "--kiosk", "k-003", "--store", "s-044", "--region", "ΑΘΗΝΑ"}, db);
        REQUIRE(greek.exit_code == 0);
        auto greek_lower = run_hub_cli({"kiosk", "add", "--kiosk", "k-004", "--store", "s-044", "--region", "αθηνα"}, db);
        REQUIRE(greek_lower.exit_code == 0);
        CHECK_THAT(greek_lower.out, Catch::Contains("(region ΑΘΗΝΑ)"));
        CHECK(greek_lower.err.find("warning") == std::string::npos);

        auto other_region = run_hub_cli({"kiosk", "add", "--kiosk", "k-005", "--store", "s-042", "--region", "south"}, db);
        REQUIRE(other_region.exit_code == 0);  // enrolled all the same: a warning, not a refusal
        CHECK_THAT(other_region.err, Catch::Contains("warning: store s-042 has kiosks enrolled in region 'north'") &&
                                         Catch::Contains("k-001") && Catch::Contains("split"));
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        CHECK(store->list_kiosks().value().size() == 5);
    }
}

TEST_CASE("receipt-key show prints the chain's key alone on the last line, the same every time", "[hub][cli][receipts]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto first = run_hub_cli({"receipt-key", "show"}, db);
    REQUIRE(first.exit_code == 0);
    const std::string key = split_lines(first.out).back();
    CHECK(std::regex_match(key, kTokenLine));
    CHECK_THAT(first.err, Catch::Contains("HMAC-SHA256") && Catch::Contains("openssl dgst"));
    CHECK(split_lines(run_hub_cli({"receipt-key", "show"}, db).out).back() == key);

    // The key a point of sale hashes with is the one the hub's kiosks get: a hash made with it verifies.
    const auto parsed = core::ReceiptKey::from_hex(key);
    REQUIRE(parsed);
    CHECK(core::receipt_hash(parsed.value(), "R0000001234").size() == 64);

    auto wrong = run_hub_cli({"receipt-key", "turn"}, db);
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.err, Catch::Contains("unknown command 'turn'"));
}

TEST_CASE("receipt-key rotate prints a new key, and show then prints it and when kiosks let the old one go",
          "[hub][cli][receipts]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const std::string old_key = split_lines(run_hub_cli({"receipt-key", "show"}, db).out).back();

    auto rotated = run_hub_cli({"receipt-key", "rotate", "--kiosks-days", "30"}, db);
    REQUIRE(rotated.exit_code == 0);
    const std::string new_key = split_lines(rotated.out).back();
    CHECK(std::regex_match(new_key, kTokenLine));
    CHECK(new_key != old_key);
    CHECK_THAT(rotated.err, Catch::Contains("point of sale") && Catch::Contains("old key"));

    auto shown = run_hub_cli({"receipt-key", "show"}, db);
    REQUIRE(shown.exit_code == 0);
    CHECK(split_lines(shown.out).back() == new_key);
    CHECK_THAT(shown.err, Catch::Contains("Rotated 1 time") && Catch::Contains("until"));
    auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
    CHECK(store->retired_receipt_keys().value().front().key == old_key);

    for (const char* days : {"-1", "3651", "soon"}) {
        INFO(days);
        auto refused = run_hub_cli({"receipt-key", "rotate", "--kiosks-days", days}, db);
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.err, Catch::Contains("--kiosks-days"));
    }
    CHECK(split_lines(run_hub_cli({"receipt-key", "show"}, db).out).back() == new_key);  // nothing rotated
}

TEST_CASE("pos add, list and revoke", "[hub][cli][receipts]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto added = run_hub_cli({"pos", "add", "--pos", "till-07", "--store", "s-042"}, db);
    REQUIRE(added.exit_code == 0);
    CHECK(std::regex_match(split_lines(added.out).back(), kTokenLine));

    auto listed = run_hub_cli({"pos", "list"}, db);
    REQUIRE(listed.exit_code == 0);
    auto lines = split_lines(listed.out);
    REQUIRE(lines.size() == 2);
    CHECK(std::regex_search(lines[0], std::regex("^POS +STORE +CREATED +REVOKED$")));
    CHECK(std::regex_search(lines[1], std::regex("^till-07 +s-042 +20[0-9-]+T[0-9:.]+Z +-$")));

    auto revoked = run_hub_cli({"pos", "revoke", "--pos", "till-07"}, db);
    CHECK(revoked.exit_code == 0);
    CHECK_THAT(revoked.out, Catch::Contains("revoked point of sale till-07"));
    lines = split_lines(run_hub_cli({"pos", "list"}, db).out);
    REQUIRE(lines.size() == 2);
    CHECK_THAT(lines[1], !Catch::EndsWith("-"));

    auto unknown = run_hub_cli({"pos", "revoke", "--pos", "till-99"}, db);
    CHECK(unknown.exit_code == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no point of sale with id 'till-99'"));
}

TEST_CASE("store set and list: a store's time zone and name, on both engines", "[hub][cli][stores]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    const std::string& db = database.url();
    {
        auto store = database.open();
        enrol(*store, "k-1", "s-042");
        core::Event event = make_event(core::EventType::FmotReaction, "sku-1");
        event.occurred_at = core::parse_rfc3339("2026-06-01T21:00:00.000Z").value();
        REQUIRE(store->store_events({"k-1", "s-042", ""}, {incoming(event)}, core::now_utc()));
    }

    auto set = run_hub_cli({"store", "set", "s-042", "--time-zone", "Asia/Tehran", "--name", "Vanak Square"}, db);
    INFO(set.err);
    REQUIRE(set.exit_code == 0);
    CHECK_THAT(set.out, Catch::Contains("store s-042 is on Asia/Tehran (Vanak Square)"));
    // Its event, 21:00Z, is counted on Tehran's next day.
    CHECK(database.execute("SELECT local_date FROM rollup_answers WHERE store_id = 's-042'") == "2026-06-02");

    auto listed = run_hub_cli({"store", "list"}, db);
    REQUIRE(listed.exit_code == 0);
    auto lines = split_lines(listed.out);
    REQUIRE(lines.size() == 2);
    CHECK(std::regex_search(lines[0], std::regex("^STORE +TIME_ZONE +NAME +UPDATED$")));
    CHECK(std::regex_search(lines[1], std::regex("^s-042 +Asia/Tehran +Vanak Square +20[0-9-]+T[0-9:.]+Z$")));

    // A new zone without --name keeps the name.
    REQUIRE(run_hub_cli({"store", "set", "s-042", "--time-zone", "Europe/Athens"}, db).exit_code == 0);
    CHECK(database.execute("SELECT local_date FROM rollup_answers WHERE store_id = 's-042'") == "2026-06-02");
    auto json = run_hub_cli({"store", "list", "--json"}, db);
    REQUIRE(json.exit_code == 0);
    const auto stores = nlohmann::json::parse(json.out);
    REQUIRE(stores.size() == 1);
    CHECK(stores[0]["store_id"] == "s-042");
    CHECK(stores[0]["time_zone"] == "Europe/Athens");
    CHECK(stores[0]["name"] == "Vanak Square");
    CHECK(core::parse_rfc3339(stores[0]["updated_at"].get<std::string>()));

    auto unknown = run_hub_cli({"store", "set", "s-7", "--time-zone", "Mars/Olympus_Mons"}, db);
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("Mars/Olympus_Mons"));
    auto bad_id = run_hub_cli({"store", "set", "s 7", "--time-zone", "UTC"}, db);
    CHECK(bad_id.exit_code == 2);
    CHECK(split_lines(run_hub_cli({"store", "list"}, db).out).size() == 2);  // nothing more stored
}

TEST_CASE("bad arguments name the option and exit non-zero", "[hub][cli]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    struct Case {
        std::vector<std::string> arguments;
        std::string named;
    };
    const std::vector<Case> cases{
        {{"kiosk", "add", "--kiosk", "k-1"}, "--store"},
        {{"kiosk", "add", "--kiosk", "k 1", "--store", "s-1"}, "--kiosk"},
        {{"export", "--format", "xml"}, "--format"},
        {{"export"}, "--format"},
        {{"export", "--format", "csv", "--from", "yesterday"}, "--from"},
        {{"export", "--format", "csv", "--to", "2026-13-45"}, "--to"},
        {{"export", "--format", "csv", "--from-day", "2026-02-30"}, "--from-day"},
        {{"export", "--format", "csv", "--to-day", "10/03/2026"}, "--to-day"},
        {{"export", "--format", "csv", "--from-day", "2026-03-10", "--to-day", "2026-03-09"}, "--to-day"},
        {{"export", "--format", "csv", "--region", "north east"}, "--region"},
        {{"export", "--format", "csv", "--sku", ""}, "--sku"},
        {{"serve", "--listen", "8080"}, "--listen"},
        {{"serve", "--db", "mysql://x"}, "--db"},
        // Nothing listens on port 1: refused at once, and the message names the server.
        {{"kiosk", "list", "--db", "postgresql://hub@127.0.0.1:1/truthpoint"},
         "cannot connect to PostgreSQL at 127.0.0.1:1"},
        {{"frobnicate"}, "frobnicate"},
    };
    for (const auto& c : cases) {
        INFO(c.arguments.front() << " ... " << c.named);
        auto result = run_hub_cli(c.arguments, db);
        CHECK(result.exit_code != 0);
        CHECK_THAT(result.err, Catch::Contains(c.named));
    }
}

TEST_CASE("TRUTHPOINT_HUB_DB is the default for --db, and --db wins over it", "[hub][cli]") {
    TempDir dir;
    const std::string from_env = new_sqlite_hub(dir, "env.db");
    const std::string from_flag = new_sqlite_hub(dir, "flag.db");
    REQUIRE(run_hub_cli({"kiosk", "add", "--kiosk", "k-env", "--store", "s-1"}, from_env).exit_code == 0);
    REQUIRE(run_hub_cli({"kiosk", "add", "--kiosk", "k-flag", "--store", "s-1", "--db", from_flag}, from_env)
                .exit_code == 0);
    CHECK_THAT(run_hub_cli({"kiosk", "list"}, from_env).out,
               Catch::Contains("k-env") && !Catch::Contains("k-flag"));
    CHECK_THAT(run_hub_cli({"kiosk", "list", "--db", from_flag}, from_env).out,
               Catch::Contains("k-flag") && !Catch::Contains("k-env"));
}

TEST_CASE("export writes csv and ndjson to stdout", "[hub][cli][export]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    std::vector<core::Event> events{make_event(core::EventType::FmotReaction), make_event(core::EventType::UmotReview)};
    {
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        enrol(*store, "k-1", "s-1");
        enrol(*store, "k-2", "s-2");
        core::Batch batch{"b", {}};
        for (const auto& e : events) batch.items.push_back({e.id, "", e, core::encode_event(e)});
        REQUIRE(hub_test::ingest_batch(*store, {"k-1", "s-1", ""}, batch, core::now_utc()));
    }
    SECTION("csv") {
        auto csv = run_hub_cli({"export", "--format", "csv"}, db);
        REQUIRE(csv.exit_code == 0);
        const auto lines = split_lines(csv.out);
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "id,type,occurred_at,received_at,kiosk_id,store_id,session_id,locale,sku,data,verified_purchase");
        CHECK_THAT(lines[1], Catch::StartsWith(events[0].id + ",fmot.reaction,"));
        CHECK_THAT(lines[2], Catch::StartsWith(events[1].id + ",umot.review,"));
    }
    SECTION("ndjson with filters") {
        auto all = run_hub_cli({"export", "--format", "ndjson", "--from", "2000-01-01T00:00:00Z"}, db);
        REQUIRE(all.exit_code == 0);
        const auto lines = split_lines(all.out);
        REQUIRE(lines.size() == 2);
        CHECK(nlohmann::json::parse(lines[0])["kiosk_id"] == "k-1");
        CHECK(nlohmann::json::parse(lines[1])["id"] == events[1].id);
        auto other_store = run_hub_cli({"export", "--format", "ndjson", "--store", "s-2"}, db);
        REQUIRE(other_store.exit_code == 0);
        CHECK(other_store.out.empty());
        auto before = run_hub_cli({"export", "--format", "ndjson", "--to", "2000-01-01T00:00:00Z"}, db);
        REQUIRE(before.exit_code == 0);
        CHECK(before.out.empty());
    }
}

TEST_CASE("export takes the dashboard's filter: region, sku, local days in the store's zone, misuse",
          "[hub][cli][export]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const auto at = [](const char* text) { return core::parse_rfc3339(text).value(); };
    std::vector<core::Event> events;
    {
        auto store = hub::SqliteStore::open(dir.file("hub.db")).value();
        enrol(*store, "k-teh", "s-teh", "east");
        enrol(*store, "k-2", "s-2", "west");
        sqlite3* file = nullptr;
        REQUIRE(sqlite3_open(dir.file("hub.db").c_str(), &file) == SQLITE_OK);
        CHECK(sqlite3_exec(file, "INSERT INTO stores (store_id, time_zone, updated_at) "
                                 "VALUES ('s-teh', 'Asia/Tehran', '2026-01-01T00:00:00.000Z')",
                           nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(file);
        // Tehran's 2026-03-10 ends at 20:30Z.
        const std::vector<std::pair<const char*, const char*>> plan{
            {"2026-03-10T20:29:00.000Z", "sku-1"}, {"2026-03-10T20:30:00.000Z", "sku-1"},
            {"2026-03-10T10:00:00.000Z", "sku-2"}, {"2026-03-10T11:00:00.000Z", "sku-1"}};
        core::Batch batch{"b", {}};
        for (const auto& [time, sku] : plan) {
            core::Event event = make_event(core::EventType::FmotReaction, sku);
            event.occurred_at = at(time);
            events.push_back(event);
            batch.items.push_back({event.id, "", event, core::encode_event(event)});
        }
        events.back().data["misuse"] = true;
        batch.items.back() = {events.back().id, "", events.back(), core::encode_event(events.back())};
        REQUIRE(hub_test::ingest_batch(*store, {"k-teh", "s-teh", "east"}, batch, core::now_utc()));
    }
    const auto ids = [&](const std::vector<std::string>& filter) {
        std::vector<std::string> arguments{"export", "--format", "ndjson"};
        arguments.insert(arguments.end(), filter.begin(), filter.end());
        auto result = run_hub_cli(arguments, db);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        std::vector<std::string> found;
        for (const auto& line : split_lines(result.out)) found.push_back(nlohmann::json::parse(line)["id"]);
        return found;
    };
    CHECK(ids({"--region", "east", "--from-day", "2026-03-10", "--to-day", "2026-03-10"}) ==
          std::vector<std::string>{events[0].id, events[2].id, events[3].id});
    CHECK(ids({"--from-day", "2026-03-11"}) == std::vector<std::string>{events[1].id});
    CHECK(ids({"--region", "west"}).empty());
    CHECK(ids({"--sku", "sku-2"}) == std::vector<std::string>{events[2].id});
    // Misuse stays in unless asked out: the export's documented contract is every stored event.
    CHECK(ids({"--sku", "sku-1"}).size() == 3);
    CHECK(ids({"--sku", "sku-1", "--without-misuse"}) == std::vector<std::string>{events[0].id, events[1].id});
}

TEST_CASE("serve prints its URL once, answers there, and exits 0 on SIGTERM or SIGINT", "[hub][cli][http]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, db);
    REQUIRE(added.exit_code == 0);
    const std::string token = split_lines(added.out).back();

    ServeProcess serve(db);
    const std::string line = serve.first_line();
    std::smatch match;
    REQUIRE(std::regex_match(line, match, std::regex(R"(^truthpoint-hub listening on http://127\.0\.0\.1:(\d+)\n$)")));
    const int port = std::stoi(match[1]);
    CHECK(port > 0);
    {
        httplib::Client client("127.0.0.1", port);
        client.set_read_timeout(10);
        auto health = client.Get("/healthz");
        REQUIRE(health);
        CHECK(health->status == 200);
        auto posted = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + token}},
                                  batch_body({make_event(core::EventType::SessionStart)}), "application/json");
        REQUIRE(posted);
        CHECK(posted->status == 200);
    }
    const int signal = GENERATE(SIGTERM, SIGINT);
    auto [exit_code, rest] = serve.stop(signal);
    CHECK(exit_code == 0);
    CHECK(rest.empty());  // exactly one line on stdout
}

TEST_CASE("serve's rollup worker counts what ingest stored, with no reader asking", "[hub][cli][http][rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, database.url());
    REQUIRE(added.exit_code == 0);
    const std::string token = split_lines(added.out).back();
    ServeProcess serve(database.url());
    httplib::Client client("127.0.0.1", serve.wait_for_port());
    client.set_read_timeout(10);
    for (int batch = 0; batch < 3; ++batch) {
        std::vector<core::Event> events;
        for (int i = 0; i < 40; ++i) events.push_back(make_event(core::EventType::SessionStart));
        auto posted = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + token}},
                                  batch_body(events, "b-" + std::to_string(batch)), "application/json");
        REQUIRE(posted);
        REQUIRE(posted->status == 200);
    }
    // Read from the tables themselves, which no catch-up precedes: the worker alone moves them.
    const std::string newest = database.is_postgresql() ? "SELECT max(received_seq) FROM events" : "SELECT max(rowid) FROM events";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (database.execute("SELECT folded_through FROM rollup_progress") != database.execute(newest) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(database.execute("SELECT folded_through FROM rollup_progress") == database.execute(newest));
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE tier = 'store_totals_month' AND question = 'type' "
                           "AND answer = 'session.start'") == "120");
    CHECK(serve.stop(SIGTERM).first == 0);
}

TEST_CASE("pos add and receipts import", "[hub][cli][receipts]") {
    TempDir dir;
    const std::string url = hub_test::new_sqlite_hub(dir);
    REQUIRE(hub_test::run_hub_cli(Args{"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, url).exit_code == 0);

    SECTION("pos add prints the token once, on the last line, and keeps only its hash") {
        auto added = hub_test::run_hub_cli(Args{"pos", "add", "--pos", "till-1", "--store", "s-1"}, url);
        REQUIRE(added.exit_code == 0);
        const auto lines = hub_test::split_lines(added.out);
        const std::string token = lines.back();
        CHECK(token.size() >= 43);
        auto store = hub::open_store(url);
        REQUIRE(store);
        auto found = (*store)->find_pos_by_token_hash(hub::hash_token(token));
        REQUIRE(found);
        REQUIRE(found->has_value());
        CHECK((*found)->store_id == "s-1");
        CHECK(hub_test::run_hub_cli(Args{"pos", "add", "--pos", "till-1", "--store", "s-1"}, url).exit_code == 1);
    }
    SECTION("a good CSV is imported") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kReceiptHashA << ",2026-01-31T10:15:00Z,sku-1;sku-2\n"
                           << kReceiptHashB << ",2026-01-31T11:00:00Z,\"sku-3\"\n";
        auto imported = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-1"}, url);
        CAPTURE(imported.err);
        REQUIRE(imported.exit_code == 0);
        CHECK(imported.out.find("imported 2 receipts") != std::string::npos);
    }
    SECTION("a bad row names its line and nothing is imported") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kReceiptHashA << ",2026-01-31T10:15:00Z,sku-1\n"
                           << "code-in-clear,2026-01-31T11:00:00Z,sku-3\n";
        auto imported = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-1"}, url);
        CHECK(imported.exit_code == 2);
        CHECK(imported.err.find("line 3") != std::string::npos);
        CHECK(imported.err.find("64 hex") != std::string::npos);
        auto store = hub::open_store(url);
        auto again = (*store)->store_receipts("s-1", {hub::Receipt{kReceiptHashA, core::now_utc(), {"sku-1"}}}, core::now_utc());
        CHECK(again->stored == 1);  // the good row was not imported either
    }
    SECTION("an unknown store or a missing column is refused") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kReceiptHashA << ",2026-01-31T10:15:00Z,sku-1\n";
        auto unknown = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-404"}, url);
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.err.find("s-404") != std::string::npos);
        auto no_store = hub_test::run_hub_cli(Args{"receipts", "import", csv.string()}, url);
        CHECK(no_store.exit_code == 2);
        const auto bad_header = dir.path() / "bad.csv";
        std::ofstream(bad_header) << "hash,time\n";
        CHECK(hub_test::run_hub_cli(Args{"receipts", "import", bad_header.string(), "--store", "s-1"}, url).exit_code == 2);
    }
    SECTION("kiosk list shows last seen and clock skew") {
        auto store = hub::open_store(url);
        core::Event event = hub_test::make_event(core::EventType::SessionStart);
        const auto received = core::now_utc();
        event.occurred_at = received - std::chrono::milliseconds(1500);
        REQUIRE((*store)->store_events({"k-1", "s-1", ""}, {incoming(event)}, received));
        auto listed = hub_test::run_hub_cli(Args{"kiosk", "list"}, url);
        const auto rows = hub_test::split_lines(listed.out);
        REQUIRE(rows.size() >= 2);
        CHECK(std::regex_search(rows[1], std::regex(R"(\S+Z +1500$)")));
    }
}

TEST_CASE("only serve and db init create a SQLite database: a missing path is named, not made", "[hub][cli]") {
    TempDir dir;
    const std::string typo = "sqlite:" + dir.file("hbu.db");
    for (const Args& command : {Args{"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, Args{"kiosk", "list"},
                                Args{"user", "list"}, Args{"export", "--format", "csv"}, Args{"receipt-key", "show"},
                                Args{"db", "copy", "--from", typo, "--to", "postgresql://nobody@127.0.0.1:1/none"}}) {
        INFO(command.front() << " " << command[1]);
        const auto result = run_hub_cli(command, typo);
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.err, Catch::Contains(dir.file("hbu.db") + " does not exist") &&
                                   Catch::Contains("truthpoint-hub db init"));
        CHECK_FALSE(std::filesystem::exists(dir.file("hbu.db")));
    }

    const auto created = run_hub_cli({"db", "init"}, typo);
    CHECK(created.exit_code == 0);
    CHECK_THAT(created.out, Catch::Contains("created a new database"));
    CHECK(run_hub_cli({"kiosk", "list"}, typo).exit_code == 0);
    const auto again = run_hub_cli({"db", "init"}, typo);
    CHECK(again.exit_code == 0);
    CHECK_THAT(again.out, Catch::Contains("it existed"));
}

TEST_CASE("truthpoint-hub --version prints the version and exits 0", "[hub][cli]") {
    const auto result = run_hub_cli({"--version"}, "sqlite:/nonexistent/hub.db");
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Catch::StartsWith("truthpoint-hub ") && Catch::Contains("."));
}

TEST_CASE("kiosk add --write-config writes the kiosk's ready configuration, token inside, mode 0600", "[hub][cli]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const std::string file = dir.file("k-001.toml");
    const auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-001", "--store", "s-042", "--region", "north",
                                    "--hub-url", "https://hub.example:8443", "--languages", "en,fa",
                                    "--write-config", file},
                                   db);
    REQUIRE(added.exit_code == 0);
    const std::string token = split_lines(added.out).back();
    CHECK(std::regex_match(token, kTokenLine));
    CHECK_THAT(added.out, Catch::Contains("wrote its configuration, token inside, to " + file + " (mode 0600)"));
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::all) ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
    std::stringstream text;
    text << std::ifstream(file).rdbuf();
    CHECK_THAT(text.str(), Catch::Contains("[kiosk]\nid = \"k-001\"\nstore = \"s-042\"\n") &&
                               Catch::Contains("languages = [\"en\", \"fa\"]") &&
                               Catch::Contains("[hub]\nurl = \"https://hub.example:8443\"\ntoken = \"" + token + "\""));

    SECTION("an existing file is not replaced without --force, and no kiosk is enrolled for it") {
        const auto again = run_hub_cli({"kiosk", "add", "--kiosk", "k-002", "--store", "s-042", "--hub-url",
                                        "https://hub.example", "--write-config", file},
                                       db);
        CHECK(again.exit_code == 2);
        CHECK_THAT(again.err, Catch::Contains(file + " exists already; --force replaces it") &&
                                  Catch::Contains("kiosk k-002 was not enrolled"));
        CHECK_THAT(run_hub_cli({"kiosk", "list"}, db).out, !Catch::Contains("k-002"));
        const auto forced = run_hub_cli({"kiosk", "add", "--kiosk", "k-002", "--store", "s-042", "--hub-url",
                                         "https://hub.example", "--write-config", file, "--force"},
                                        db);
        CHECK(forced.exit_code == 0);
        std::stringstream replaced;
        replaced << std::ifstream(file).rdbuf();
        CHECK_THAT(replaced.str(), Catch::Contains("id = \"k-002\"") && Catch::Contains(split_lines(forced.out).back()));
    }
    SECTION("a file that cannot be created enrols nothing") {
        const auto refused = run_hub_cli({"kiosk", "add", "--kiosk", "k-003", "--store", "s-042", "--hub-url",
                                          "https://hub.example", "--write-config", dir.file("missing/k-003.toml")},
                                         db);
        CHECK(refused.exit_code == 1);
        CHECK_THAT(refused.err, Catch::Contains("missing/k-003.toml: cannot be created") &&
                                    Catch::Contains("kiosk k-003 was not enrolled"));
        CHECK_THAT(run_hub_cli({"kiosk", "list"}, db).out, !Catch::Contains("k-003"));
    }
    SECTION("usage mistakes exit 2 and enrol nothing") {
        for (const Args& arguments :
             {Args{"kiosk", "add", "--kiosk", "k-4", "--store", "s-1", "--write-config", dir.file("k-4.toml")},
              Args{"kiosk", "add", "--kiosk", "k-4", "--store", "s-1", "--hub-url", "https://hub.example"},
              Args{"kiosk", "add", "--kiosk", "k-4", "--store", "s-1", "--hub-url", "hub.example", "--write-config",
                   dir.file("k-4.toml")},
              Args{"kiosk", "add", "--kiosk", "k-4", "--store", "s-1", "--hub-url", "https://hub.example",
                   "--languages", "en,xx", "--write-config", dir.file("k-4.toml")}}) {
            const auto refused = run_hub_cli(arguments, db);
            INFO(refused.err);
            CHECK(refused.exit_code == 2);
        }
        CHECK_FALSE(std::filesystem::exists(dir.file("k-4.toml")));
        CHECK_THAT(run_hub_cli({"kiosk", "list"}, db).out, !Catch::Contains("k-4"));
    }
}
