// Pure helpers of staff mode's sync panel, tested without a window: "2 min ago" for the last good sync.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "truthpoint/core/time.hpp"

namespace truthpoint::kiosk_ui {

// "never", "just now", "40 s ago", "2 min ago", "3 h ago", "2 days ago". A time in the future (a clock
// set back) reads "just now".
std::string relative_time(std::optional<core::Timestamp> then, core::Timestamp now);

}  // namespace truthpoint::kiosk_ui
