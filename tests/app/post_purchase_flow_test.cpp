// The post-purchase flow without a window: taps and a fake clock in, events out — every path the issue
// lists: rating only; every question; pain → sorry card with and without an offer; consent yes and no;
// abandonment at each step; receipt by keypad and by scanner; no receipt key yet.
#include <catch2/catch.hpp>

#include <vector>

#include "truthpoint/app/post_purchase_flow.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using app::PostPurchaseStep;
using Step = app::PostPurchaseStep;

namespace {

struct CapturingSink final : app::EventSink {
    std::vector<core::Event> events;
    void record(core::Event event) override { events.push_back(std::move(event)); }
    std::vector<std::string> types() const {
        std::vector<std::string> names;
        for (const auto& e : events) names.emplace_back(core::to_string(e.type));
        return names;
    }
    const core::Event& last(core::EventType type) const {
        for (auto it = events.rbegin(); it != events.rend(); ++it) {
            if (it->type == type) return *it;
        }
        FAIL("no " << core::to_string(type) << " event");
        return events.front();
    }
    bool has(core::EventType type) const {
        return std::any_of(events.begin(), events.end(), [&](const core::Event& e) { return e.type == type; });
    }
};

const app::Product kHoney{"5206142000310", {{"en", "Honey"}}, ""};
const app::Product kJam{"5905471003701", {{"en", "Jam"}}, ""};
const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kReceiptCode = "202611220042";  // as printed and as the scanner reads it

app::PostPurchaseSettings settings_with_key(bool with_offer = true) {
    app::PostPurchaseSettings settings;
    settings.receipt_key = core::ReceiptKey::from_hex(kKeyHex).value();
    settings.receipt_pattern = "[0-9]{12}";
    if (with_offer) {
        settings.offers = {{kJam.sku, "A free jar next time", "en"}, {kJam.sku, "یک شیشه رایگان", "fa"}};
    }
    return settings;
}

struct Fixture {
    explicit Fixture(app::PostPurchaseSettings settings = settings_with_key(), std::vector<app::Product> shelf = {kHoney, kJam})
        : flow(sink, ids, std::move(shelf), std::move(settings), {}) {}
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::PostPurchaseFlow flow;
    core::Timestamp t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    core::Timestamp at(std::chrono::milliseconds offset) const { return t0 + offset; }

    void commit_all(core::Timestamp now) {
        for (const auto& e : sink.events) flow.event_committed(e.id, now);
    }
    void type_receipt(const std::string& code, core::Timestamp now) {
        for (const char digit : code) flow.press_digit(digit, now);
        flow.receipt_done(now);
    }
    // Every recorded event passes core's validation (the hub would refuse it otherwise).
    void check_all_valid() const {
        for (const auto& e : sink.events) {
            INFO(core::to_string(e.type) << " " << e.data.dump());
            CHECK_FALSE(core::validate_event(e));
        }
    }
};

}  // namespace

TEST_CASE("rating only: the rating is recorded at its tap, every later question skipped", "[post_purchase]") {
    Fixture f;
    f.flow.start("en", f.t0);
    REQUIRE(f.flow.step() == Step::Receipt);
    f.flow.skip(f.at(1s));
    REQUIRE(f.flow.step() == Step::ProductPick);
    f.flow.pick_product(kHoney.sku, f.at(2s));
    REQUIRE(f.flow.step() == Step::Rating);
    CHECK(f.flow.progress_position() == 1);
    f.flow.rate(4, f.at(3s));
    CHECK(f.sink.types() == std::vector<std::string>{"session.start", "smot.feedback"});
    const auto& rating = f.sink.last(core::EventType::SmotFeedback);
    CHECK(rating.data["rating"] == 4);
    CHECK(rating.data["receipt"] == "skipped");
    CHECK_FALSE(rating.data.contains("receipt_hash"));
    CHECK(rating.data["ms_to_rate"] == 3000);
    CHECK(rating.sku == kHoney.sku);

    for (const Step step : {Step::Expectations, Step::Recommend, Step::Topics, Step::Comment, Step::Consent}) {
        CHECK(f.flow.step() == step);
        CHECK(f.flow.skip_allowed());
        f.flow.skip(f.at(4s));
    }
    CHECK(f.flow.step() == Step::Saving);  // thank you waits for the ledger
    f.commit_all(f.at(4100ms));
    CHECK(f.flow.step() == Step::ThankYou);
    CHECK(f.flow.tick(f.at(6700ms)));
    CHECK_FALSE(f.flow.active());
    const auto& end = f.sink.last(core::EventType::SessionEnd);
    CHECK(end.data["outcome"] == "completed");
    CHECK(end.data["flow"] == "post_purchase");
    CHECK(f.sink.types().size() == 3);
    f.check_all_valid();
}

