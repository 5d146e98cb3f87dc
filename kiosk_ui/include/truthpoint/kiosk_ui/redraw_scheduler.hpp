// Decides when the kiosk draws a frame and how long it may sleep: render on demand, never a busy loop.
// A frame is due after input or a state change (a few, so ImGui settles), or when the current screen's
// animation wants its next step; otherwise the loop blocks until input or the flow's next deadline.
#pragma once

#include <chrono>
#include <optional>

#include "truthpoint/core/time.hpp"

namespace truthpoint::kiosk_ui {

class RedrawScheduler {
public:
    // ImGui needs a frame to see a press and another to see its release; a third lets hover settle.
    static constexpr int kSettleFrames = 3;

    // After input, a wake-up that changed state, or a screen change.
    void request_frames(int count = kSettleFrames);
    // The current screen's animation step (the attract pulse), or nullopt for a still screen.
    void set_animation_interval(std::optional<std::chrono::milliseconds> interval);

    bool frame_due(core::Timestamp now) const;
    // True while frames requested by input or a state change are still to be drawn: the next frame is
    // not just an animation step.
    bool settling() const { return pending_frames_ > 0; }
    void frame_drawn(core::Timestamp now);

    // How long the loop may block waiting for events: 0 when a frame is due now, the time to the
    // earlier of the next animation step and `deadline`, or nullopt to wait for input alone.
    std::optional<std::chrono::milliseconds> wait_time(core::Timestamp now,
                                                       std::optional<core::Timestamp> deadline) const;

private:
    std::optional<core::Timestamp> next_animation_frame() const;

    int pending_frames_ = kSettleFrames;  // the first frames after start
    std::optional<std::chrono::milliseconds> animation_interval_;
    std::optional<core::Timestamp> last_frame_;
};

}  // namespace truthpoint::kiosk_ui
