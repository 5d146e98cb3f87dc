// Staff mode's health page helpers (see sync_panel_text.hpp).
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

RelativeTime relative_time(std::optional<core::Timestamp> then, core::Timestamp now) {
    using namespace std::chrono;
    if (!then) return {"never"};
    const auto seconds = static_cast<int>(std::min<long long>(duration_cast<std::chrono::seconds>(now - *then).count(), 1LL << 30));
    if (seconds < 10) return {"just now"};
    if (seconds < 60) return {"%d s ago", seconds};
    if (seconds < 3600) return {"%d min ago", seconds / 60};
    if (seconds < 48 * 3600) return {"%d h ago", seconds / 3600};
    return {"%d days ago", seconds / 86400};
}

}  // namespace truthpoint::kiosk_ui
