// Events read back, once for both engines (see event_log.hpp).
#include "event_log.hpp"

#include <string>

#include "local_time.hpp"

namespace truthpoint::hub {
namespace {

// What read_event reads.
std::string event_columns(const sql::Connection& db) {
    return "id, kiosk_id, store_id, type, " + db.time_column("occurred_at") + ", " + db.time_column("received_at") +
           ", session_id, locale, coalesce(sku, ''), data, verified_purchase";
}

// Reads event_columns from column `first` on. Fills `event` in place: an export reuses one.
void read_event(const sql::Rows& row, int first, StoredEvent& event) {
    event.id = row.text(first);
    event.kiosk_id = row.text(first + 1);
    event.store_id = row.text(first + 2);
    event.type = row.text(first + 3);
    event.occurred_at = row.time_text(first + 4);
    event.received_at = row.time_text(first + 5);
    event.session_id = row.text(first + 6);
    event.locale = row.text(first + 7);
    event.sku = row.text(first + 8);
    event.data = row.text(first + 9);
    event.verified_purchase = row.boolean(first + 10);
}

}  // namespace

namespace {

// The events of `filter`, in the order received.
class ExportQuery {
public:
    ExportQuery(sql::Connection& db, const EventFilter& filter)
        : query_("SELECT " + event_columns(db) + " FROM events WHERE ") {
        // A NULL parameter turns its condition off. Each is compared before it is tested for NULL, so that
        // PostgreSQL learns its type from the column.
        const std::string from = query_.bind(sql::or_null(filter.received_from));
        query_ << "(received_at >= " << from << " OR " << from << " IS NULL)";
        const std::string to = query_.bind(sql::or_null(filter.received_to));
        query_ << " AND (received_at < " << to << " OR " << to << " IS NULL)";
        if (filter.store_id) query_ << " AND store_id = " << query_.bind(*filter.store_id);
        // A store is in the regions its kiosks were enrolled with (as the dashboard counts it).
        if (filter.region) {
            query_ << " AND store_id IN (SELECT store_id FROM kiosks WHERE region = " << query_.bind(*filter.region) << ")";
        }
        if (filter.sku) query_ << " AND sku = " << query_.bind(*filter.sku);
        if (!filter.include_misuse) query_ << " AND NOT misuse";
        if (filter.from_day || filter.to_day) local_days(db, filter);
        query_ << " ORDER BY " << db.arrival_column();
    }

    std::unique_ptr<sql::Rows> stream(sql::Connection& db) const { return query_.stream(db); }

private:
    // Each store's local days are a different stretch of UTC: one condition per time zone the stores
    // table names, and UTC for the stores it does not hold.
    void local_days(sql::Connection& db, const EventFilter& filter) {
        std::vector<std::string> zones;
        auto rows = db.query("SELECT DISTINCT time_zone FROM stores");
        while (rows->next()) zones.push_back(rows->text(0));
        query_ << " AND ((store_id NOT IN (SELECT store_id FROM stores) AND ";
        occurred_within(TimeZone::utc(), filter);
        query_ << ")";
        for (const std::string& name : zones) {
            // A name the system does not know counts as UTC, as the rollups count it.
            auto zone = TimeZone::named(name);
            query_ << " OR (store_id IN (SELECT store_id FROM stores WHERE time_zone = " << query_.bind(name) << ") AND ";
            occurred_within(zone ? *zone : TimeZone::utc(), filter);
            query_ << ")";
        }
        query_ << ")";
    }

    // [first day 00:00, the day after the last 00:00) on `zone`'s clock.
    void occurred_within(const TimeZone& zone, const EventFilter& filter) {
        query_ << "TRUE";
        if (filter.from_day) query_ << " AND occurred_at >= " << query_.bind(zone.day_starts(*filter.from_day));
        if (filter.to_day) query_ << " AND occurred_at < " << query_.bind(zone.day_starts(add_days(*filter.to_day, 1)));
    }

    sql::QueryBuilder query_;
};

}  // namespace

void each_event(sql::Connection& db, const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    const ExportQuery query(db, filter);
    auto rows = query.stream(db);
    StoredEvent event;
    while (rows->next()) {
        read_event(*rows, 0, event);
        if (!visit(event)) break;
    }
}

Status EventLog::for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    if ((filter.from_day && !is_local_date(*filter.from_day)) || (filter.to_day && !is_local_date(*filter.to_day))) {
        return make_error(ErrorCode::InvalidArgument, "a local day is written YYYY-MM-DD and must exist");
    }
    return sql::guarded<Ok>("reading events", [&]() -> Status {
        // SQLite lends a read-only connection: a long export never holds up ingest's writer.
        auto db = database_.lend(sql::Access::Read);
        // The whole export sees one moment; nothing is written, so it ends as well rolled back.
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        each_event(*db, filter, visit);
        return Ok{};
    });
}

void each_event_arrived(sql::Connection& db, const ArrivalRange& range,
                        const std::function<void(std::int64_t arrival, const StoredEvent&)>& visit) {
    const std::string arrival = db.arrival_column();
    auto rows = db.query("SELECT " + arrival + ", " + event_columns(db) + " FROM events WHERE " + arrival +
                             " > ?1 AND (" + arrival + " <= ?2 OR ?2 IS NULL) "
                             "AND (kiosk_id IN (SELECT id FROM kiosks WHERE region = ?3) OR ?3 IS NULL) "
                             "ORDER BY " + arrival + " LIMIT ?4",
                         {range.after, sql::or_null(range.through), sql::or_null(range.region), range.limit});
    StoredEvent event;
    while (rows->next()) {
        read_event(*rows, 1, event);
        visit(rows->integer(0), event);
    }
}

Result<std::vector<PagedEvent>> EventLog::page(const EventPageRequest& request) {
    return sql::guarded<std::vector<PagedEvent>>("reading events", [&]() -> Result<std::vector<PagedEvent>> {
        auto db = database_.lend(sql::Access::Read);
        std::vector<PagedEvent> page;
        const ArrivalRange range{request.after, db->arrival_horizon(), request.region, request.limit};
        each_event_arrived(*db, range, [&](std::int64_t arrival, const StoredEvent& event) {
            page.push_back({arrival, event});
        });
        return page;
    });
}

}  // namespace truthpoint::hub