TEST_CASE("every question: receipt by keypad, each answer durable when given, consent yes", "[post_purchase]") {
    Fixture f;
    f.flow.start("en", f.t0);
    f.type_receipt(kReceiptCode, f.at(3s));
    REQUIRE(f.flow.step() == Step::ProductPick);
    CHECK(f.flow.session().keypad.empty());  // the code is gone once hashed
    f.flow.pick_product(kHoney.sku, f.at(4s));
    f.flow.rate(5, f.at(5s));
    f.flow.choose_expectations(app::Expectations::Beyond, f.at(6s));
    CHECK(f.sink.types().back() == "smot.expectations");  // durable the moment it is answered
    f.flow.choose_recommend(10, f.at(7s));
    CHECK(f.sink.types().back() == "smot.recommend");
    f.flow.toggle_glory("quality", f.at(8s));
    f.flow.toggle_glory("freshness", f.at(8s));
    f.flow.toggle_glory("quality", f.at(8s));  // changed their mind
    f.flow.toggle_glory("delivery", f.at(8s));  // not a topic: ignored
    f.flow.topics_done(f.at(9s));
    f.flow.edit_comment("Lovely honey, call me on 0912 345 6789", f.at(10s));
    f.flow.comment_done(f.at(11s));
    CHECK(f.flow.progress_position() == 6);
    f.flow.choose_consent(true, f.at(12s));

    CHECK(f.sink.types() == std::vector<std::string>{"session.start", "smot.feedback", "smot.expectations",
                                                     "smot.recommend", "smot.topics", "smot.comment", "umot.consent",
                                                     "umot.review"});
    const std::string hash = core::receipt_hash(*settings_with_key().receipt_key, kReceiptCode);
    CHECK(f.sink.last(core::EventType::SmotFeedback).data["receipt"] == "keypad");
    for (const auto& e : f.sink.events) {
        if (core::may_carry_receipt_hash(e.type)) CHECK(e.data["receipt_hash"] == hash);
        CHECK(core::encode_event(e).find(kReceiptCode) == std::string::npos);
    }
    CHECK(f.sink.last(core::EventType::SmotExpectations).data["expectations"] == "beyond");
    CHECK(f.sink.last(core::EventType::SmotRecommend).data["score"] == 10);
    CHECK(f.sink.last(core::EventType::SmotTopics).data == nlohmann::json{{"glory", {"freshness"}}, {"receipt_hash", hash}});
    const auto& comment = f.sink.last(core::EventType::SmotComment);
    CHECK(comment.data["comment"] == "Lovely honey, call me on …");
    CHECK(comment.data["removed"] == nlohmann::json{"phone"});
    CHECK(f.sink.last(core::EventType::UmotConsent).data["consent"] == true);
    const auto& review = f.sink.last(core::EventType::UmotReview);
    CHECK(review.data["rating"] == 5);
    CHECK(review.data["text"] == "Lovely honey, call me on …");
    CHECK_FALSE(f.sink.has(core::EventType::SorryCard));  // a happy ending
    f.commit_all(f.at(12s));
    CHECK(f.flow.step() == Step::ThankYou);
    f.check_all_valid();
}

