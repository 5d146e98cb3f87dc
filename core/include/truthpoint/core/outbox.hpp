// The outbox seen from the uploader: the kiosk's ledger implements it, sync/ drives it.
// Kept in core so that sync/ and app/ do not depend on each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/result.hpp"
#include "truthpoint/core/time.hpp"

namespace truthpoint::core {

struct PendingEvent {
    std::int64_t seq = 0;  // capture order in the ledger
    std::string id;
    std::string payload;  // frozen at capture: resent byte for byte
};

struct Quarantined {
    std::string id;
    std::string reason;
};

struct OutboxStats {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;  // still kept (delivered events are purged after a retention period)
    std::int64_t quarantined = 0;
    std::optional<Timestamp> oldest_pending_at;
};

// What stopped the last delivery, in the terms of what a person does about it (staff mode's advice).
enum class SyncProblem {
    None,
    HubUnreachable,  // no answer at all: the network, or the hub is down
    HubNotTrusted,   // TLS: the hub's certificate or pinned key did not check out
    TokenRefused,    // 401/403: the kiosk needs a new token
    WrongKiosk,      // the hub says the token is another kiosk's (or another store's): nothing is sent
    WrongAddress,    // 404: [hub] url points elsewhere
    HubBusy,         // 408/429/5xx: the hub asks to wait; the kiosk retries by itself
    HubFailed,       // an answer the kiosk cannot use
    LedgerFailed,    // the kiosk's own ledger could not be read or written
};

// Every operation returns its failure (a disk fault, a damaged file) as an Error; none throws.
class Outbox {
public:
    virtual ~Outbox() = default;
    // The oldest pending events with a seq above `after_seq`, at most `max_events` and about `max_bytes`
    // of payload (at least one). `after_seq` lets an uploader read the next batch while one is in flight.
    virtual Result<std::vector<PendingEvent>> next_batch(std::size_t max_events, std::size_t max_bytes,
                                                         std::int64_t after_seq = 0) = 0;
    // Records a hub's answer in one transaction.
    virtual Status settle(const std::vector<std::string>& delivered_ids, const std::vector<Quarantined>& quarantined,
                          Timestamp at) = 0;
    // Records a failed attempt; the events stay pending.
    virtual Status record_failure(const std::string& error, Timestamp at) = 0;
    // Commits one more event (the uploader's own heartbeats). InvalidArgument for an event that fails
    // validate_event.
    virtual Status append(const Event& event) = 0;
    virtual Result<OutboxStats> stats() = 0;
    // Deletes delivered events settled before `cutoff`; never pending or quarantined ones. Returns how many.
    virtual Result<std::int64_t> purge_delivered_before(Timestamp cutoff) = 0;
};

}  // namespace truthpoint::core
