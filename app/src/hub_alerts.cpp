// Staff mode's words for the hub's alerts (see hub_alerts.hpp).
#include "truthpoint/app/hub_alerts.hpp"

#include <algorithm>

namespace truthpoint::app {
namespace {

int clamped(std::int64_t value) { return static_cast<int>(std::clamp<std::int64_t>(value, 0, 1 << 30)); }

// A kiosk's rule names its kiosk; a case without one (an older hub) still reads as a sentence.
std::string kiosk_or_dash(const core::ConfigAlert& alert) {
    return alert.kiosk_id.empty() ? std::string("\xE2\x80\x94") : alert.kiosk_id;
}

}  // namespace

AlertHeadline alert_headline(const core::ConfigAlert& alert) {
    if (alert.rule == "unhappy_share") {
        if (alert.window_minutes > 0) return {"Many unhappy shoppers in the last %d minutes", clamped(alert.window_minutes)};
        return {"Many unhappy shoppers lately"};
    }
    if (alert.rule == "pain") {
        if (alert.times_fired > 1) return {"Shoppers reported pain %d times", clamped(alert.times_fired)};
        return {"A shopper reported pain"};
    }
    if (alert.rule == "kiosk_silent") return {"Kiosk %s is silent", 0, kiosk_or_dash(alert)};
    if (alert.rule == "kiosk_backlog") return {"Kiosk %s cannot send its answers", 0, kiosk_or_dash(alert)};
    return {"An alert from the hub"};  // a rule newer than this kiosk
}

const char* alert_state_msgid(const core::ConfigAlert& alert) {
    return alert.state == "acknowledged" ? "A manager is on it" : "Waiting for a manager";
}

}  // namespace truthpoint::app
