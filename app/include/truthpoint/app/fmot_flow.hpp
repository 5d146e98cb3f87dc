// The first-moment-of-truth flow as a state machine:
//   attract → (pick a product) → reaction → drivers → intent → (why not) → thank you.
// The reaction is recorded at the first tap; every later question is optional and skippable.
// It owns the shopper's session; screens read its state and call its intents. No I/O here:
// events go to an EventSink, and time comes in as arguments so tests can drive a fake clock.
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/app/unconfirmed_answers.hpp"
#include "truthpoint/app/product_catalog.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/uuid.hpp"

namespace truthpoint::app {

enum class FmotStep {
    Attract,      // cycling call to action; a touch or a barcode scan starts a session
    ProductPick,  // the shelf's products as a grid (skipped when the shelf has one product)
    Reaction,     // four faces, no neutral: recorded at the tap
    Drivers,      // "what caught your eye?": several may be chosen, then Next, or Skip
    Intent,       // buy now / maybe later / not buying
    WhyNot,       // only after "not buying": one tap, or Skip
    Saving,       // waiting for the ledger to confirm every answer (milliseconds), or showing its error
    ThankYou,     // 2.5 s, then back to attract
};

enum class Driver { Packaging, Price, Promotion, Brand, Label, OnlineReviews, Recommendation, Habit };
inline constexpr std::array kAllDrivers{Driver::Packaging, Driver::Price,         Driver::Promotion,
                                        Driver::Brand,     Driver::Label,         Driver::OnlineReviews,
                                        Driver::Recommendation, Driver::Habit};
enum class Intent { BuyNow, MaybeLater, NotBuying };
inline constexpr std::array kAllIntents{Intent::BuyNow, Intent::MaybeLater, Intent::NotBuying};
enum class WhyNot { Price, Comparing, NotNeeded, OtherBrand, NoInformation };
inline constexpr std::array kAllWhyNots{WhyNot::Price, WhyNot::Comparing, WhyNot::NotNeeded, WhyNot::OtherBrand,
                                        WhyNot::NoInformation};

// The enums follow core's vocabulary (core/vocabulary.hpp) in order: kDrivers, kIntents, kWhyNots.
static_assert(kAllDrivers.size() == core::kDrivers.size());
static_assert(kAllIntents.size() == core::kIntents.size());
static_assert(kAllWhyNots.size() == core::kWhyNots.size());

// Wire names ("packaging", "buy_now", "not_needed", ...).
const char* to_string(FmotStep step);
const char* to_string(Driver driver);
const char* to_string(Intent intent);
const char* to_string(WhyNot why_not);

struct FmotTimings {
    std::chrono::milliseconds thank_you{2500};
    std::chrono::milliseconds idle_reset{45000};
    std::chrono::milliseconds idle_warning{10000};  // the countdown shown before an idle reset
    // Anti-abuse: this many taps within the window, or a reaction faster than min_reaction after the
    // first touch, marks the session as misuse. Its events are still recorded, flagged "misuse": true.
    int burst_taps = 6;
    std::chrono::milliseconds burst_window{2000};
    std::chrono::milliseconds min_reaction{350};
};

// Everything a screen may show about the current shopper. Recreated at every reset, so nothing of
// one shopper is left for the next.
struct FmotSession {
    std::string session_id;  // empty on the attract screen
    std::string locale;      // the shopper's language; the kiosk's default at every reset
    bool large_text = false;
    std::optional<Product> product;
    core::Timestamp first_touch{};
    core::Timestamp last_activity{};
    core::Timestamp thank_you_since{};
    std::optional<core::Reaction> reaction;
    std::vector<Driver> drivers;  // chosen so far on the drivers screen, in tap order
    std::optional<Intent> intent;
    bool misuse = false;
    std::deque<core::Timestamp> recent_taps;  // for burst detection
    // Answers handed to the sink and not yet confirmed durable; "thank you" waits for them.
    UnconfirmedAnswers answers;  // its error() is shown on the Saving step
};

class FmotFlow {
public:
    // `shelf` must not be empty. `default_locale` is the first configured language.
    FmotFlow(EventSink& sink, core::UuidV7Generator& ids, std::vector<Product> shelf, std::string default_locale,
             FmotTimings timings = {});

