// The reading side of the event log (the export, GET /api/v1/events' pages), written once over the SQL seam
// for both engines. Events are written by each engine's own group-commit writer (store_batches), where the
// engines truly differ.
#pragma once

#include <functional>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

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
