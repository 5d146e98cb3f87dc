// UnconfirmedAnswers: the events a flow waits for the ledger to confirm.
#include "truthpoint/app/unconfirmed_answers.hpp"

#include <algorithm>

namespace truthpoint::app {

void UnconfirmedAnswers::record(EventSink& sink, core::Event event) {
    events_.push_back(event);
    sink.record(std::move(event));
}

bool UnconfirmedAnswers::committed(const std::string& event_id) {
    const auto before = events_.size();
    std::erase_if(events_, [&](const core::Event& event) { return event.id == event_id; });
    return events_.size() != before;
}

bool UnconfirmedAnswers::failed(const std::string& event_id, const std::string& error) {
    const bool ours = std::any_of(events_.begin(), events_.end(), [&](const core::Event& event) { return event.id == event_id; });
    if (ours) error_ = error;
    return ours;
}

bool UnconfirmedAnswers::retry(EventSink& sink) {
    if (error_.empty()) return false;
    error_.clear();
    for (const core::Event& event : events_) sink.record(event);
    return true;
}

}  // namespace truthpoint::app
