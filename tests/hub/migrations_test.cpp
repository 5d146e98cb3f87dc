// Both engines, migrated from the one list in hub/src/migrations.hpp, end with the same tables, columns
// and indexes. Left apart: PostgreSQL's schema_migrations (SQLite keeps the version in user_version);
// events.received_seq, PostgreSQL's cursor of the order received, which SQLite's rowid is; the indexes
// behind PRIMARY KEY and UNIQUE constraints, which each engine names its own way. And a migration's backfill.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

struct Schema {
    std::string columns;  // "table.column" lines in byte order
    std::string indexes;  // index names in byte order
};

Schema schema_of(const TestDatabase& database) {
    if (database.is_postgresql()) {
        return Schema{
            database.execute("SELECT string_agg(line, E'\\n' ORDER BY line COLLATE \"C\") FROM (SELECT table_name || '.' "
                             "|| column_name AS line FROM information_schema.columns WHERE table_schema = "
                             "current_schema() AND table_name <> 'schema_migrations' AND NOT (table_name = 'events' AND "
                             "column_name = 'received_seq')) lines"),
            database.execute("SELECT string_agg(indexname, E'\\n' ORDER BY indexname COLLATE \"C\") FROM pg_indexes i "
                             "WHERE schemaname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                             "WHERE c.conname = i.indexname)")};
    }
    return Schema{database.execute("SELECT group_concat(line, char(10)) FROM (SELECT m.name || '.' || p.name AS line "
                                   "FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' "
                                   "AND m.name NOT LIKE 'sqlite_%' ORDER BY line)"),
                  database.execute("SELECT group_concat(name, char(10)) FROM (SELECT name FROM sqlite_master "
                                   "WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")};
}

}  // namespace

TEST_CASE("both engines end with the same tables, columns and indexes", "[hub][store][migrations]") {
    TestDatabase sqlite(kSqlite);
    TestDatabase postgresql(kPostgresql);
    { auto store = sqlite.open(); }
    { auto store = postgresql.open(); }
    const Schema on_sqlite = schema_of(sqlite);
    const Schema on_postgresql = schema_of(postgresql);
    REQUIRE_FALSE(on_sqlite.columns.empty());
    CHECK(on_sqlite.columns == on_postgresql.columns);
    CHECK(on_sqlite.indexes == on_postgresql.indexes);
}

TEST_CASE("migration 4 backfills the rollups from the events already stored", "[hub][store][rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    {
        auto store = database.open();
        hub_test::enrol(*store, "k-1", "s-1");
        std::vector<hub::IncomingEvent> events;
        for (int i = 0; i < 30; ++i) {
            core::Event event = hub_test::make_event(i % 2 ? core::EventType::FmotReaction : core::EventType::FmotIntent);
            if (i % 5 == 0) event.data["misuse"] = true;
            events.push_back(incoming(event));
        }
        REQUIRE(store->store_events({"k-1", "s-1", ""}, events, core::now_utc()));
    }
    // Back to schema 3, as a database written by the previous hub would be (its events, no rollups).
    hub_test::drop_alert_tables(database);
    database.execute("DROP INDEX kiosks_by_region");  // migration 5's
    for (const char* table : {"kiosk_heartbeats", "feedback_sessions", "rollup_local_hours", "rollup_answers", "stores",
                              "hub_secrets", "sign_in_failures", "sessions", "users", "rollup_tiers", "rollup_progress",
                              "receipt_items", "receipts", "pos_terminals"}) {
        database.execute(std::string("DROP TABLE ") + table);
    }
    database.execute("DROP INDEX events_by_receipt");
    for (const char* column : {"receipt_hash", "verified_purchase"}) {
        database.execute(std::string("ALTER TABLE events DROP COLUMN ") + column);
    }
    for (const char* column : {"last_seen_at", "clock_skew_ms"}) {
        database.execute(std::string("ALTER TABLE kiosks DROP COLUMN ") + column);
    }
    database.execute(database.is_postgresql() ? "DELETE FROM schema_migrations WHERE version >= 4"
                                              : "PRAGMA user_version = 3");

    auto store = database.open();  // runs migrations 4 (with its backfill) to the latest again
    auto stats = store->stats();
    REQUIRE(stats);
    CHECK(stats->total_events == 30);
    CHECK(stats->misuse_events == 6);
    REQUIRE(stats->by_store.size() == 1);
    CHECK(stats->by_store[0].total == 24);
    std::int64_t reactions = 0;
    for (auto count : stats->by_store[0].reactions) reactions += count;
    CHECK(reactions == 12);  // 15 reactions, 3 of them misuse
}
