// The kiosk's screens. A screen is a small struct: its own UI state, `draw(context)` that computes its
// layout once and from it both draws and records its tap targets (so the two cannot drift), reads the
// session's state and calls only its intents (no SQL, no HTTP, no file I/O), an optional enter hook, and
// whether it animates. Overlays (idle warning, staff mode) are screens drawn
// over the shopper's screen, which then takes no input. All of them are registered in ScreenRegistry.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fonts.hpp"
#include "product_pictures.hpp"
#include "shaped_text.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/app/kiosk_session.hpp"
#include "truthpoint/app/post_purchase_flow.hpp"
#include "truthpoint/app/qr_code.hpp"
#include "truthpoint/app/staff_mode.hpp"
#include "truthpoint/app/translations.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"
#include "truthpoint/kiosk_ui/onscreen_keyboard.hpp"

namespace truthpoint::kiosk_ui {

// A point a shopper (or a test tool) can tap, named for the test: "start", "very_happy", "lang_fa", ...
struct TapTarget {
    std::string name;
    Point center;
    bool operator==(const TapTarget&) const = default;
};

// What a screen may use while drawing one frame.
struct ScreenContext {
    app::KioskSession& session;
    app::FmotFlow& flow;
    app::PostPurchaseFlow& post_purchase;
    app::StaffMode& staff;
    const app::Translations& translations;
    TextEngine& text;
    const FontSet& font_set;
    const ProductPictures& pictures;
    const std::vector<std::string>& languages;  // as configured, the first is the default
    Size window;
    double dpi = 96.0;
    core::Timestamp now{};
    bool input_enabled = true;  // false under an overlay: the screen is drawn, its targets are not
    // True when the glass still shows this screen's last frame with the same still parts (software
    // renderer: the window's pixels persist between presents): redraw only animation_region().
    bool animation_only = false;
    // The tap targets of this frame, recorded by tap_area() as they are drawn (where input is enabled).
    std::vector<TapTarget>* targets = nullptr;

    // The shopper's language: the post-purchase session's while it runs, else the first-moment flow's.
    const std::string& locale() const {
        return post_purchase.active() ? post_purchase.session().locale : flow.locale();
    }
    bool right_to_left() const { return app::is_right_to_left(locale()); }
    TextDirection direction() const {
        return right_to_left() ? TextDirection::RightToLeft : TextDirection::LeftToRight;
    }
    Mirror mirror() const { return Mirror{window.width, right_to_left()}; }
    const KioskFonts& fonts() const { return font_set.for_large_text(flow.session().large_text); }
    // The shopper's language's text for an English msgid of assets/i18n/truthpoint.pot.
    const std::string& tr(std::string_view msgid) const { return translations.text(locale(), msgid); }
    // The idle countdown and "the shopper is still there" go to the flow the shopper is in.
    std::optional<int> idle_countdown() const {
        return post_purchase.active() ? post_purchase.idle_countdown(now) : flow.idle_countdown(now);
    }
    void note_touch() const {
        if (post_purchase.active()) {
            post_purchase.note_touch(now);
        } else {
            flow.note_touch(now);
        }
    }
    // The product the shopper is asked about: the session's, or the one the attract screen shows.
    const app::Product& product() const {
        return flow.session().product ? *flow.session().product : flow.attract_product(now);
    }
};

class Screen {
public:
    virtual ~Screen() = default;
    // The name in the tap-targets file and the screenshot tour.
    virtual const char* name() const = 0;
    // Called on the first frame after the flow moves to this screen.
    virtual void enter(const ScreenContext& /*context*/) {}
    virtual void draw(ScreenContext& context) = 0;
    // How often the screen wants a frame while nothing else happens; nullopt for a still screen.
    virtual std::optional<std::chrono::milliseconds> animation_interval() const { return std::nullopt; }
    // Where the animation draws, when it keeps to one region and the rest is still; what the still parts
    // show (a key: when it changes, the whole screen is redrawn). Together they let an animation frame
    // repaint only its region over the previous frame.
    virtual std::optional<Rect> animation_region(const ScreenContext& /*context*/) const { return std::nullopt; }
    virtual std::string still_key(const ScreenContext& /*context*/) const { return {}; }
    // Text typed on a physical keyboard, for screens that take text (the comment); others ignore it.
    virtual bool takes_text() const { return false; }
    virtual void type_text(ScreenContext& /*context*/, std::string_view /*utf8*/) {}
    virtual void erase_text(ScreenContext& /*context*/) {}
};

// The call to action: the shelf's products cycling, a breathing "touch" pill, and the language picker.
// Only the pill moves: its animation frames repaint the pill's region alone (animation_region), so a
// frame costs well under a millisecond with the software renderer; the whole screen is drawn when the
// product, language or text size changes. A tap anywhere above the languages starts the flow.
struct AttractScreen final : Screen {
    static constexpr std::chrono::milliseconds kFrameInterval{500};
    static constexpr std::chrono::milliseconds kPulsePeriod{3000};

