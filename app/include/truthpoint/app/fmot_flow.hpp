// The first-moment-of-truth flow as a state machine: attract → reaction → (saving) → thank you.
// It owns the shopper's session; screens read its state and call its intents. No I/O here:
// events go to an EventSink, and time comes in as arguments so tests can drive a fake clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/uuid.hpp"

namespace truthpoint::app {

struct Product {
    std::string sku;
    std::string name;
};

enum class FmotStep { Attract, Reaction, Saving, ThankYou };

struct FmotTimings {
    std::chrono::milliseconds thank_you{2500};
    std::chrono::milliseconds idle_reset{45000};
};

// Everything a screen may show about the current shopper. Recreated at every reset.
struct FmotSession {
    std::string session_id;  // empty on the attract screen
    core::Timestamp first_touch{};
    core::Timestamp last_activity{};
    core::Timestamp thank_you_since{};
    std::optional<core::Reaction> reaction;
    std::string pending_event_id;  // the reaction waiting for its commit
    std::string save_error;        // shown on the reaction screen if the commit failed
};

class FmotFlow {
public:
    FmotFlow(EventSink& sink, core::UuidV7Generator& ids, Product product, std::string locale,
             FmotTimings timings = {});

    FmotStep step() const { return step_; }
    const FmotSession& session() const { return session_; }
    const Product& product() const { return product_; }
    const std::string& locale() const { return locale_; }

    // Intents, called by the screens (or by tests and `simulate`).
    void touch_attract(core::Timestamp now);
    void tap_reaction(core::Reaction reaction, core::Timestamp now);
    // Results of the commit of the pending reaction, delivered on the UI thread.
    void reaction_committed(const std::string& event_id, core::Timestamp now);
    void reaction_failed(const std::string& event_id, const std::string& error);
    // Advances timers: thank-you → attract, idle → abandoned. Returns true if the step changed.
    bool tick(core::Timestamp now);
    // When the next timer fires, if any; the UI sleeps until then.
    std::optional<core::Timestamp> next_deadline() const;

private:
    core::Event make_event(core::EventType type, core::Timestamp at, nlohmann::json data);
    void end_session(const char* outcome, core::Timestamp now);

    EventSink& sink_;
    core::UuidV7Generator& ids_;
    Product product_;
    std::string locale_;
    FmotTimings timings_;
    FmotStep step_ = FmotStep::Attract;
    FmotSession session_;
};

const char* to_string(FmotStep step);

}  // namespace truthpoint::app
