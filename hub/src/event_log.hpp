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
