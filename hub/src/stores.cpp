// Stores, once for both engines (see stores.hpp).
#include "stores.hpp"

namespace truthpoint::hub {
namespace {

// Two hubs writing the same rollup rows at once can deadlock on PostgreSQL, which then gives one up.
constexpr int kAttemptsOnConflict = 4;

std::string store_columns(const sql::Connection& db) {
    return "store_id, time_zone, name, " + db.time_column("updated_at");
}

StoreRecord read_store(const sql::Rows& row) { return {row.text(0), row.text(1), row.text(2), row.time(3)}; }

}  // namespace

Result<StoreRecord> Stores::set(std::string_view store_id, std::string_view time_zone,
                                const std::optional<std::string>& name, core::Timestamp now) {
    auto zone = TimeZone::named(time_zone);
    if (!zone) return zone.error();
    return sql::guarded<StoreRecord>("setting a store", [&]() -> Result<StoreRecord> {
        auto db = database_.lend(sql::Access::Write);  // SQLite: the writer's lock, so ingest waits for the rebuild
        return sql::retried(kAttemptsOnConflict, [&] {
            sql::Transaction transaction(*db);
            // First, before any row lock: no batch is stored while the store's events are counted again.
            // Then every event stored is counted on the old clock, before its share moves to the new one.
            db->hold_event_writers();
            while (fold_new_events(*db, std::nullopt, Rollups::kEventsPerFold) == Rollups::kEventsPerFold) {
            }  // a chunk at a time, so that memory stays flat however many wait
            std::optional<std::string> zone_before;
            {
                auto before = db->query("SELECT time_zone FROM stores WHERE store_id = ?1", {store_id});
                if (before->next()) zone_before = before->text(0);
            }
            const sql::Value new_name = name ? sql::Value(*name) : sql::Value(sql::Null{});
            db->execute("INSERT INTO stores (store_id, time_zone, name, updated_at) VALUES (?1, ?2, coalesce(?3, ''), ?4) "
                        "ON CONFLICT (store_id) DO UPDATE SET time_zone = excluded.time_zone, "
                        "name = coalesce(?3, stores.name), updated_at = excluded.updated_at",
                        {store_id, zone->name(), new_name, now});
            // The store's days and hours move with its zone: its events are counted again in the new one.
            if (zone_before != zone->name()) {
                rebuild_local_rollups(*db, store_id, zone_before);
                recount_redemptions(*db, store_id, zone_before);
            }
            StoreRecord record;
            {
                auto rows = db->query("SELECT " + store_columns(*db) + " FROM stores WHERE store_id = ?1", {store_id});
                rows->next();
                record = read_store(*rows);
            }  // SQLite: a statement must be done before its transaction commits
            transaction.commit();
            return record;
        });
    });
}

Result<std::vector<StoreRecord>> Stores::list() {
    return sql::guarded<std::vector<StoreRecord>>("listing stores", [&]() -> Result<std::vector<StoreRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + store_columns(*db) + " FROM stores ORDER BY store_id" + db->byte_order());
        std::vector<StoreRecord> stores;
        while (rows->next()) stores.push_back(read_store(*rows));
        return stores;
    });
}

}  // namespace truthpoint::hub
