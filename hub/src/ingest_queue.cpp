// The ingest queue's writer thread and its group commit (see ingest_queue.hpp).
#include "truthpoint/hub/ingest_queue.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include <pthread.h>

namespace truthpoint::hub {

struct IngestQueue::Impl {
    // The batch stays owned by the request thread that submitted it (submit blocks until it is answered):
    // the writer borrows it for the store and hands it back, so that freeing its events — thousands of
    // strings and JSON nodes — happens on the request's thread, not on the one thread every batch waits for.
    struct Pending {
        BatchToStore* batch;
        std::promise<Result<std::vector<EventOutcome>>> answer;
    };

    Store& store;
    IngestQueueOptions options;
    Metrics* metrics;

    mutable std::mutex mutex;  // guards everything below
    std::condition_variable wake_writer;
    std::deque<Pending> queue;
    std::size_t queued_events = 0;
    bool stopping = false;
    std::thread writer;

    Impl(Store& store_, IngestQueueOptions options_, Metrics* metrics_)
        : store(store_), options(std::move(options_)), metrics(metrics_) {
        if (options.max_group_batches == 0) options.max_group_batches = 1;
        writer = std::thread([this] { run(); });
    }

    void run() {
        pthread_setname_np(pthread_self(), "ingest-writer");  // in `top -H` and the benchmark's CPU account
        for (;;) {
            std::vector<Pending> group;
            {
                std::unique_lock lock(mutex);
                wake_writer.wait(lock, [&] { return stopping || !queue.empty(); });
                if (queue.empty()) return;  // stopping, and everything queued was stored
                // Linger a little for more batches: one commit (one fsync) then serves them all.
                if (queue.size() < options.max_group_batches && options.max_group_wait.count() > 0 && !stopping) {
                    const auto deadline = std::chrono::steady_clock::now() + options.max_group_wait;
                    wake_writer.wait_until(lock, deadline,
                                           [&] { return stopping || queue.size() >= options.max_group_batches; });
                }
                while (!queue.empty() && group.size() < options.max_group_batches) {
                    queued_events -= queue.front().batch->events.size();
                    group.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
            }
            store_group(group);
        }
    }

    void store_group(std::vector<Pending>& group) {
        if (options.before_group) options.before_group(group.size());
        std::vector<BatchToStore> batches;
        batches.reserve(group.size());
        for (Pending& pending : group) batches.push_back(std::move(*pending.batch));
        auto results = store.store_batches(batches);
        if (metrics) metrics->observe_group_size(group.size());
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (i < batches.size()) *group[i].batch = std::move(batches[i]);
            if (i < results.size()) {
                group[i].answer.set_value(std::move(results[i]));
            } else {
                group[i].answer.set_value(make_error(ErrorCode::Internal, "the store answered fewer batches than given"));
            }
        }
    }
};

IngestQueue::IngestQueue(Store& store, IngestQueueOptions options, Metrics* metrics)
    : impl_(std::make_unique<Impl>(store, std::move(options), metrics)) {}

IngestQueue::~IngestQueue() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake_writer.notify_all();
    impl_->writer.join();
}

Result<std::vector<EventOutcome>> IngestQueue::submit(BatchToStore batch) {
    if (batch.events.empty()) return Result<std::vector<EventOutcome>>(std::vector<EventOutcome>{});
    std::future<Result<std::vector<EventOutcome>>> answer;
    {
        std::lock_guard lock(impl_->mutex);
        const std::size_t events = batch.events.size();
        const bool full = impl_->queue.size() >= impl_->options.max_queued_batches ||
                          (!impl_->queue.empty() && impl_->queued_events + events > impl_->options.max_queued_events);
        if (full || impl_->stopping) return busy();
        impl_->queued_events += events;
        impl_->queue.push_back(Impl::Pending{&batch, {}});
        answer = impl_->queue.back().answer.get_future();
    }
    impl_->wake_writer.notify_one();
    return answer.get();
}

Error IngestQueue::busy() const {
    return make_busy(impl_->options.retry_after_when_full,
                     "the hub is busy (its ingest queue is full); nothing of this batch was stored: send it again "
                     "after Retry-After seconds");
}

bool IngestQueue::full() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->queue.size() >= impl_->options.max_queued_batches ||
           impl_->queued_events >= impl_->options.max_queued_events;
}

std::pair<std::size_t, std::size_t> IngestQueue::depth() const {
    std::lock_guard lock(impl_->mutex);
    return {impl_->queue.size(), impl_->queued_events};
}

}  // namespace truthpoint::hub
