// The FMOT state machine: one session per shopper, the reaction recorded at the first tap.
#include "truthpoint/app/fmot_flow.hpp"

namespace truthpoint::app {

using core::EventType;
using core::Timestamp;

FmotFlow::FmotFlow(EventSink& sink, core::UuidV7Generator& ids, Product product, std::string locale,
                   FmotTimings timings)
    : sink_(sink), ids_(ids), product_(std::move(product)), locale_(std::move(locale)), timings_(timings) {}

core::Event FmotFlow::make_event(EventType type, Timestamp at, nlohmann::json data) {
    core::Event event;
    event.id = ids_.next_at(at);
    event.type = type;
    event.occurred_at = at;
    event.session_id = session_.session_id;
    event.locale = locale_;
    if (core::requires_sku(type)) event.sku = product_.sku;
    event.data = std::move(data);
    return event;
}

void FmotFlow::touch_attract(Timestamp now) {
    if (step_ != FmotStep::Attract) return;
    session_ = FmotSession{};
    session_.session_id = ids_.next_at(now);
    session_.first_touch = now;
    session_.last_activity = now;
    step_ = FmotStep::Reaction;
    sink_.record(make_event(EventType::SessionStart, now, {{"flow", "fmot"}}));
}

void FmotFlow::tap_reaction(core::Reaction reaction, Timestamp now) {
    if (step_ != FmotStep::Reaction) return;  // a second tap while saving is not a second answer
    const auto ms_to_react = std::chrono::duration_cast<std::chrono::milliseconds>(now - session_.first_touch);
    core::Event event = make_event(EventType::FmotReaction, now,
                                   {{"reaction", core::to_string(reaction)}, {"ms_to_react", ms_to_react.count()}});
    session_.reaction = reaction;
    session_.pending_event_id = event.id;
    session_.save_error.clear();
    session_.last_activity = now;
    step_ = FmotStep::Saving;
    sink_.record(std::move(event));
}

void FmotFlow::reaction_committed(const std::string& event_id, Timestamp now) {
    if (step_ != FmotStep::Saving || event_id != session_.pending_event_id) return;
    session_.pending_event_id.clear();
    session_.thank_you_since = now;
    session_.last_activity = now;
    step_ = FmotStep::ThankYou;
}

void FmotFlow::reaction_failed(const std::string& event_id, const std::string& error) {
    if (step_ != FmotStep::Saving || event_id != session_.pending_event_id) return;
    session_.pending_event_id.clear();
    session_.reaction.reset();
    session_.save_error = error;
    step_ = FmotStep::Reaction;  // the shopper may tap again; nothing was recorded
}

void FmotFlow::end_session(const char* outcome, Timestamp now) {
    sink_.record(make_event(EventType::SessionEnd, now, {{"outcome", outcome}, {"last_step", to_string(step_)}}));
    session_ = FmotSession{};  // nothing of this shopper survives the reset
    step_ = FmotStep::Attract;
}

bool FmotFlow::tick(Timestamp now) {
    switch (step_) {
        case FmotStep::ThankYou:
            if (now - session_.thank_you_since >= timings_.thank_you) {
                end_session("completed", now);
                return true;
            }
            return false;
        case FmotStep::Reaction:
            if (now - session_.last_activity >= timings_.idle_reset) {
                end_session("abandoned", now);
                return true;
            }
            return false;
        case FmotStep::Attract:
        case FmotStep::Saving:  // waits for the ledger; a commit takes milliseconds
            return false;
    }
    return false;
}

std::optional<Timestamp> FmotFlow::next_deadline() const {
    switch (step_) {
        case FmotStep::ThankYou:
            return session_.thank_you_since + timings_.thank_you;
        case FmotStep::Reaction:
            return session_.last_activity + timings_.idle_reset;
        default:
            return std::nullopt;
    }
}

const char* to_string(FmotStep step) {
    switch (step) {
        case FmotStep::Attract:
            return "attract";
        case FmotStep::Reaction:
            return "reaction";
        case FmotStep::Saving:
            return "saving";
        case FmotStep::ThankYou:
            return "thank_you";
    }
    return "unknown";
}

}  // namespace truthpoint::app
