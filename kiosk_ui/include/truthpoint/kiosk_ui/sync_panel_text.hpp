// Pure helpers of staff mode's sync panel, tested without a window: "2 min ago" for the last good sync,
// and a refresh timer so the uploader's state (read under its lock) is read about once a second.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "truthpoint/core/time.hpp"

namespace truthpoint::kiosk_ui {

// "never", "just now", "40 s ago", "2 min ago", "3 h ago", "2 days ago". A time in the future (a clock
// set back) reads "just now".
std::string relative_time(std::optional<core::Timestamp> then, core::Timestamp now);

class RefreshTimer {
public:
    explicit RefreshTimer(std::chrono::milliseconds interval) : interval_(interval) {}
    // True (and restarts the interval) when never refreshed, forced, or the interval has passed.
    bool due(core::Timestamp now);
    void force() { last_.reset(); }

private:
    std::chrono::milliseconds interval_;
    std::optional<core::Timestamp> last_;
};

}  // namespace truthpoint::kiosk_ui
