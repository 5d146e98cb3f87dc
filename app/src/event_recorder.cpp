// The recorder's worker: drains the queue into the ledger, one committed transaction per event.
#include "truthpoint/app/event_recorder.hpp"

#include <exception>

#include "truthpoint/app/ledger.hpp"

namespace truthpoint::app {

EventRecorder::EventRecorder(std::string ledger_path, std::function<void()> wake)
    : ledger_path_(std::move(ledger_path)), wake_(std::move(wake)), worker_([this] { run(); }) {}

EventRecorder::~EventRecorder() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_ready_.notify_one();
    worker_.join();
}

void EventRecorder::record(core::Event event) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(event));
    }
    work_ready_.notify_one();
}

std::vector<CommitResult> EventRecorder::take_results() {
    std::lock_guard lock(mutex_);
    return std::exchange(results_, {});
}

void EventRecorder::run() {
    std::unique_ptr<Ledger> ledger;
    std::string open_error;
    try {
        ledger = std::make_unique<Ledger>(ledger_path_);
    } catch (const std::exception& error) {
        open_error = error.what();
    }
    std::unique_lock lock(mutex_);
    for (;;) {
        work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything queued is committed
        core::Event event = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();

        CommitResult result{event.id, open_error};
        if (ledger) {
            try {
                ledger->append(event);
            } catch (const std::exception& error) {
                result.error = error.what();
            }
        }

        lock.lock();
        results_.push_back(std::move(result));
        if (wake_) wake_();
    }
}

}  // namespace truthpoint::app
