// The FMOT state machine: one session per shopper, each answer recorded at its tap, a thank-you
// only once the ledger has confirmed every answer of the session.
#include "truthpoint/app/fmot_flow.hpp"

#include <algorithm>

namespace truthpoint::app {

using core::EventType;
using core::Timestamp;
using std::chrono::milliseconds;

FmotFlow::FmotFlow(EventSink& sink, core::UuidV7Generator& ids, std::vector<Product> shelf, std::string default_locale,
                   FmotTimings timings)
    : sink_(sink),
      ids_(ids),
      shelf_(std::move(shelf)),
      default_locale_(std::move(default_locale)),
      timings_(timings) {
    session_.locale = default_locale_;
}

const Product& FmotFlow::attract_product(Timestamp now, milliseconds period) const {
    const auto slot = now.time_since_epoch() / std::max(period, milliseconds(1));
    return shelf_[static_cast<std::size_t>(slot % static_cast<long long>(shelf_.size()))];
}

void FmotFlow::replace_shelf(std::vector<Product> shelf, std::vector<Driver> drivers, std::vector<WhyNot> why_nots) {
    if (shelf.empty()) return;  // a shelf needs a product; keep the one we have
    if (drivers.empty()) drivers.assign(kAllDrivers.begin(), kAllDrivers.end());
    if (why_nots.empty()) why_nots.assign(kAllWhyNots.begin(), kAllWhyNots.end());
    pending_shelf_ = PendingShelf{std::move(shelf), std::move(drivers), std::move(why_nots)};
    if (step_ == FmotStep::Attract) apply_pending_shelf();
}

void FmotFlow::apply_pending_shelf() {
    if (!pending_shelf_) return;
    shelf_ = std::move(pending_shelf_->shelf);
    drivers_ = std::move(pending_shelf_->drivers);
    why_nots_ = std::move(pending_shelf_->why_nots);
    pending_shelf_.reset();
}

bool FmotFlow::back_allowed() const {
    switch (step_) {
        case FmotStep::ProductPick:
        case FmotStep::Intent:
        case FmotStep::WhyNot:
            return true;
        case FmotStep::Reaction:
            return shelf_.size() > 1;
        default:
            return false;
    }
}

int FmotFlow::progress_position() const {
    switch (step_) {
        case FmotStep::Reaction:
            return 1;
        case FmotStep::Drivers:
            return 2;
        case FmotStep::Intent:
        case FmotStep::WhyNot:
            return 3;
        default:
            return 0;
    }
}

std::int64_t FmotFlow::ms_since_first_touch(Timestamp now) const {
    return std::max<std::int64_t>(0, std::chrono::duration_cast<milliseconds>(now - session_.first_touch).count());
}

core::Event FmotFlow::make_event(EventType type, Timestamp at, nlohmann::json data) {
    core::Event event;
    event.id = ids_.next_at(at);
    event.type = type;
    event.occurred_at = at;
    event.session_id = session_.session_id;
    event.locale = session_.locale;
    if (core::requires_sku(type) && session_.product) event.sku = session_.product->sku;
    if (session_.misuse) data["misuse"] = true;
    event.data = std::move(data);
    return event;
}

void FmotFlow::record(core::Event event) { session_.answers.record(sink_, std::move(event)); }

void FmotFlow::count_tap(Timestamp now) {
    session_.last_activity = now;
    auto& taps = session_.recent_taps;
    taps.push_back(now);
    while (!taps.empty() && now - taps.front() > timings_.burst_window) taps.pop_front();
    if (static_cast<int>(taps.size()) >= timings_.burst_taps) session_.misuse = true;
}

void FmotFlow::start_session(Timestamp now, const char* entry) {
    const std::string locale = session_.locale;
    const bool large_text = session_.large_text;
    auto taps = std::move(session_.recent_taps);  // a burst may span the reset (a child hammering)
    session_ = FmotSession{};
    session_.locale = locale;
    session_.large_text = large_text;
    session_.recent_taps = std::move(taps);
    session_.session_id = ids_.next_at(now);
    session_.first_touch = now;
    count_tap(now);
    nlohmann::json data{{"flow", "fmot"}};
    if (entry) data["entry"] = entry;
    record(make_event(EventType::SessionStart, now, std::move(data)));
}

void FmotFlow::go_to_reaction(const Product& product, Timestamp now) {
    session_.product = product;
    session_.last_activity = now;
    step_ = FmotStep::Reaction;
}

void FmotFlow::touch_attract(Timestamp now) {
    if (step_ != FmotStep::Attract) return;
    start_session(now);
    if (shelf_.size() == 1) {
        go_to_reaction(shelf_.front(), now);
    } else {
        step_ = FmotStep::ProductPick;
    }
}

void FmotFlow::choose_language(const std::string& locale, Timestamp now) {
    if (step_ == FmotStep::Attract) {
        session_.locale = locale;  // the choice is the shopper's first touch
        touch_attract(now);
        return;
    }
    if (step_ == FmotStep::Saving || step_ == FmotStep::ThankYou) return;
    session_.locale = locale;
    count_tap(now);
}

void FmotFlow::toggle_large_text(Timestamp now) {
    session_.large_text = !session_.large_text;
    if (step_ != FmotStep::Attract) count_tap(now);
}

bool FmotFlow::scan_barcode(const std::string& code, Timestamp now) {
    const auto product = std::find_if(shelf_.begin(), shelf_.end(), [&](const Product& p) { return p.sku == code; });
    if (product == shelf_.end()) return false;
    if (step_ == FmotStep::Attract) {
        start_session(now);
        go_to_reaction(*product, now);
    } else if (step_ == FmotStep::ProductPick || step_ == FmotStep::Reaction) {
        count_tap(now);
        go_to_reaction(*product, now);
    }
    return true;
}

void FmotFlow::pick_product(const std::string& sku, Timestamp now) {
    if (step_ != FmotStep::ProductPick) return;
    const auto product = std::find_if(shelf_.begin(), shelf_.end(), [&](const Product& p) { return p.sku == sku; });
    if (product == shelf_.end()) return;
    count_tap(now);
    go_to_reaction(*product, now);
}

void FmotFlow::tap_attract_face(const std::string& sku, core::Reaction reaction, Timestamp now) {
    if (step_ != FmotStep::Attract) return;
    const auto product = std::find_if(shelf_.begin(), shelf_.end(), [&](const Product& p) { return p.sku == sku; });
    if (product == shelf_.end()) return;  // the shelf changed under the finger: nothing to react to
    start_session(now, "face");
    go_to_reaction(*product, now);
    // The shopper looked at the attract screen before touching it, so there is no time to react to
    // measure and no "faster than anyone can look" to judge: ms_to_react is left out.
    session_.reaction = reaction;
    record(make_event(EventType::FmotReaction, now, {{"reaction", core::to_string(reaction)}, {"entry", "attract_face"}}));
    step_ = FmotStep::Drivers;
}

void FmotFlow::tap_reaction(core::Reaction reaction, Timestamp now) {
    if (step_ != FmotStep::Reaction) return;
    count_tap(now);
    const std::int64_t ms = ms_since_first_touch(now);
    if (ms < timings_.min_reaction.count()) session_.misuse = true;  // faster than anyone can look
    session_.reaction = reaction;
    record(make_event(EventType::FmotReaction, now, {{"reaction", core::to_string(reaction)}, {"ms_to_react", ms}}));
    step_ = FmotStep::Drivers;
}

void FmotFlow::toggle_driver(Driver driver, Timestamp now) {
    if (step_ != FmotStep::Drivers) return;
    if (std::find(drivers_.begin(), drivers_.end(), driver) == drivers_.end()) return;  // not offered
    count_tap(now);
    auto& chosen = session_.drivers;
    const auto found = std::find(chosen.begin(), chosen.end(), driver);
    if (found == chosen.end()) {
        chosen.push_back(driver);
    } else {
        chosen.erase(found);
    }
}

void FmotFlow::drivers_done(Timestamp now) {
    if (step_ != FmotStep::Drivers) return;
    count_tap(now);
    if (!session_.drivers.empty()) {
        nlohmann::json names = nlohmann::json::array();
        for (Driver driver : session_.drivers) names.push_back(to_string(driver));
        nlohmann::json data{{"drivers", names}, {"ms_to_answer", ms_since_first_touch(now)}};
        // The reaction these drivers explain, so that the hub counts drivers per face.
        if (session_.reaction) data["reaction"] = core::to_string(*session_.reaction);
        record(make_event(EventType::FmotDriver, now, std::move(data)));
    }
    step_ = FmotStep::Intent;
}

void FmotFlow::record_intent(std::optional<WhyNot> why_not, Timestamp now) {
    nlohmann::json data{{"intent", to_string(*session_.intent)}, {"ms_to_answer", ms_since_first_touch(now)}};
    if (why_not) data["why_not"] = to_string(*why_not);
    record(make_event(EventType::FmotIntent, now, std::move(data)));
}

void FmotFlow::choose_intent(Intent intent, Timestamp now) {
    if (step_ != FmotStep::Intent) return;
    count_tap(now);
    session_.intent = intent;
    if (intent == Intent::NotBuying) {
        step_ = FmotStep::WhyNot;  // recorded with its reason, at skip, or when the shopper walks away
        return;
    }
    record_intent(std::nullopt, now);
    finish(now);
}

void FmotFlow::choose_why_not(WhyNot why_not, Timestamp now) {
    if (step_ != FmotStep::WhyNot) return;
    count_tap(now);
    record_intent(why_not, now);
    finish(now);
}

void FmotFlow::skip(Timestamp now) {
    switch (step_) {
        case FmotStep::Drivers:
            count_tap(now);
            session_.drivers.clear();
            step_ = FmotStep::Intent;
            return;
        case FmotStep::Intent:
            count_tap(now);
            finish(now);
            return;
        case FmotStep::WhyNot:
            count_tap(now);
            record_intent(std::nullopt, now);
            finish(now);
            return;
        default:
            return;
    }
}

void FmotFlow::back(Timestamp now) {
    switch (step_) {
        case FmotStep::ProductPick:
            end_session("abandoned", now);
            return;
        case FmotStep::Reaction:
            if (shelf_.size() > 1) {
                count_tap(now);
                session_.product.reset();
                step_ = FmotStep::ProductPick;
            }
            return;
        case FmotStep::Intent:
            count_tap(now);
            step_ = FmotStep::Drivers;  // drivers are recorded only at Next, so they can still change
            return;
        case FmotStep::WhyNot:
            count_tap(now);
            session_.intent.reset();
            step_ = FmotStep::Intent;
            return;
        default:
            return;
    }
}

void FmotFlow::note_touch(Timestamp now) {
    if (step_ == FmotStep::Attract) return;
    count_tap(now);
}

void FmotFlow::finish(Timestamp now) {
    if (session_.answers.all_committed()) {
        session_.thank_you_since = now;
        step_ = FmotStep::ThankYou;
    } else {
        step_ = FmotStep::Saving;
    }
}

void FmotFlow::event_committed(const std::string& event_id, Timestamp now) {
    session_.answers.committed(event_id);
    if (step_ == FmotStep::Saving && session_.answers.settled()) {
        session_.thank_you_since = now;
        step_ = FmotStep::ThankYou;
    }
}

void FmotFlow::event_failed(const std::string& event_id, const std::string& error, Timestamp) {
    if (!session_.answers.failed(event_id, error)) return;  // an earlier shopper's event; the recorder logged it
    step_ = FmotStep::Saving;  // the apology and "touch to try again" replace the questions
}

void FmotFlow::retry_save(Timestamp now) {
    if (step_ != FmotStep::Saving || session_.answers.error().empty()) return;
    count_tap(now);
    session_.answers.retry(sink_);
}

void FmotFlow::end_session(const char* outcome, Timestamp now) {
    if (step_ == FmotStep::WhyNot && session_.intent) record_intent(std::nullopt, now);  // keep the tapped intent
    nlohmann::json data{{"outcome", outcome}, {"last_step", to_string(step_)}};
    sink_.record(make_event(EventType::SessionEnd, now, std::move(data)));
    auto taps = std::move(session_.recent_taps);
    session_ = FmotSession{};  // nothing of this shopper survives the reset
    session_.locale = default_locale_;
    session_.recent_taps = std::move(taps);
    step_ = FmotStep::Attract;
    apply_pending_shelf();
}

bool FmotFlow::tick(Timestamp now) {
    switch (step_) {
        case FmotStep::Attract:
            return false;
        case FmotStep::ThankYou:
            if (now - session_.thank_you_since >= timings_.thank_you) {
                end_session("completed", now);
                return true;
            }
            return false;
        case FmotStep::Saving:
            if (session_.answers.error().empty()) return false;  // a commit takes milliseconds
            [[fallthrough]];  // an apology left alone resets like any idle screen
        default:
            if (now - session_.last_activity >= timings_.idle_reset) {
                end_session("abandoned", now);
                return true;
            }
            return false;
    }
}

std::optional<Timestamp> FmotFlow::next_deadline(Timestamp now) const {
    switch (step_) {
        case FmotStep::Attract:
            return std::nullopt;
        case FmotStep::ThankYou:
            return std::max(now + milliseconds(1), session_.thank_you_since + timings_.thank_you);
        case FmotStep::Saving:
            if (session_.answers.error().empty()) return std::nullopt;
            [[fallthrough]];
        default: {
            const Timestamp reset = session_.last_activity + timings_.idle_reset;
            const Timestamp warning = reset - timings_.idle_warning;
            if (now < warning) return warning;
            if (now >= reset) return now + milliseconds(1);
            // Inside the countdown: the next whole second before the reset.
            const auto whole_seconds_left = std::chrono::duration_cast<std::chrono::seconds>(reset - now);
            const Timestamp next = reset - whole_seconds_left;
            return next > now ? next : next + std::chrono::seconds(1);
        }
    }
}

std::optional<int> FmotFlow::idle_countdown(Timestamp now) const {
    if (step_ == FmotStep::Attract || step_ == FmotStep::ThankYou) return std::nullopt;
    if (step_ == FmotStep::Saving && session_.answers.error().empty()) return std::nullopt;
    const auto left = session_.last_activity + timings_.idle_reset - now;
    if (left > timings_.idle_warning || left <= milliseconds(0)) return std::nullopt;
    return static_cast<int>((left.count() + 999) / 1000);
}

const char* to_string(FmotStep step) {
    switch (step) {
        case FmotStep::Attract: return "attract";
        case FmotStep::ProductPick: return "product_pick";
        case FmotStep::Reaction: return "reaction";
        case FmotStep::Drivers: return "drivers";
        case FmotStep::Intent: return "intent";
        case FmotStep::WhyNot: return "why_not";
        case FmotStep::Saving: return "saving";
        case FmotStep::ThankYou: return "thank_you";
    }
    return "unknown";
}

const char* to_string(Driver driver) { return core::kDrivers[static_cast<std::size_t>(driver)].wire.data(); }
const char* to_string(Intent intent) { return core::kIntents[static_cast<std::size_t>(intent)].wire.data(); }
const char* to_string(WhyNot why_not) { return core::kWhyNots[static_cast<std::size_t>(why_not)].wire.data(); }

}  // namespace truthpoint::app
