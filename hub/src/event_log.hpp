// The reading side of the event log (the export, GET /api/v1/events' pages), written once over the SQL seam
// for both engines. Events are written by each engine's own group-commit writer (store_batches), where the
// engines truly differ.
#pragma once

#include <functional>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Calls `visit` for each event matching `filter` in the order received (stopping when it returns false),
// read with `db` inside the transaction it is in: for a role that counts events again in its own transaction.
void each_event(sql::Connection& db, const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit);

// Events by their arrival number (Connection::arrival_column): after `after`, up to `through` (no bound when
// nullopt), sent by the kiosks of `region` (any when nullopt), at most `limit`, in the order received.
struct ArrivalRange {
    std::int64_t after = 0;
    std::optional<std::int64_t> through;
    std::optional<std::string> region;
    std::int64_t limit = 0;
};

// Calls `visit` with each event of `range` and its arrival number, read with `db` in the transaction it is in.
void each_event_arrived(sql::Connection& db, const ArrivalRange& range,
                        const std::function<void(std::int64_t arrival, const StoredEvent&)>& visit);

class EventLog {
public:
    explicit EventLog(sql::Database& database) : database_(database) {}

    // As Store::for_each_event and events_page.
    Status for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit);
    Result<std::vector<PagedEvent>> page(const EventPageRequest& request);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
