// The alert rules that fire at ingest (unhappy_share, pain, kiosk_backlog), written once over the SQL seam:
// each engine's ingest writer calls them inside a batch's own transaction (a savepoint of the group), so
// an alert is committed with the events that raised it, or not at all.
#pragma once

#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Whether a batch holds an event a rule fires on: the writer borrows a seam connection only then.
bool may_raise_alerts(const std::vector<IncomingEvent>& events);

// For the events of the batch stored now (`outcomes` in the order of `events`), from them and what the
// database holds: opens a case, or updates the one not yet closed for the same rule and place. Throws the
// engine's error, as the writer's own statements do.
void raise_ingest_alerts(sql::Connection& db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                         const std::vector<EventOutcome>& outcomes, core::Timestamp received_at);

}  // namespace truthpoint::hub