    const char* name() const override { return "attract"; }
    void enter(const ScreenContext& context) override;
    void draw(ScreenContext& context) override;
    std::optional<std::chrono::milliseconds> animation_interval() const override { return kFrameInterval; }
    std::optional<Rect> animation_region(const ScreenContext& context) const override;
    std::string still_key(const ScreenContext& context) const override;

    core::Timestamp entered_at{};  // the pulse's phase starts here
};

// The shelf's products as a grid of pictures and names; a scan works here too. The same screen asks
// "which product did you buy?" in the post-purchase flow.
struct PickScreen final : Screen {
    explicit PickScreen(bool after_purchase) : after_purchase(after_purchase) {}
    const char* name() const override { return after_purchase ? "purchase_pick" : "pick"; }
    void draw(ScreenContext& context) override;

    const bool after_purchase;
};

// The four faces. A tap records the reaction.
struct ReactionScreen final : Screen {
    const char* name() const override { return "reaction"; }
    void draw(ScreenContext& context) override;
};

// "What caught your eye?": eight toggles, then Next, or Skip.
struct DriversScreen final : Screen {
    const char* name() const override { return "drivers"; }
    void draw(ScreenContext& context) override;
};

// Buy now / maybe later / not buying, or Skip.
struct IntentScreen final : Screen {
    const char* name() const override { return "intent"; }
    void draw(ScreenContext& context) override;
};

// After "not buying": why not, one tap, or Skip.
struct WhyNotScreen final : Screen {
    const char* name() const override { return "why_not"; }
    void draw(ScreenContext& context) override;
};

// While the ledger confirms the answers (milliseconds); on an error, the apology and a retry.
struct SavingScreen final : Screen {
    const char* name() const override { return "saving"; }
    void draw(ScreenContext& context) override;
};

// The chosen face and "thank you" until the flow's timer returns to attract.
struct ThankYouScreen final : Screen {
    const char* name() const override { return "thank_you"; }
    void draw(ScreenContext& context) override;
};

// [Post-purchase] The product grid above serves both flows; these are the post-purchase flow's own.

// The receipt's number on a numeric keypad (or scanned), with Skip: the digits leave the kiosk only as a
// keyed hash (app::PostPurchaseFlow).
struct ReceiptScreen final : Screen {
    const char* name() const override { return "receipt"; }
    void draw(ScreenContext& context) override;
};

// One to five stars: the tap records the rating.
struct RatingScreen final : Screen {
    const char* name() const override { return "rating"; }
    void draw(ScreenContext& context) override;
};

// Below / met / beyond my expectations, or Skip.
struct ExpectationsScreen final : Screen {
    const char* name() const override { return "expectations"; }
    void draw(ScreenContext& context) override;
};

// How likely to recommend it, 0 to 10, or Skip.
struct RecommendScreen final : Screen {
    const char* name() const override { return "recommend"; }
    void draw(ScreenContext& context) override;
};

// What went well, what went wrong: nine topics each, any number, then Next, or Skip.
struct TopicsScreen final : Screen {
    const char* name() const override { return "topics"; }
    void draw(ScreenContext& context) override;
};

// The optional comment, typed on the on-screen keyboard (the session's language, a key to switch) or a
// physical one; shown shaped and in its direction as it is typed; scrubbed by the flow before it is stored.
struct CommentScreen final : Screen {
    const char* name() const override { return "comment"; }
    void enter(const ScreenContext& context) override;
    void draw(ScreenContext& context) override;
    bool takes_text() const override { return true; }
    void type_text(ScreenContext& context, std::string_view utf8) override;
    void erase_text(ScreenContext& context) override;
    // The keys' names change with the layer and the language: a new set of tap targets each time.
    std::string still_key(const ScreenContext& context) const override;

