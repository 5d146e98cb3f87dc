// Pure helpers of staff mode's sync panel, tested without a window: "2 min ago" for the last good sync.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>

#include "truthpoint/core/time.hpp"

namespace truthpoint::kiosk_ui {

// "never", "just now", "40 s ago", "2 min ago", "3 h ago", "2 days ago" as a msgid of assets/i18n and the
// number for its %d. A time in the future (a clock set back) reads "just now".
struct RelativeTime {
    const char* msgid;
    int count = 0;
};
RelativeTime relative_time(std::optional<core::Timestamp> then, core::Timestamp now);
// Every msgid relative_time returns (the font atlas and the catalogs need them).
inline constexpr std::array<const char*, 6> kRelativeTimeMsgids{"never", "just now", "%d s ago", "%d min ago", "%d h ago",
                                                                 "%d days ago"};

}  // namespace truthpoint::kiosk_ui
