// Commits captured events on a worker thread with its own SQLite connection, so the UI thread
// never waits on disk. Results come back through a queue the UI drains at the start of a frame.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "truthpoint/app/event_sink.hpp"

namespace truthpoint::app {

class Ledger;

struct CommitResult {
    std::string event_id;
    std::string error;  // empty when the event is durably in the ledger
};

class EventRecorder final : public EventSink {
public:
    // `wake` is called on the worker thread after each commit (the UI pushes an SDL event).
    EventRecorder(std::string ledger_path, std::function<void()> wake = {});
    ~EventRecorder() override;  // commits what is queued, then joins
    EventRecorder(const EventRecorder&) = delete;
    EventRecorder& operator=(const EventRecorder&) = delete;

    void record(core::Event event) override;
    // Results since the last call, in commit order. Never blocks on disk.
    std::vector<CommitResult> take_results();

private:
    void run();

    std::string ledger_path_;
    std::function<void()> wake_;
    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::deque<core::Event> queue_;
    std::vector<CommitResult> results_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace truthpoint::app
