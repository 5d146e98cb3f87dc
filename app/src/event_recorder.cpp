// The recorder's job: one committed transaction per event, on a connection opened on the worker thread.
#include "truthpoint/app/event_recorder.hpp"

#include <memory>

#include "truthpoint/app/ledger.hpp"

namespace truthpoint::app {

namespace {

// Opens the ledger at the first event, on the worker's thread (one SQLite connection per thread). A
// ledger that cannot be opened fails the event with the reason, so the flow shows it; the next event
// tries again (the file may have been busy, or its disk full, only for a while).
class Committer {
public:
    explicit Committer(std::string path) : path_(std::move(path)) {}
    Commit operator()(core::Event& event) {
        if (!ledger_) {
            auto opened = Ledger::open(path_);
            if (!opened) return {event.id, opened.error()};
            ledger_ = std::make_shared<Ledger>(std::move(opened).value());
        }
        return {event.id, ledger_->append(event)};
    }

private:
    std::string path_;
    std::shared_ptr<Ledger> ledger_;  // shared: std::function copies its target
};

}  // namespace

EventRecorder::EventRecorder(std::string ledger_path, std::function<void()> wake)
    : worker_("tp-recorder", core::Keep::All, Committer(std::move(ledger_path)), std::move(wake)) {}

void EventRecorder::record(core::Event event) { worker_.post(std::move(event)); }

}  // namespace truthpoint::app