    FmotStep step() const { return step_; }
    const FmotSession& session() const { return session_; }
    const std::vector<Product>& shelf() const { return shelf_; }
    // The questions the hub enabled, in the order to show them (all of them by default).
    const std::vector<Driver>& drivers() const { return drivers_; }
    const std::vector<WhyNot>& why_nots() const { return why_nots_; }
    // A new shelf and questions (from the hub): applied now on the attract screen, else at the next
    // reset, so a shopper mid-session never sees the products change under their finger.
    void replace_shelf(std::vector<Product> shelf, std::vector<Driver> drivers, std::vector<WhyNot> why_nots);
    // Whether back() does anything on this step (the screens show a Back button only then).
    bool back_allowed() const;
    const std::string& locale() const { return session_.locale; }
    // The product the attract screen shows now: the shelf, one after another every `period`.
    const Product& attract_product(core::Timestamp now, std::chrono::milliseconds period = std::chrono::seconds(6)) const;
    // 1-based position among the question steps (reaction, drivers, intent/why-not) and their count, for
    // progress dots; 0 when the step is not a question.
    int progress_position() const;
    static constexpr int kProgressSteps = 3;

    // Intents, called by the screens (or by tests and `simulate`). Each is ignored when it does not
    // belong to the current step, so a double tap never answers twice.
    void touch_attract(core::Timestamp now);
    void choose_language(const std::string& locale, core::Timestamp now);
    void toggle_large_text(core::Timestamp now);
    // A barcode read by a scanner acting as a keyboard. Returns false when no shelf product has it.
    bool scan_barcode(const std::string& code, core::Timestamp now);
    void pick_product(const std::string& sku, core::Timestamp now);
    // A face tapped on the attract screen: the reaction to the product it shows (`sku`, the one drawn in
    // that frame), recorded at once as on the reaction screen; the session goes on with the drivers.
    void tap_attract_face(const std::string& sku, core::Reaction reaction, core::Timestamp now);
    void tap_reaction(core::Reaction reaction, core::Timestamp now);
    void toggle_driver(Driver driver, core::Timestamp now);
    void drivers_done(core::Timestamp now);
    void choose_intent(Intent intent, core::Timestamp now);
    void choose_why_not(WhyNot why_not, core::Timestamp now);
    void skip(core::Timestamp now);  // drivers, intent or why-not: go on without answering
    void back(core::Timestamp now);  // only where nothing has been recorded on the way
    // Any touch on a screen (also outside targets): postpones the idle reset, counts toward bursts.
    void note_touch(core::Timestamp now);

    // Results of the commits, delivered on the UI thread.
    void event_committed(const std::string& event_id, core::Timestamp now);
    void event_failed(const std::string& event_id, const std::string& error, core::Timestamp now);
    // On the Saving step after a failure: hand the unconfirmed answers to the sink again (same ids).
    void retry_save(core::Timestamp now);

    // Advances timers: thank-you → attract, idle → abandoned. Returns true if the step changed.
    bool tick(core::Timestamp now);
    // The next moment the screen must change (idle warning, each second of its countdown, the reset,
    // the end of "thank you"), always after `now`; the UI sleeps until then.
    std::optional<core::Timestamp> next_deadline(core::Timestamp now) const;
    // Seconds left before an idle reset, while the warning should be shown.
    std::optional<int> idle_countdown(core::Timestamp now) const;

private:
    core::Event make_event(core::EventType type, core::Timestamp at, nlohmann::json data);
    void record(core::Event event);
    void count_tap(core::Timestamp now);
    void start_session(core::Timestamp now, const char* entry = nullptr);
    void go_to_reaction(const Product& product, core::Timestamp now);
    void finish(core::Timestamp now);
    void record_intent(std::optional<WhyNot> why_not, core::Timestamp now);
    void end_session(const char* outcome, core::Timestamp now);
    std::int64_t ms_since_first_touch(core::Timestamp now) const;

    EventSink& sink_;
    core::UuidV7Generator& ids_;
    void apply_pending_shelf();

    std::vector<Product> shelf_;
    std::vector<Driver> drivers_{kAllDrivers.begin(), kAllDrivers.end()};
    std::vector<WhyNot> why_nots_{kAllWhyNots.begin(), kAllWhyNots.end()};
    struct PendingShelf {
        std::vector<Product> shelf;
        std::vector<Driver> drivers;
        std::vector<WhyNot> why_nots;
    };
    std::optional<PendingShelf> pending_shelf_;
    std::string default_locale_;
    FmotTimings timings_;
    FmotStep step_ = FmotStep::Attract;
    FmotSession session_;
};

}  // namespace truthpoint::app
