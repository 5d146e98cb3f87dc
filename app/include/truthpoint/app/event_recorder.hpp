// Commits captured events on a worker thread with its own SQLite connection, so the UI thread
// never waits on disk. Results come back through a mailbox the UI drains at the start of a frame.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/core/result.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::app {

struct Commit {
    std::string event_id;
    core::Status status;  // ok when the event is durably in the ledger
};

class EventRecorder final : public EventSink {
public:
    // `wake` is called on the worker thread after each commit (the UI pushes an SDL event).
    EventRecorder(std::string ledger_path, std::function<void()> wake = {});
    // Destruction commits everything queued, then joins (core::Worker with Keep::All).

    void record(core::Event event) override;
    // Results since the last call, in commit order. Never blocks on disk.
    std::vector<Commit> take_results() { return worker_.take_results(); }
    void set_wake(std::function<void()> wake) { worker_.set_on_result(std::move(wake)); }

private:
    core::Worker<core::Event, Commit> worker_;
};

}  // namespace truthpoint::app
