// SqliteStore: migrations and pragmas, kiosks, idempotent batch storage in one transaction, reading back.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TempDir;

namespace {

// Runs one statement on a separate raw connection and returns the first column of the first row.
std::string query_text(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::string result;
    const int rc = sqlite3_step(statement);
    REQUIRE((rc == SQLITE_ROW || rc == SQLITE_DONE));
    if (rc == SQLITE_ROW && sqlite3_column_text(statement, 0)) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return result;
}

IncomingEvent incoming(const core::Event& event) {
    const std::string canonical = core::encode_event(event);
    return {event, canonical, sha256_hex(canonical)};
}

std::vector<StoredEvent> read_all(Store& store, const EventFilter& filter = {}) {
    std::vector<StoredEvent> events;
    REQUIRE(store.for_each_event(filter, [&](const StoredEvent& event) {
        events.push_back(event);
        return true;
    }));
    return events;
}

}  // namespace

TEST_CASE("opening a database runs the numbered migrations once", "[hub][store][migrations]") {
    TempDir dir;
    const std::string path = dir.file("hub.db");

    SECTION("a new file gets the latest schema, WAL and both tables") {
        {
            auto store = SqliteStore::open(path);
            REQUIRE(store);
        }
        CHECK(query_text(path, "PRAGMA user_version") == std::to_string(SqliteStore::latest_schema_version()));
        CHECK(query_text(path, "PRAGMA journal_mode") == "wal");
        for (const char* column : {"id", "store_id", "region", "token_hash", "created_at", "revoked_at"}) {
            INFO(column);
            CHECK(query_text(path, std::string("SELECT count(*) FROM pragma_table_info('kiosks') WHERE name = '") +
                                       column + "'") == "1");
        }
        for (const char* column : {"id", "kiosk_id", "store_id", "type", "occurred_at", "received_at", "session_id",
                                   "locale", "sku", "data", "payload_hash"}) {
            INFO(column);
            CHECK(query_text(path, std::string("SELECT count(*) FROM pragma_table_info('events') WHERE name = '") +
                                       column + "'") == "1");
        }
        CHECK(query_text(path, "SELECT pk FROM pragma_table_info('events') WHERE name = 'id'") == "1");
    }
    SECTION("reopening keeps the data and does not migrate again") {
        {
            auto store = SqliteStore::open(path).value();
            hub_test::enrol(*store, "k-1", "s-1");
        }
        auto store = SqliteStore::open(path);
        REQUIRE(store);
        CHECK((*store)->list_kiosks().value().size() == 1);
        CHECK(query_text(path, "PRAGMA user_version") == std::to_string(SqliteStore::latest_schema_version()));
    }
    SECTION("a database from a newer hub is refused, not touched") {
        { REQUIRE(SqliteStore::open(path)); }
        query_text(path, "PRAGMA user_version = 99");
        auto store = SqliteStore::open(path);
        REQUIRE_FALSE(store);
        CHECK(store.error().code == ErrorCode::Unsupported);
        CHECK_THAT(store.error().message, Catch::Contains("newer truthpoint-hub"));
        CHECK(query_text(path, "PRAGMA user_version") == "99");
    }
}

TEST_CASE("kiosks are enrolled once, listed and revoked", "[hub][store]") {
    TempDir dir;
    auto store = SqliteStore::open(dir.file("hub.db")).value();
    hub_test::enrol(*store, "k-2", "s-1", "north");
    hub_test::enrol(*store, "k-1", "s-2");

    SECTION("a duplicate kiosk id is refused clearly") {
        auto again = store->add_kiosk({"k-1", "s-9", "", hash_token("other")}, core::now_utc());
        REQUIRE_FALSE(again);
        CHECK(again.error().code == ErrorCode::AlreadyExists);
        CHECK_THAT(again.error().message, Catch::Contains("k-1") && Catch::Contains("already enrolled"));
    }
    SECTION("list is ordered by id and shows revocation") {
        REQUIRE(store->revoke_kiosk("k-2", core::now_utc()));
        auto kiosks = store->list_kiosks();
        REQUIRE(kiosks);
        REQUIRE(kiosks->size() == 2);
        CHECK((*kiosks)[0].kiosk_id == "k-1");
        CHECK_FALSE((*kiosks)[0].revoked_at);
        CHECK((*kiosks)[1].kiosk_id == "k-2");
        CHECK((*kiosks)[1].region == "north");
        CHECK((*kiosks)[1].revoked_at);
    }
    SECTION("revoking twice keeps the first time") {
        const auto first = store->revoke_kiosk("k-1", core::now_utc() - std::chrono::hours(1)).value().revoked_at;
        const auto second = store->revoke_kiosk("k-1", core::now_utc()).value().revoked_at;
        CHECK(first == second);
    }
}

