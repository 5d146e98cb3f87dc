// Drains an outbox to the hub in batches: send, sort the answer into delivered / quarantined,
// record it in one transaction. Events leave "pending" only on the hub's answer.
#pragma once

#include <cstdint>
#include <string>

#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::sync {

struct BatchLimits {
    std::size_t max_events = 500;
    std::size_t max_bytes = 256 * 1024;  // of JSON, before compression
};

struct SyncReport {
    std::int64_t batches = 0;
    std::int64_t delivered = 0;   // accepted now, or already held by the hub
    std::int64_t duplicates = 0;  // of those, the ones the hub already held
    std::int64_t quarantined = 0;
    std::int64_t wire_bytes = 0;  // compressed request bodies
    std::string error;            // empty when the outbox is drained
    bool ok() const { return error.empty(); }
};

// Sends every pending event, batch after batch, and stops at the first failure (which is
// recorded in the outbox and returned; the events concerned stay pending).
SyncReport push_pending(core::Outbox& outbox, HubClient& client, const BatchLimits& limits = {});

}  // namespace truthpoint::sync
