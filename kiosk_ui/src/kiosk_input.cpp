// Barcode assembly, the staff corner hold and the merged pointer (see kiosk_input.hpp).
#include "truthpoint/kiosk_ui/kiosk_input.hpp"

#include <algorithm>

namespace truthpoint::kiosk_ui {

void BarcodeReader::digit(char digit, core::Timestamp now) {
    if (!digits_.empty() && now - last_ > kMaxGap) digits_.clear();
    if (digits_.size() > kMaxDigits) digits_.clear();  // a stuck key, not a scanner
    digits_.push_back(digit);
    last_ = now;
}

std::optional<std::string> BarcodeReader::enter(core::Timestamp now) {
    std::string code;
    code.swap(digits_);
    if (code.size() < kMinDigits || code.size() > kMaxDigits || now - last_ > kMaxGap) return std::nullopt;
    return code;
}

void BarcodeReader::other_key() { digits_.clear(); }

void CornerHold::press(Point at, core::Timestamp now) {
    if (corner_.contains(at)) {
        pressed_at_ = now;
    } else {
        pressed_at_.reset();
    }
}

void CornerHold::move(Point to) {
    if (pressed_at_ && !corner_.contains(to)) pressed_at_.reset();
}

void CornerHold::release() { pressed_at_.reset(); }

std::optional<core::Timestamp> CornerHold::deadline() const {
    if (!pressed_at_) return std::nullopt;
    return *pressed_at_ + kHoldTime;
}

std::optional<float> CornerHold::progress(core::Timestamp now) const {
    if (!pressed_at_) return std::nullopt;
    const auto held = std::chrono::duration<float>(now - *pressed_at_) / std::chrono::duration<float>(kHoldTime);
    return std::clamp(held, 0.0f, 1.0f);
}

bool CornerHold::fired(core::Timestamp now) {
    if (!pressed_at_ || now - *pressed_at_ < kHoldTime) return false;
    pressed_at_.reset();  // once per hold
    return true;
}

void PointerTracker::press(Point at) {
    transitions_.push_back(PointerFrame{at, true});
    latest_down_ = true;
}

void PointerTracker::move(Point to) {
    // A move behind queued presses and releases waits for no frame: each transition carries where it
    // happened, and a release must be shown where it was, not where the pointer went to tap next.
    if (transitions_.empty()) shown_.position = to;
}

void PointerTracker::release(Point at) {
    transitions_.push_back(PointerFrame{at, false});
    latest_down_ = false;
}

PointerFrame PointerTracker::next_frame() {
    if (!transitions_.empty()) {
        shown_ = transitions_.front();
        transitions_.pop_front();
    }
    return shown_;
}

}  // namespace truthpoint::kiosk_ui
