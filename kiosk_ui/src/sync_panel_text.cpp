// Staff mode's sync panel helpers (see sync_panel_text.hpp).
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

std::string relative_time(std::optional<core::Timestamp> then, core::Timestamp now) {
    using namespace std::chrono;
    if (!then) return "never";
    const auto seconds = duration_cast<std::chrono::seconds>(now - *then).count();
    if (seconds < 10) return "just now";
    if (seconds < 60) return std::to_string(seconds) + " s ago";
    if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
    if (seconds < 48 * 3600) return std::to_string(seconds / 3600) + " h ago";
    return std::to_string(seconds / 86400) + " days ago";
}

}  // namespace truthpoint::kiosk_ui
