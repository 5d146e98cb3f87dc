// Drains an outbox to the hub in batches: send, sort the answer into delivered / quarantined /
// retry, record it in one transaction. Events leave "pending" only on the hub's answer, and leave
// it for quarantine only with the hub's reason. Nothing is dropped.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/result.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::sync {

class IdentityCheck;

struct BatchLimits {
    std::size_t max_events = 500;
    std::size_t max_bytes = 256 * 1024;  // of JSON, before compression
};

// Why a push stopped before the outbox was empty.
enum class StopReason {
    None,        // drained
    Retryable,   // transport error, 429, 5xx: try again after a backoff
    Refused,     // 401/403 (the token), 404 (the URL), another kiosk's token: a person must fix the configuration
    Cancelled,   // shutdown
};

struct SyncReport {
    std::int64_t batches = 0;
    std::int64_t delivered = 0;   // accepted now, or already held by the hub
    std::int64_t duplicates = 0;  // of those, the ones the hub already held
    std::int64_t quarantined = 0;
    std::int64_t wire_bytes = 0;  // compressed request bodies
    StopReason stop = StopReason::None;
    // Set unless drained: Busy with the hub's retry_after for a 429 or 503 that says when to come back,
    // Unavailable for a transport failure or another retryable answer; Unauthorized, NotFound or
    // InvalidArgument when refused (InvalidArgument with problem WrongKiosk: another kiosk's token).
    core::Error error;
    core::SyncProblem problem = core::SyncProblem::None;  // what `error` means for a person
    bool ok() const { return stop == StopReason::None; }
};

// Sends every pending event, batch after batch, until the outbox is empty or a failure stops it: the hub's,
// the network's or the outbox's own. The failure is returned, never thrown, and recorded in the outbox
// unless the outbox is too broken to record it; the events concerned stay pending. One batch is in
// flight (on a helper thread, through `client`) while the next is read and the last settled; the next
// leaves only after a clean answer to the one before, so a failure never has two batches out.
// A batch the hub refuses as a whole (400, 409, 413, 422) is split in halves and resent, down to a
// single event, which then goes to quarantine with the hub's reason: one bad or oversize event
// never holds back the others.
// With an `identity` check, nothing is sent until the hub confirms that the token is the configured
// kiosk's (IdentityCheck); a refusal stops the pass like the hub's own, and a 401/403 has it asked again.
SyncReport push_pending(core::Outbox& outbox, HubClient& client, const BatchLimits& limits = {},
                        const std::atomic<bool>* cancel = nullptr, IdentityCheck* identity = nullptr);

}  // namespace truthpoint::sync