TEST_CASE("consent is asked of everyone who rated, and no is recorded too", "[post_purchase][consent]") {
    for (const int stars : {1, 3, 5}) {
        Fixture f;
        f.flow.start("en", f.t0);
        f.flow.skip(f.t0);
        f.flow.pick_product(kJam.sku, f.t0);
        f.flow.rate(stars, f.t0);
        for (int i = 0; i < 4; ++i) f.flow.skip(f.t0);
        INFO(stars << " stars");
        REQUIRE(f.flow.step() == Step::Consent);  // whatever the rating: no review gating
        f.flow.choose_consent(false, f.t0);
        CHECK(f.sink.last(core::EventType::UmotConsent).data["consent"] == false);
        CHECK_FALSE(f.sink.has(core::EventType::UmotReview));
        f.check_all_valid();
    }
}

TEST_CASE("a pain ends on an apology, with the offer and a checkable code where the store has one", "[post_purchase][sorry]") {
    SECTION("pain topic, offer in the shopper's language") {
        Fixture f;
        f.flow.start("fa", f.t0);
        f.flow.skip(f.t0);
        f.flow.pick_product(kJam.sku, f.t0);
        f.flow.rate(4, f.t0);  // a good rating, but…
        f.flow.skip(f.t0);
        f.flow.skip(f.t0);
        f.flow.toggle_pain("checkout", f.t0);
        f.flow.toggle_glory("taste_or_performance", f.t0);
        f.flow.topics_done(f.at(1s));
        const auto& pain = f.sink.last(core::EventType::PainReported);
        CHECK(pain.data["reason"] == "pain_topics");
        CHECK(pain.data["topics"] == nlohmann::json{"checkout"});
        CHECK(pain.sku == kJam.sku);
        f.flow.skip(f.t0);
        f.flow.choose_consent(true, f.at(2s));
        const auto& card = f.sink.last(core::EventType::SorryCard);
        CHECK(card.data["reason"] == "pain");
        CHECK(card.data["offer"] == true);
        CHECK(card.data["offer_text"] == "یک شیشه رایگان");
        const std::string card_id = card.data["card_id"];
        CHECK(card.data["code"] == core::sorry_card_code(*settings_with_key().receipt_key, card_id));
        f.commit_all(f.at(2s));
        REQUIRE(f.flow.step() == Step::Sorry);
        REQUIRE(f.flow.session().sorry_card);
        CHECK(f.flow.session().sorry_card->code == card.data["code"]);
        CHECK_FALSE(f.flow.tick(f.at(20s)));  // time to note the code
        f.flow.done(f.at(21s));
        CHECK_FALSE(f.flow.active());
        f.check_all_valid();
    }
    SECTION("low rating, the store has no offer: an apology alone") {
        Fixture f(settings_with_key(false));
        f.flow.start("en", f.t0);
        f.flow.skip(f.t0);
        f.flow.pick_product(kHoney.sku, f.t0);
        f.flow.rate(2, f.t0);
        CHECK(f.sink.last(core::EventType::PainReported).data["reason"] == "low_rating");
        for (int i = 0; i < 5; ++i) f.flow.skip(f.t0);
        const auto& card = f.sink.last(core::EventType::SorryCard);
        CHECK(card.data == nlohmann::json{{"reason", "low_rating"}, {"offer", false}, {"no_offer_because", "no_offer"}});
        f.commit_all(f.t0);
        CHECK(f.flow.step() == Step::Sorry);
        CHECK(f.flow.session().sorry_card->offer_text.empty());
        CHECK(f.flow.tick(f.at(8s)));  // an apology without a code goes sooner
        f.check_all_valid();
    }
    SECTION("the thresholds come from the hub's document") {
        auto settings = settings_with_key();
        settings.sorry_card = {.rating_at_most = 0, .on_pain = false};
        Fixture f(settings);
        f.flow.start("en", f.t0);
        f.flow.skip(f.t0);
        f.flow.pick_product(kJam.sku, f.t0);
        f.flow.rate(1, f.t0);
        f.flow.skip(f.t0);
        f.flow.skip(f.t0);
        f.flow.toggle_pain("quality", f.t0);
        f.flow.topics_done(f.t0);
        f.flow.skip(f.t0);
        f.flow.skip(f.t0);
        f.commit_all(f.t0);
        CHECK(f.flow.step() == Step::ThankYou);
        CHECK_FALSE(f.sink.has(core::EventType::SorryCard));
        CHECK(f.sink.has(core::EventType::PainReported));  // staff still hear of the pain
    }
}

