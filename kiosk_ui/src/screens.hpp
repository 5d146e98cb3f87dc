// The kiosk's screens. A screen is a small struct: its own UI state, `draw(context)` that reads the
// flow's state and calls only its intents (no SQL, no HTTP, no file I/O), optional enter hook, its tap
// targets for tests, and whether it animates. All screens are registered in ScreenRegistry.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fonts.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"
#include "ui_text.hpp"

namespace truthpoint::kiosk_ui {

// What a screen may use while drawing one frame.
struct ScreenContext {
    app::FmotFlow& flow;
    const KioskFonts& fonts;
    const UiText& text;
    Size window;
    double dpi = 96.0;
    core::Timestamp now{};
};

// A point a shopper (or a test tool) can tap, named for the test: "start", "very_happy", ...
struct TapTarget {
    std::string name;
    Point center;
};

class Screen {
public:
    virtual ~Screen() = default;
    virtual const char* name() const = 0;
    // Called on the first frame after the flow moves to this screen's step.
    virtual void enter(const ScreenContext& /*context*/) {}
    virtual void draw(ScreenContext& context) = 0;
    // Computed from the same layout function draw() uses, so a test never hard-codes pixels.
    virtual std::vector<TapTarget> tap_targets(Size /*window*/, double /*dpi*/) const { return {}; }
    // How often the screen wants a frame while nothing else happens; nullopt for a still screen.
    virtual std::optional<std::chrono::milliseconds> animation_interval() const { return std::nullopt; }
};

// The call to action. Breathes slowly at ≤ 4 frames a second; a tap anywhere starts the flow.
struct AttractScreen final : Screen {
    static constexpr std::chrono::milliseconds kFrameInterval{250};
    static constexpr std::chrono::milliseconds kPulsePeriod{2400};

    const char* name() const override { return "attract"; }
    void enter(const ScreenContext& context) override;
    void draw(ScreenContext& context) override;
    std::vector<TapTarget> tap_targets(Size window, double dpi) const override;
    std::optional<std::chrono::milliseconds> animation_interval() const override { return kFrameInterval; }

    core::Timestamp entered_at{};  // the pulse's phase starts here
};

// The four faces. A tap records the reaction; a failed commit shows the flow's save_error here.
struct ReactionScreen final : Screen {
    const char* name() const override { return "reaction"; }
    void draw(ScreenContext& context) override;
    std::vector<TapTarget> tap_targets(Size window, double dpi) const override;
};

// The chosen face while the recorder commits it (usually a few milliseconds).
struct SavingScreen final : Screen {
    const char* name() const override { return "saving"; }
    void draw(ScreenContext& context) override;
};

// The chosen face and "thank you" until the flow's timer returns to attract.
struct ThankYouScreen final : Screen {
    const char* name() const override { return "thank_you"; }
    void draw(ScreenContext& context) override;
};

// The one place every screen is listed, keyed by the flow step it shows. Issue 3's screens
// (drivers, intent, language picker) join here.
class ScreenRegistry {
public:
    Screen& for_step(app::FmotStep step);

private:
    AttractScreen attract_;
    ReactionScreen reaction_;
    SavingScreen saving_;
    ThankYouScreen thank_you_;
};

// Name used in tap-target files and tests for a reaction: "very_unhappy", "unhappy", "happy", "very_happy".
std::string tap_target_name(core::Reaction reaction);

}  // namespace truthpoint::kiosk_ui
