// The answers a flow handed to its EventSink that the ledger has not yet confirmed. A flow says "thank
// you" only once every answer is committed; while one is not, it shows "Saving…", and after a failure the
// ledger's error and "touch to try again", which hands the same events (same ids: no duplicates) to the
// sink again. One class for every flow (first moment, post-purchase), so they cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/core/event.hpp"

namespace truthpoint::app {

class UnconfirmedAnswers {
public:
    // Keeps `event`, then hands it to `sink`.
    void record(EventSink& sink, core::Event event);
    // The ledger's verdict on one event. False when it is not one of these (an earlier shopper's).
    bool committed(const std::string& event_id);
    bool failed(const std::string& event_id, const std::string& error);
    // After a failure: clears the error and hands every unconfirmed answer to `sink` again. False when
    // there was no failure to retry.
    bool retry(EventSink& sink);

    bool all_committed() const { return events_.empty(); }
    // All committed and no error: the flow may say thank you.
    bool settled() const { return events_.empty() && error_.empty(); }
    const std::string& error() const { return error_; }  // empty unless the ledger refused an answer

private:
    std::vector<core::Event> events_;
    std::string error_;
};

}  // namespace truthpoint::app