TEST_CASE("an abandoned session is recorded with its last step, keeping what was answered", "[post_purchase][abandon]") {
    const std::vector<std::pair<Step, std::string>> steps{
        {Step::Receipt, "receipt"},   {Step::ProductPick, "product_pick"}, {Step::Rating, "rating"},
        {Step::Expectations, "expectations"}, {Step::Recommend, "recommend"}, {Step::Topics, "topics"},
        {Step::Comment, "comment"},   {Step::Consent, "consent"},
    };
    for (const auto& [stop, name] : steps) {
        Fixture f;
        f.flow.start("el", f.t0);
        if (stop != Step::Receipt) f.type_receipt(kReceiptCode, f.t0);
        if (stop != Step::Receipt && stop != Step::ProductPick) f.flow.pick_product(kJam.sku, f.t0);
        if (f.flow.step() == Step::Rating && stop != Step::Rating) f.flow.rate(3, f.t0);
        if (f.flow.step() == Step::Expectations && stop != Step::Expectations) {
            f.flow.choose_expectations(app::Expectations::Met, f.t0);
        }
        if (f.flow.step() == Step::Recommend && stop != Step::Recommend) f.flow.choose_recommend(7, f.t0);
        if (f.flow.step() == Step::Topics && stop != Step::Topics) f.flow.skip(f.t0);
        if (f.flow.step() == Step::Comment && stop != Step::Comment) f.flow.edit_comment("Καλό", f.t0);
        if (f.flow.step() == Step::Comment && stop != Step::Comment) f.flow.comment_done(f.t0);
        INFO(name);
        REQUIRE(f.flow.step() == stop);
        CHECK(f.flow.idle_countdown(f.at(40s)) == 5);
        CHECK(f.flow.tick(f.at(45s)));
        CHECK_FALSE(f.flow.active());
        const auto& end = f.sink.last(core::EventType::SessionEnd);
        CHECK(end.data["outcome"] == "abandoned");
        CHECK(end.data["last_step"] == name);
        CHECK(f.sink.has(core::EventType::SmotFeedback) == (stop > Step::Rating));
        CHECK(f.sink.has(core::EventType::SmotComment) == (stop > Step::Comment));
        CHECK(f.flow.session().session_id.empty());  // nothing of this shopper is left
        f.check_all_valid();
    }
    SECTION("back on the receipt step leaves at once") {
        Fixture f;
        f.flow.start("en", f.t0);
        f.flow.press_digit('4', f.t0);
        f.flow.back(f.t0);
        CHECK_FALSE(f.flow.active());
        CHECK(f.sink.last(core::EventType::SessionEnd).data["last_step"] == "receipt");
        CHECK(f.flow.session().keypad.empty());
    }
}

TEST_CASE("after a receipt-key rotation, the receipt's hash is taken under both keys", "[post_purchase][receipt]") {
    app::PostPurchaseSettings settings = settings_with_key();
    const auto earlier = core::ReceiptKey::from_hex(std::string(64, 'e')).value();
    settings.earlier_receipt_key = earlier;
    Fixture f(settings);
    f.flow.start_with_scanned_receipt(kReceiptCode, "fa", f.t0);
    REQUIRE(f.flow.step() == Step::ProductPick);
    SECTION("every answer carries both hashes") {
        REQUIRE(f.flow.scan(kJam.sku, f.at(1s)));
        f.flow.rate(5, f.at(2s));
        f.flow.choose_expectations(app::Expectations::Beyond, f.at(3s));
        const std::string hash = core::receipt_hash(*settings.receipt_key, kReceiptCode);
        const std::string earlier_hash = core::receipt_hash(earlier, kReceiptCode);
        REQUIRE(hash != earlier_hash);
        for (const auto type : {core::EventType::SmotFeedback, core::EventType::SmotExpectations}) {
            const auto& answer = f.sink.last(type);
            CHECK(answer.data["receipt_hash"] == hash);
            CHECK(answer.data["earlier_receipt_hash"] == earlier_hash);
            CHECK_FALSE(core::validate_event(answer).has_value());
        }
    }
    SECTION("going back to the receipt forgets both hashes") {
        f.flow.back(f.at(1s));
        REQUIRE(f.flow.step() == Step::Receipt);
        CHECK(f.flow.session().receipt_hash.empty());
        CHECK(f.flow.session().earlier_receipt_hash.empty());
    }
}

