// Unit tests for the post-purchase screens' geometry beyond "every target ≥ 15 mm, inside, apart"
// (layout_test.cpp checks that for them too): six progress dots, mirroring for Persian and Arabic, a keypad
// in phone order in every language, a QR code a phone can read, the keyboard below the comment's field.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

using namespace truthpoint::kiosk_ui;

namespace {

bool mirrored(const Rect& ltr, const Rect& rtl, Size window) {
    return rtl.x == Approx(window.width - ltr.right()) && rtl.y == Approx(ltr.y) && rtl.width == Approx(ltr.width);
}

}  // namespace

TEST_CASE("the post-purchase questions show six progress dots, filled from the start side", "[kiosk_ui][layout][purchase]") {
    const Size window{1920, 1080};
    const RatingLayout ltr = layout_rating(window, 96.0, false);
    const RatingLayout rtl = layout_rating(window, 96.0, true);
    REQUIRE(ltr.chrome.progress_dots.size() == kPostPurchaseQuestions);
    CHECK(ltr.chrome.progress_dots[0].x < ltr.chrome.progress_dots[5].x);
    CHECK(rtl.chrome.progress_dots[0].x > rtl.chrome.progress_dots[5].x);
    // Centred: the middle of the six is the middle of the window.
    CHECK((ltr.chrome.progress_dots[2].x + ltr.chrome.progress_dots[3].x) / 2 == Approx(window.width / 2));
}

TEST_CASE("right to left, the answers read from the right, keypads do not", "[kiosk_ui][layout][purchase][rtl]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1080, 1920});
    CAPTURE(window.width, window.height);
    SECTION("one star and 0 at the start side, mirrored") {
        const RatingLayout ltr = layout_rating(window, 96.0, false);
        const RatingLayout rtl = layout_rating(window, 96.0, true);
        CHECK(ltr.stars[0].x < ltr.stars[4].x);
        CHECK(rtl.stars[0].x > rtl.stars[4].x);
        for (std::size_t i = 0; i < 5; ++i) CHECK(mirrored(ltr.stars[i], rtl.stars[i], window));
        const RecommendLayout ltr_scores = layout_recommend(window, 96.0, false);
        const RecommendLayout rtl_scores = layout_recommend(window, 96.0, true);
        CHECK(rtl_scores.scores[0].x > rtl_scores.scores[10].x);
        CHECK(mirrored(ltr_scores.low_label, rtl_scores.low_label, window));
        CHECK(rtl_scores.low_label.center().x > rtl_scores.high_label.center().x);
    }
    SECTION("the first topic at the top start of its group; glory before pain in reading order") {
        const TopicsLayout rtl = layout_topics(window, 96.0, true, 9);
        CHECK(rtl.glory[0].x > rtl.glory[1].x);
        if (window.width > window.height) {
            CHECK(rtl.glory_title.x > rtl.pain_title.x);
        } else {
            CHECK(rtl.glory_title.y < rtl.pain_title.y);
        }
    }
    SECTION("the receipt keypad reads 1 2 3 left to right in every language") {
        const ReceiptLayout rtl = layout_receipt(window, 96.0, true);
        CHECK(rtl.digits[1].x < rtl.digits[2].x);
        CHECK(rtl.digits[1].y < rtl.digits[4].y);
        CHECK(rtl.erase.x < rtl.digits[0].x);
        CHECK(rtl.digits[0].x < rtl.done.x);
        CHECK_FALSE(rtl.field.overlaps(rtl.digits[1]));
        CHECK_FALSE(rtl.chrome.title.overlaps(rtl.digits[1]));
    }
}

TEST_CASE("the sorry card's QR code is at least 30 mm and clear of its words", "[kiosk_ui][layout][purchase]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720}, Size{1080, 1920});
    const double dpi = GENERATE(96.0, 160.0);
    const bool rtl = GENERATE(false, true);
    CAPTURE(window.width, window.height, dpi, rtl);
    const EndLayout card = layout_end(window, dpi, rtl, true);
    CHECK(px_to_mm(card.qr.width, dpi) >= Approx(30.0f));
    CHECK(card.qr.width == Approx(card.qr.height));
    CHECK(card.qr.inside(window));
    for (const Rect* words : {&card.headline, &card.detail, &card.offer, &card.how_to, &card.done}) {
        CHECK_FALSE(card.qr.overlaps(*words));
    }
    CHECK_FALSE(card.code.overlaps(card.done));
    CHECK(card.code.inside(window));
}

TEST_CASE("the comment's keyboard lies below the field and above the bottom row", "[kiosk_ui][layout][purchase]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720}, Size{1080, 1920});
    CAPTURE(window.width, window.height);
    const CommentLayout layout = layout_comment(window, 96.0, false);
    CHECK(layout.field.bottom() <= layout.notice.y);
    CHECK(layout.notice.bottom() <= layout.keyboard.y);
    CHECK(layout.keyboard.bottom() <= layout.chrome.back.y);
    CHECK_FALSE(layout.notice.overlaps(layout.counter));
    // Room for five rows of keys of at least 10 mm.
    CHECK(px_to_mm(layout.keyboard.height, 96.0) >= 5 * 10.0f);
}
