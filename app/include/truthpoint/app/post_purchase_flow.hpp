// The post-purchase flow (second and ultimate moments of truth) as a state machine, beside FmotFlow:
//   entry → receipt (keypad or scanner, skippable) → product → rating → expectations → recommend →
//   glory/pain topics → comment → consent to share → thank you, or an apology with a sorry card.
// The rating is recorded at its tap; every later question is optional, and each is recorded as soon as it
// is answered. A receipt code lives here only while it is typed: the flow keeps its keyed hash and drops
// the code at once. No I/O: events go to an EventSink, time comes in as arguments (docs/events.md).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/app/product_catalog.hpp"
#include "truthpoint/app/unconfirmed_answers.hpp"
#include "truthpoint/core/config_document.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/uuid.hpp"

namespace truthpoint::app {

enum class PostPurchaseStep {
    Inactive,      // the attract screen belongs to the FMOT flow
    Receipt,       // the receipt code on a numeric keypad, or scanned; Skip goes on without it
    ProductPick,   // which product (grid or scan); skipped when the shelf has one product
    Rating,        // 1-5 stars: recorded at the tap
    Expectations,  // below / met / beyond
    Recommend,     // 0-10
    Topics,        // moments of glory and of pain: several may be chosen, then Next, or Skip
    Comment,       // free text, scrubbed of e-mail addresses, phone numbers and links before it is stored
    Consent,       // may the rating and comment be shown to other shoppers? Asked whatever the rating
    Saving,        // waiting for the ledger to confirm every answer, or showing its error
    ThankYou,      // 2.5 s, then back to attract
    Sorry,         // the apology, and the offer and its code where the store has one
};

enum class Expectations { Below, Met, Beyond };
inline constexpr std::array kAllExpectations{Expectations::Below, Expectations::Met, Expectations::Beyond};
static_assert(kAllExpectations.size() == core::kExpectations.size());  // in core::kExpectations' order

// How the purchase was named: the value of smot.feedback's data.receipt.
enum class ReceiptEntry { Keypad, Scanner, Skipped, NoKey };

// Wire names ("receipt", "product_pick", ..., "below", "keypad", ...).
const char* to_string(PostPurchaseStep step);
const char* to_string(Expectations expectations);
const char* to_string(ReceiptEntry entry);

struct PostPurchaseTimings {
    std::chrono::milliseconds thank_you{2500};
    std::chrono::milliseconds sorry{8000};             // without an offer
    std::chrono::milliseconds sorry_with_offer{30000};  // time to note or photograph the code; Done ends it sooner
    std::chrono::milliseconds idle_reset{45000};
    std::chrono::milliseconds idle_warning{10000};
};

// What the hub's configuration document says about receipts and apologies.
struct PostPurchaseSettings {
    std::optional<core::ReceiptKey> receipt_key;  // none yet: the receipt step is skipped, answers are unverified
    // The chain's key before its last rotation, while the hub hands it out: a receipt is hashed under both, so
    // that one the till sent under the earlier key still verifies the answers.
    std::optional<core::ReceiptKey> earlier_receipt_key;
    std::string receipt_pattern;                  // [kiosk] receipt_pattern: which scanned codes are receipts
    core::SorryCardRule sorry_card;
    std::vector<core::ConfigOffer> offers;
};

inline constexpr std::size_t kMaxReceiptDigits = 32;
inline constexpr std::size_t kMaxCommentCharacters = 280;  // code points, shown on screen as a countdown

struct SorryCardShown {
    std::string reason;      // "low_rating" or "pain"
    std::string offer_text;  // empty: an apology without an offer
    std::string code;        // the single-use code (text and QR), with an offer only
};

// Everything a screen may show about the current shopper; recreated at every reset.
struct PostPurchaseSession {
    std::string session_id;
    std::string locale;
    std::string keypad;        // digits typed so far; cleared as soon as they are hashed
    bool keypad_refused = false;  // the last code typed does not look like a receipt (the pattern)
    std::optional<ReceiptEntry> receipt;
    std::string receipt_hash;          // empty without a receipt
    std::string earlier_receipt_hash;  // under the earlier receipt key; empty without one
    std::optional<Product> product;
    core::Timestamp first_touch{};
    core::Timestamp last_activity{};
    core::Timestamp done_since{};
    std::optional<int> rating;
    std::vector<std::string> glory;  // topics chosen on the topics screen, in tap order
    std::vector<std::string> pain;
    std::string comment;  // the draft as typed; only its scrubbed form is recorded
    std::optional<std::string> comment_recorded;  // what was stored
    std::optional<std::string> sorry_reason;      // set once the session calls for an apology
    std::optional<SorryCardShown> sorry_card;
    UnconfirmedAnswers answers;
};

class PostPurchaseFlow {
public:
    PostPurchaseFlow(EventSink& sink, core::UuidV7Generator& ids, std::vector<Product> shelf,
                     PostPurchaseSettings settings = {}, PostPurchaseTimings timings = {});

