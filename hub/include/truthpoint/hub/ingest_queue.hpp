// The bounded ingest queue in front of the store: request threads hand in their batch and wait; one
// writer thread takes up to `max_group_batches` queued batches (lingering up to `max_group_wait` for more)
// and stores them with one Store::store_batches call — one transaction on SQLite — then wakes each
// request with its own outcomes. A full queue refuses at once (the server answers 503 + Retry-After)
// instead of holding more memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "truthpoint/hub/metrics.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

struct IngestQueueOptions {
    // Either bound refuses a batch; a single batch larger than max_queued_events is let in when the queue
    // is empty, so that no valid batch is refused for ever.
    std::size_t max_queued_batches = 2048;
    std::size_t max_queued_events = 500'000;
    std::size_t max_group_batches = 128;
    std::chrono::microseconds max_group_wait{1000};
    // What a refused batch is told to wait: the queue drains in milliseconds; kiosks add their own jitter.
    std::chrono::seconds retry_after_when_full{1};
    // For tests: called on the writer thread with each group before it is stored (e.g. to slow it down).
    std::function<void(std::size_t batches)> before_group;
};

class IngestQueue {
public:
    // `store` must outlive the queue; `metrics` may be null.
    IngestQueue(Store& store, IngestQueueOptions options, Metrics* metrics);
    // Stores what is queued, then stops the writer.
    ~IngestQueue();
    IngestQueue(const IngestQueue&) = delete;
    IngestQueue& operator=(const IngestQueue&) = delete;

    // Blocks until the batch is stored (or failed); at once, having stored nothing, busy() when the
    // queue is full.
    Result<std::vector<EventOutcome>> submit(BatchToStore batch);

    // True when no batch would be let in now: lets the server refuse before reading a body.
    bool full() const;
    // The error a full queue answers: ErrorCode::Busy with retry_after.
    Error busy() const;

    // {batches, events} waiting now.
    std::pair<std::size_t, std::size_t> depth() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