TEST_CASE("the receipt by scanner: at the attract screen or on the receipt step", "[post_purchase][receipt]") {
    const std::string hash = core::receipt_hash(*settings_with_key().receipt_key, kReceiptCode);
    SECTION("a scan at the attract screen starts the flow with the receipt given") {
        Fixture f;
        CHECK(f.flow.is_receipt_code(kReceiptCode));
        CHECK_FALSE(f.flow.is_receipt_code(kJam.sku));  // a product barcode is not a receipt
        f.flow.start_with_scanned_receipt(kReceiptCode, "tr", f.t0);
        CHECK(f.sink.last(core::EventType::SessionStart).data["entry"] == "receipt_scan");
        REQUIRE(f.flow.step() == Step::ProductPick);
        CHECK(f.flow.scan(kJam.sku, f.at(1s)));  // the product scanned too
        f.flow.rate(5, f.at(2s));
        const auto& rating = f.sink.last(core::EventType::SmotFeedback);
        CHECK(rating.data["receipt"] == "scanner");
        CHECK(rating.data["receipt_hash"] == hash);
        CHECK(rating.locale == "tr");
    }
    SECTION("a scan on the receipt step") {
        Fixture f;
        f.flow.start("ar", f.t0);
        CHECK_FALSE(f.flow.scan("12345", f.t0));  // not a receipt by the pattern
        CHECK(f.flow.step() == Step::Receipt);
        CHECK(f.flow.scan(kReceiptCode, f.t0));
        CHECK(f.flow.step() == Step::ProductPick);
        CHECK(f.flow.session().receipt_hash == hash);
    }
    SECTION("a mistyped code is refused on screen and may be corrected") {
        Fixture f;
        f.flow.start("en", f.t0);
        f.type_receipt("2026112200", f.t0);  // two digits short
        CHECK(f.flow.step() == Step::Receipt);
        CHECK(f.flow.session().keypad_refused);
        f.flow.press_digit('4', f.t0);
        CHECK_FALSE(f.flow.session().keypad_refused);
        f.flow.delete_digit(f.t0);
        f.type_receipt("42", f.t0);
        CHECK(f.flow.step() == Step::ProductPick);
        CHECK(f.flow.session().receipt_hash == hash);
    }
    SECTION("one product on the shelf: straight to the rating") {
        Fixture f(settings_with_key(), {kHoney});
        f.flow.start("en", f.t0);
        f.type_receipt(kReceiptCode, f.t0);
        CHECK(f.flow.step() == Step::Rating);
        CHECK(f.flow.session().product->sku == kHoney.sku);
    }
}

