// Render-on-demand bookkeeping for the kiosk's frame loop (see redraw_scheduler.hpp).
#include "truthpoint/kiosk_ui/redraw_scheduler.hpp"

#include <algorithm>

namespace truthpoint::kiosk_ui {

using std::chrono::milliseconds;

namespace {
constexpr milliseconds kStaleDeadlineRetry{50};
}  // namespace

void RedrawScheduler::request_frames(int count) { pending_frames_ = std::max(pending_frames_, count); }

void RedrawScheduler::set_animation_interval(std::optional<milliseconds> interval) { animation_interval_ = interval; }

std::optional<core::Timestamp> RedrawScheduler::next_animation_frame() const {
    if (!animation_interval_) return std::nullopt;
    if (!last_frame_) return core::Timestamp{};  // never drawn: due at once
    return *last_frame_ + *animation_interval_;
}

bool RedrawScheduler::frame_due(core::Timestamp now) const {
    if (pending_frames_ > 0) return true;
    const auto animation = next_animation_frame();
    return animation && now >= *animation;
}

void RedrawScheduler::frame_drawn(core::Timestamp now) {
    if (pending_frames_ > 0) --pending_frames_;
    last_frame_ = now;
}

std::optional<milliseconds> RedrawScheduler::wait_time(core::Timestamp now,
                                                      std::optional<core::Timestamp> deadline) const {
    if (frame_due(now)) return milliseconds{0};
    std::optional<core::Timestamp> wake_at = next_animation_frame();
    if (deadline && (!wake_at || *deadline < *wake_at)) wake_at = deadline;
    if (!wake_at) return std::nullopt;
    const auto until = std::chrono::duration_cast<milliseconds>(*wake_at - now);
    // A deadline already past was not consumed by the flow's tick: retry later rather than spin.
    return until > milliseconds{0} ? until : kStaleDeadlineRetry;
}

}  // namespace truthpoint::kiosk_ui
