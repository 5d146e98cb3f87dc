// Input the kiosk interprets itself, as pure classes tested without a window:
//  - BarcodeReader: a USB scanner "types" digits fast and ends with Enter; people type slowly.
//  - CornerHold: staff open the PIN pad by holding the top-left corner for a few seconds.
//  - PointerTracker: mouse and touch as one pointer, so that a tap shorter than a frame is still seen
//    as a press in one frame and a release in the next (ImGui needs both to report a click).
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include "truthpoint/core/time.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

class BarcodeReader {
public:
    // Scanners send a character every few milliseconds; a gap longer than this starts a new code.
    static constexpr std::chrono::milliseconds kMaxGap{80};
    static constexpr std::size_t kMinDigits = 6;  // UPC-E; EAN-8, UPC-A, EAN-13 and GTIN-14 are longer
    static constexpr std::size_t kMaxDigits = 14;

    void digit(char digit, core::Timestamp now);
    // Enter: the code if digits came fast and the count is that of a barcode; otherwise nothing.
    std::optional<std::string> enter(core::Timestamp now);
    // Any other key: whatever was being assembled is not a barcode.
    void other_key();

private:
    std::string digits_;
    core::Timestamp last_{};
};

class CornerHold {
public:
    static constexpr std::chrono::milliseconds kHoldTime{3000};

    explicit CornerHold(Rect corner) : corner_(corner) {}
    void set_corner(Rect corner) { corner_ = corner; }
    const Rect& corner() const { return corner_; }

    void press(Point at, core::Timestamp now);
    void move(Point to);  // leaving the corner cancels the hold
    void release();
    // When the loop must wake to check the hold, while one is in progress.
    std::optional<core::Timestamp> deadline() const;
    // True once, when the press has been held long enough.
    bool fired(core::Timestamp now);
    // How far the hold has come, 0 to 1, while one is in progress: the corner shows it filling.
    std::optional<float> progress(core::Timestamp now) const;

private:
    Rect corner_;
    std::optional<core::Timestamp> pressed_at_;
};

struct PointerFrame {
    Point position;
    bool down = false;
};

class PointerTracker {
public:
    void press(Point at);
    void move(Point to);
    void release(Point at);
    // What the next frame should see: one press or release per frame, in order, so that taps arriving
    // faster than frames (a child hammering a face) are all seen, each as a press and a release.
    PointerFrame next_frame();
    // True while presses or releases wait for their frames.
    bool has_pending() const { return !transitions_.empty(); }
    bool is_down() const { return latest_down_; }

private:
    std::deque<PointerFrame> transitions_;
    PointerFrame shown_{Point{-1e6f, -1e6f}, false};
    bool latest_down_ = false;
};

}  // namespace truthpoint::kiosk_ui
