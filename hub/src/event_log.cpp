// Events read back, once for both engines (see event_log.hpp).
#include "event_log.hpp"

#include <string>

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

void each_event(sql::Connection& db, const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    // A NULL parameter turns its condition off. Each is compared before it is tested for NULL, so that
    // PostgreSQL learns its type from the column.
    auto rows = db.stream("SELECT " + event_columns(db) +
                              " FROM events WHERE (received_at >= ?1 OR ?1 IS NULL) "
                              "AND (received_at < ?2 OR ?2 IS NULL) AND (store_id = ?3 OR ?3 IS NULL) "
                              "ORDER BY " + db.arrival_column(),
                          {sql::or_null(filter.received_from), sql::or_null(filter.received_to),
                           sql::or_null(filter.store_id)});
    StoredEvent event;
    while (rows->next()) {
        read_event(*rows, 0, event);
        if (!visit(event)) break;
    }
}

Status EventLog::for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    return sql::guarded<Ok>("reading events", [&]() -> Status {
        // SQLite lends a read-only connection: a long export never holds up ingest's writer.
        auto db = database_.lend(sql::Access::Read);
        // The whole export sees one moment; nothing is written, so it ends as well rolled back.
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        each_event(*db, filter, visit);
        return Ok{};
    });
}

Result<std::vector<PagedEvent>> EventLog::page(const EventPageRequest& request) {
    return sql::guarded<std::vector<PagedEvent>>("reading events", [&]() -> Result<std::vector<PagedEvent>> {
        auto db = database_.lend(sql::Access::Read);
        const std::optional<std::int64_t> horizon = db->arrival_horizon();
        const std::string arrival = db->arrival_column();
        auto rows = db->query("SELECT " + arrival + ", " + event_columns(*db) + " FROM events WHERE " + arrival +
                                  " > ?1 AND (" + arrival + " <= ?2 OR ?2 IS NULL) "
                                  "AND (kiosk_id IN (SELECT id FROM kiosks WHERE region = ?3) OR ?3 IS NULL) "
                                  "ORDER BY " + arrival + " LIMIT ?4",
                              {request.after, sql::or_null(horizon), sql::or_null(request.region), request.limit});
        std::vector<PagedEvent> page;
        while (rows->next()) {
            PagedEvent& paged = page.emplace_back();
            paged.cursor = rows->integer(0);
            read_event(*rows, 1, paged.event);
        }
        return page;
    });
}

}  // namespace truthpoint::hub
