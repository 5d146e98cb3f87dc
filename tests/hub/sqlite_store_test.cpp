// SqliteStore only: migrations and pragmas. The storage behaviour shared with PostgreSQL is tested on both
// engines in store_conformance_test.cpp.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "support.hpp"
#include "truthpoint/core/sqlite.hpp"
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
        // Migration 6: only the indexes something reads are kept up to date on every insert; 13's and 17's are
        // partial: sorry cards by their code, the reviews waiting for moderation.
        CHECK(query_text(path, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = "
                               "'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name)") ==
              "events_by_receipt events_by_received events_by_sorry_code events_by_store_received "
              "events_reviews_by_time");
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

TEST_CASE("the WAL is still copied back into the database while the hub runs (by the checkpointer thread)",
          "[hub][store][wal]") {
    TempDir dir;
    const std::string path = dir.file("hub.db");
    auto store = SqliteStore::open(path).value();
    hub_test::enrol(*store, "k-1", "s-1");
    const auto database_bytes = [&] { return std::filesystem::file_size(path); };
    const auto before = database_bytes();
    // Well over the 1,000 WAL pages that ask for a checkpoint.
    for (int batch = 0; batch < 20; ++batch) {
        std::vector<IncomingEvent> events;
        for (int i = 0; i < 500; ++i) {
            events.push_back(hub_test::incoming(hub_test::make_event(core::EventType::FmotReaction)));
        }
        REQUIRE(store->store_events({"k-1", "s-1", ""}, events, core::now_utc()));
    }
    // Without a checkpoint the rows would all sit in hub.db-wal and hub.db would not grow until closed.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (database_bytes() < before + 2'000'000 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(database_bytes() >= before + 2'000'000);
    CHECK(store->stats().value().total_events == 10'000);
}

TEST_CASE("a database held by another writer past the busy timeout answers Busy and stores nothing",
          "[hub][store][busy]") {
    TempDir dir;
    const std::string path = dir.file("hub.db");
    auto store = SqliteStore::open(path);
    REQUIRE(store);
    hub_test::enrol(*store.value(), "k-1", "s-1");
    const core::Event event = hub_test::make_event(core::EventType::FmotReaction);
    {
        core::sqlite::Connection other(path);
        core::sqlite::Transaction holding(other);  // BEGIN IMMEDIATE: the write lock, held past the timeout
        SECTION("the ingest writer") {
            const auto stored = store.value()->store_events({"k-1", "s-1", ""}, {hub_test::incoming(event)}, core::now_utc());
            REQUIRE_FALSE(stored);
            CHECK(stored.error().code == ErrorCode::Busy);
            CHECK(stored.error().retry_after == std::chrono::seconds(1));
            CHECK_THAT(stored.error().message, Catch::StartsWith("storing a batch: "));
        }
        SECTION("a role over the SQL seam") {
            const auto added = store.value()->add_kiosk({"k-2", "s-1", "", std::string(64, 'c')}, core::now_utc());
            REQUIRE_FALSE(added);
            CHECK(added.error().code == ErrorCode::Busy);
            CHECK(added.error().retry_after == std::chrono::seconds(1));
        }
    }
    CHECK(query_text(path, "SELECT count(*) FROM events") == "0");
    CHECK(query_text(path, "SELECT count(*) FROM kiosks") == "1");
}