TEST_CASE("no receipt key yet: no receipt is asked, the answers are recorded unverified", "[post_purchase][receipt]") {
    app::PostPurchaseSettings settings;
    settings.receipt_pattern = "[0-9]{12}";
    settings.offers = {{kJam.sku, "A free jar", "en"}};
    Fixture f(settings);
    CHECK_FALSE(f.flow.has_receipt_key());

    SECTION("from the call to action") {
        f.flow.start("en", f.t0);
        CHECK(f.flow.step() == Step::ProductPick);  // the receipt step is skipped
        CHECK(f.flow.session().receipt == app::ReceiptEntry::NoKey);
        f.flow.pick_product(kJam.sku, f.t0);
        f.flow.rate(1, f.t0);
        const auto& rating = f.sink.last(core::EventType::SmotFeedback);
        CHECK(rating.data["receipt"] == "no_key");
        CHECK_FALSE(rating.data.contains("receipt_hash"));
        for (int i = 0; i < 5; ++i) f.flow.skip(f.t0);
        // The store has an offer, but a code nobody can check is no offer: the apology stands alone.
        const auto& card = f.sink.last(core::EventType::SorryCard);
        CHECK(card.data["offer"] == false);
        CHECK(card.data["no_offer_because"] == "no_receipt_key");
        f.check_all_valid();
    }
    SECTION("a scanned receipt is dropped unread") {
        f.flow.start_with_scanned_receipt(kReceiptCode, "en", f.t0);
        CHECK(f.flow.step() == Step::ProductPick);
        CHECK(f.flow.session().receipt == app::ReceiptEntry::NoKey);
        CHECK(f.flow.session().receipt_hash.empty());
        f.flow.pick_product(kHoney.sku, f.t0);
        f.flow.rate(4, f.t0);
        for (const auto& e : f.sink.events) CHECK(core::encode_event(e).find(kReceiptCode) == std::string::npos);
    }
    SECTION("a key from the hub applies to the next shopper, not the one answering") {
        f.flow.start("en", f.t0);
        f.flow.replace({kHoney, kJam}, settings_with_key());
        CHECK_FALSE(f.flow.has_receipt_key());
        f.flow.back(f.t0);  // leaves
        CHECK(f.flow.has_receipt_key());
        f.flow.start("en", f.t0);
        CHECK(f.flow.step() == Step::Receipt);
    }
}

TEST_CASE("intents out of their step are ignored, a failed commit is shown and retried with the same ids", "[post_purchase]") {
    Fixture f;
    f.flow.rate(5, f.t0);
    f.flow.choose_consent(true, f.t0);
    CHECK(f.sink.events.empty());
    f.flow.start("en", f.t0);
    f.flow.start("fa", f.t0);  // a second tap does not start a second session
    CHECK(f.sink.types() == std::vector<std::string>{"session.start"});
    f.flow.skip(f.t0);
    f.flow.pick_product(kHoney.sku, f.t0);
    f.flow.skip(f.t0);  // the rating cannot be skipped
    CHECK(f.flow.step() == Step::Rating);
    f.flow.rate(6, f.t0);  // out of range
    CHECK(f.flow.step() == Step::Rating);
    f.flow.rate(3, f.t0);
    f.flow.rate(4, f.t0);  // a double tap answers once
    CHECK(f.sink.types().size() == 2);
    for (int i = 0; i < 5; ++i) f.flow.skip(f.t0);
    REQUIRE(f.flow.step() == Step::Saving);
    const std::string rating_id = f.sink.last(core::EventType::SmotFeedback).id;
    f.flow.event_failed(rating_id, "disk I/O error", f.t0);
    CHECK(f.flow.session().answers.error() == "disk I/O error");
    const std::size_t before = f.sink.events.size();
    f.flow.retry_save(f.t0);
    CHECK(f.sink.events.size() == before + 2);  // start and rating again
    CHECK(f.sink.events.back().id == rating_id);
    f.commit_all(f.t0);
    CHECK(f.flow.step() == Step::ThankYou);
}

TEST_CASE("a comment is cut at its length limit and stored only scrubbed", "[post_purchase]") {
    Fixture f;
    f.flow.start("fa", f.t0);
    f.flow.skip(f.t0);
    f.flow.pick_product(kHoney.sku, f.t0);
    f.flow.rate(4, f.t0);
    for (int i = 0; i < 3; ++i) f.flow.skip(f.t0);
    std::string long_text;
    for (int i = 0; i < 300; ++i) long_text += "خ";  // two bytes each
    f.flow.edit_comment(long_text, f.t0);
    CHECK(f.flow.session().comment.size() == app::kMaxCommentCharacters * 2);
    f.flow.edit_comment("   ", f.t0);
    f.flow.comment_done(f.t0);
    CHECK_FALSE(f.sink.has(core::EventType::SmotComment));  // nothing to store
    CHECK(f.flow.step() == Step::Consent);
}