TEST_CASE("events are stored once and a different payload under a stored id is a conflict", "[hub][store][ingest]") {
    TempDir dir;
    const std::string path = dir.file("hub.db");
    auto store = SqliteStore::open(path).value();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const KioskIdentity kiosk1{"k-1", "s-1", ""};
    const KioskIdentity kiosk2{"k-2", "s-2", ""};
    const auto reaction = hub_test::make_event(core::EventType::FmotReaction);
    const auto start = hub_test::make_event(core::EventType::SessionStart);

    auto first = store->store_events(kiosk1, {incoming(reaction), incoming(start)}, core::now_utc());
    REQUIRE(first);
    CHECK(*first == std::vector{EventOutcome::Stored, EventOutcome::Stored});

    SECTION("the same events again are duplicates") {
        auto again = store->store_events(kiosk1, {incoming(start), incoming(reaction)}, core::now_utc());
        REQUIRE(again);
        CHECK(*again == std::vector{EventOutcome::Duplicate, EventOutcome::Duplicate});
        CHECK(store->stats().value().total_events == 2);
    }
    SECTION("another payload under the same id is a conflict, and the stored one stays") {
        auto changed = reaction;
        changed.data["reaction"] = "very_unhappy";
        auto outcome = store->store_events(kiosk1, {incoming(changed)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Conflict});
        CHECK(read_all(*store)[0].data == reaction.data.dump());
    }
    SECTION("the same event from another kiosk is a conflict") {
        auto outcome = store->store_events(kiosk2, {incoming(reaction)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Conflict});
    }
    SECTION("a repeated id inside one batch is stored once") {
        const auto end = hub_test::make_event(core::EventType::SessionEnd);
        auto outcome = store->store_events(kiosk1, {incoming(end), incoming(end)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Stored, EventOutcome::Duplicate});
    }
    SECTION("a batch is one transaction: a failure part-way stores none of it") {
        // A trigger that aborts the third insert stands in for a disk error mid-batch.
        query_text(path,
                   "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.sku = 'poison' "
                   "BEGIN SELECT RAISE(ABORT, 'poisoned event'); END");
        const auto a = hub_test::make_event(core::EventType::FmotIntent);
        const auto b = hub_test::make_event(core::EventType::StaffShelf);
        const auto poison = hub_test::make_event(core::EventType::FmotDriver, "poison");
        auto outcome = store->store_events(kiosk1, {incoming(a), incoming(b), incoming(poison)}, core::now_utc());
        REQUIRE_FALSE(outcome);
        CHECK(outcome.error().code == ErrorCode::Unavailable);
        CHECK(store->stats().value().total_events == 2);
        // ...and the store still works afterwards.
        auto retry = store->store_events(kiosk1, {incoming(a), incoming(b)}, core::now_utc());
        REQUIRE(retry);
        CHECK(store->stats().value().total_events == 4);
    }
}

TEST_CASE("events are read back in received order, filtered by received time and store", "[hub][store]") {
    TempDir dir;
    auto store = SqliteStore::open(dir.file("hub.db")).value();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const core::Timestamp t0 = core::parse_rfc3339("2026-03-01T10:00:00.000Z").value();
    const auto hour = std::chrono::hours(1);
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        const auto event = hub_test::make_event(core::EventType::KioskHeartbeat);
        ids.push_back(event.id);
        const KioskIdentity sender = i % 2 == 0 ? KioskIdentity{"k-1", "s-1", ""} : KioskIdentity{"k-2", "s-2", ""};
        REQUIRE(store->store_events(sender, {incoming(event)}, t0 + i * hour));
    }

    SECTION("all, oldest first, with kiosk, store and received time") {
        auto events = read_all(*store);
        REQUIRE(events.size() == 4);
        for (int i = 0; i < 4; ++i) CHECK(events[i].id == ids[i]);
        CHECK(events[1].kiosk_id == "k-2");
        CHECK(events[1].store_id == "s-2");
        CHECK(events[1].received_at == "2026-03-01T11:00:00.000Z");
    }
    SECTION("from is inclusive, to exclusive") {
        EventFilter filter;
        filter.received_from = t0 + hour;
        filter.received_to = t0 + 3 * hour;
        auto events = read_all(*store, filter);
        REQUIRE(events.size() == 2);
        CHECK(events[0].id == ids[1]);
        CHECK(events[1].id == ids[2]);
    }
    SECTION("one store") {
        EventFilter filter;
        filter.store_id = "s-1";
        auto events = read_all(*store, filter);
        REQUIRE(events.size() == 2);
        CHECK(events[0].id == ids[0]);
        CHECK(events[1].id == ids[2]);
    }
    SECTION("the visitor can stop early") {
        int seen = 0;
        REQUIRE(store->for_each_event({}, [&](const StoredEvent&) { return ++seen < 2; }));
        CHECK(seen == 2);
    }
    SECTION("stats count per type and per store, zeros included") {
        auto stats = store->stats();
        REQUIRE(stats);
        CHECK(stats->total_events == 4);
        CHECK(stats->by_type[static_cast<std::size_t>(core::EventType::KioskHeartbeat)] == 4);
        CHECK(stats->by_type[static_cast<std::size_t>(core::EventType::SessionStart)] == 0);
        REQUIRE(stats->by_store.size() == 2);
        CHECK(stats->by_store[0].store_id == "s-1");
        CHECK(stats->by_store[0].total == 2);
        CHECK(stats->kiosks_total == 2);
        CHECK(stats->kiosks_active == 2);
    }
}
