// Both engines, migrated from the one list in hub/src/migrations.hpp, end with the same tables, columns
// and indexes. Left apart: PostgreSQL's schema_migrations (SQLite keeps the version in user_version);
// events.received_seq, PostgreSQL's cursor of the order received, which SQLite's rowid is; the indexes
// behind PRIMARY KEY and UNIQUE constraints, which each engine names its own way.
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