    std::optional<OnscreenKeyboard> keyboard;  // made at enter(): the shopper's language first
};

// May the rating and comment be shown to other shoppers? Asked of everyone who rated.
struct ConsentScreen final : Screen {
    const char* name() const override { return "consent"; }
    void draw(ScreenContext& context) override;
};

// The stars given and "thank you"; a touch ends it sooner.
struct PurchaseThankYouScreen final : Screen {
    const char* name() const override { return "purchase_thank_you"; }
    void draw(ScreenContext& context) override;
};

// The apology after a low rating or a pain, and where the store has an offer, the offer with its
// single-use code as text and as a QR code; Done ends it.
struct SorryScreen final : Screen {
    const char* name() const override { return "sorry"; }
    void enter(const ScreenContext& context) override;
    void draw(ScreenContext& context) override;

    std::string qr_text;             // the code the QR below encodes
    std::optional<app::QrCode> qr;  // encoded once per card, not per frame
};

// "Are you still there?" with the countdown to the idle reset; a touch anywhere continues.
struct IdleOverlay final : Screen {
    const char* name() const override { return "idle"; }
    void draw(ScreenContext& context) override;
    std::optional<std::chrono::milliseconds> animation_interval() const override {
        return std::chrono::milliseconds(1000);  // the countdown's seconds
    }
};

// The staff PIN pad (digits shown as dots), "Checking…" while argon2id runs, and the staff menu.
struct StaffOverlay final : Screen {
    const char* name() const override;
    void draw(ScreenContext& context) override;
    // The menu's tallies, Undo, reports seen and sync state: a change publishes the tap targets again.
    std::string still_key(const ScreenContext& context) const override;
    // The staff menu follows the uploader and the ledger (and its Undo expires): a frame a second while it
    // shows; and a locked-out pad counts its minutes down.
    std::optional<std::chrono::milliseconds> animation_interval() const override {
        if (shown_step == app::StaffStep::Menu || locked_out) return std::chrono::milliseconds(1000);
        return std::nullopt;
    }

    app::StaffStep shown_step = app::StaffStep::PinEntry;
    const char* menu_page = "staff_menu";  // the staff menu's page, as a screen name
    bool locked_out = false;
};

// The one place every screen is listed: the shopper screens by the flow step they show, then the
// overlays, which win when they apply.
class ScreenRegistry {
public:
    // The screen of the flow the shopper is in: the post-purchase flow's while it runs.
    Screen& current(const app::KioskSession& session);
    Screen& for_step(app::FmotStep step);
    Screen& for_step(app::PostPurchaseStep step);
    // The overlay to draw over the shopper's screen now, if any.
    Screen* overlay(const ScreenContext& context);

private:
    AttractScreen attract_;
    PickScreen pick_{false};
    ReactionScreen reaction_;
    DriversScreen drivers_;
    IntentScreen intent_;
    WhyNotScreen why_not_;
    SavingScreen saving_;
    ThankYouScreen thank_you_;
    ReceiptScreen receipt_;
    PickScreen purchase_pick_{true};
    RatingScreen rating_;
    ExpectationsScreen expectations_;
    RecommendScreen recommend_;
    TopicsScreen topics_;
    CommentScreen comment_;
    ConsentScreen consent_;
    PurchaseThankYouScreen purchase_thank_you_;
    SorryScreen sorry_;
    IdleOverlay idle_;
    StaffOverlay staff_;
};

// The staff menu (staff_menu.cpp): its tabs, the page shown and the ways out; and that page's screen name.
void draw_staff_menu(ScreenContext& context);
const char* staff_page_screen_name(const app::StaffMode& staff, const std::vector<app::Product>& shelf);
// Every text the staff menu's pages may show (the font atlas needs their glyphs).
const std::vector<const char*>& staff_menu_msgids();

// Names used in tap-target files and tests: the wire names, so a test can compare them with the ledger.
std::string tap_target_name(core::Reaction reaction);

// English msgids of the texts screens show for the flow's values, in assets/i18n/truthpoint.pot; the
// answers' own are core's vocabulary (Answer::label).
const char* msgid_of(core::Reaction reaction);
const char* msgid_of(app::Driver driver);
const char* msgid_of(app::Intent intent);
const char* msgid_of(app::WhyNot why_not);
const char* msgid_of(app::Expectations expectations);
// Every msgid the screens use, to collect the glyphs the font atlas needs.
const std::vector<const char*>& all_msgids();

}  // namespace truthpoint::kiosk_ui