    PostPurchaseStep step() const { return step_; }
    bool active() const { return step_ != PostPurchaseStep::Inactive; }
    const PostPurchaseSession& session() const { return session_; }
    const std::vector<Product>& shelf() const { return shelf_; }
    const PostPurchaseSettings& settings() const { return settings_; }
    // Whether receipts can be taken now (the hub handed out a key).
    bool has_receipt_key() const { return settings_.receipt_key.has_value(); }
    // Whether `code` is a receipt code by the configured pattern (false when no pattern is set).
    bool is_receipt_code(const std::string& code) const;
    // New settings and shelf from the hub: applied at once when no shopper is in the flow, else at the reset.
    void replace(std::vector<Product> shelf, PostPurchaseSettings settings);
    // 1-based position among the questions (rating … consent) and their count; 0 elsewhere.
    int progress_position() const;
    static constexpr int kProgressSteps = 6;
    bool back_allowed() const;
    bool skip_allowed() const;

    // Entry: the attract screen's "Already bought it?", or a scanned code that is a receipt (the code is
    // hashed at once and dropped). Both are ignored while a session runs. `locale` is the attract screen's.
    void start(const std::string& locale, core::Timestamp now);
    void start_with_scanned_receipt(const std::string& code, const std::string& locale, core::Timestamp now);

    // Receipt step: the keypad, or a scan. A code that does not match the pattern (when one is set) is
    // refused on screen and the shopper may try again or skip.
    void press_digit(char digit, core::Timestamp now);
    void delete_digit(core::Timestamp now);
    void receipt_done(core::Timestamp now);
    // A scanned code: a receipt on the receipt step, a product on the product step. False when unused.
    bool scan(const std::string& code, core::Timestamp now);
    void pick_product(const std::string& sku, core::Timestamp now);
    void rate(int stars, core::Timestamp now);
    void choose_expectations(Expectations expectations, core::Timestamp now);
    void choose_recommend(int score, core::Timestamp now);
    void toggle_glory(const std::string& topic, core::Timestamp now);
    void toggle_pain(const std::string& topic, core::Timestamp now);
    void topics_done(core::Timestamp now);
    // The comment as typed so far (cut at kMaxCommentCharacters); comment_done records its scrubbed form.
    void edit_comment(std::string text, core::Timestamp now);
    void comment_done(core::Timestamp now);
    void choose_consent(bool share, core::Timestamp now);
    void skip(core::Timestamp now);  // every step after the rating, and the receipt step
    void back(core::Timestamp now);  // receipt (leaves), product, rating: nothing recorded on the way
    void done(core::Timestamp now);  // thank-you or sorry card: back to attract now
    void choose_language(const std::string& locale, core::Timestamp now);
    void note_touch(core::Timestamp now);

    void event_committed(const std::string& event_id, core::Timestamp now);
    void event_failed(const std::string& event_id, const std::string& error, core::Timestamp now);
    void retry_save(core::Timestamp now);

    // Thank-you/sorry → attract, idle → abandoned. Returns true if the step changed.
    bool tick(core::Timestamp now);
    std::optional<core::Timestamp> next_deadline(core::Timestamp now) const;
    std::optional<int> idle_countdown(core::Timestamp now) const;

private:
    core::Event make_event(core::EventType type, core::Timestamp at, nlohmann::json data);
    void record(core::Event event);
    nlohmann::json with_receipt(nlohmann::json data) const;
    void begin(const std::string& locale, const char* entry, core::Timestamp now);
    void take_receipt(const std::string& code, ReceiptEntry entry);
    void after_receipt(core::Timestamp now);
    void go_to_product(const Product& product, core::Timestamp now);
    void touch(core::Timestamp now);
    void report_pain(const char* reason, core::Timestamp now);
    void finish(core::Timestamp now);
    void show_end(core::Timestamp now);
    void end_session(const char* outcome, core::Timestamp now);
    const core::ConfigOffer* offer_for_session() const;

    EventSink& sink_;
    core::UuidV7Generator& ids_;
    std::vector<Product> shelf_;
    PostPurchaseSettings settings_;
    struct Pending {
        std::vector<Product> shelf;
        PostPurchaseSettings settings;
    };
    std::optional<Pending> pending_;
    PostPurchaseTimings timings_;
    PostPurchaseStep step_ = PostPurchaseStep::Inactive;
    PostPurchaseSession session_;
};

}  // namespace truthpoint::app
