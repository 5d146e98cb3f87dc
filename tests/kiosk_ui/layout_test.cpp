// Unit tests for the kiosk's screen geometry: millimetres to pixels, the four faces' sizes and gaps, every
// screen's targets (≥ 15 mm, inside the window, no overlaps), and mirroring for right-to-left languages.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "truthpoint/kiosk_ui/layout.hpp"
#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

using namespace truthpoint::kiosk_ui;

TEST_CASE("millimetres convert to pixels at the configured DPI", "[kiosk_ui][layout]") {
    CHECK(mm_to_px(25.4f, 96.0) == Approx(96.0f));
    CHECK(mm_to_px(15.0f, 96.0) == Approx(56.69f).epsilon(0.001));
    CHECK(mm_to_px(15.0f, 160.0) == Approx(94.49f).epsilon(0.001));
    CHECK(px_to_mm(mm_to_px(15.0f, 141.0), 141.0) == Approx(15.0f));
}

TEST_CASE("the four faces fit, keep large gaps and are at least 15 mm wide", "[kiosk_ui][layout]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720}, Size{1080, 1920}, Size{1024, 600});
    const double dpi = GENERATE(96.0, 141.0, 160.0);
    CAPTURE(window.width, window.height, dpi);
    const ReactionLayout layout = layout_reaction(window, dpi);

    SECTION("each face is at least 15 mm wide and lies inside the window with its target") {
        for (const FaceSlot& slot : layout.faces) {
            CHECK(px_to_mm(2 * slot.radius, dpi) >= Approx(kMinFaceWidthMm));
            CHECK(slot.target.inside(window));
            CHECK(slot.target.contains(Point{slot.center.x - slot.radius + 1, slot.center.y}));
            CHECK(slot.target.contains(Point{slot.center.x + slot.radius - 1, slot.center.y}));
            CHECK(slot.target.contains(Point{slot.center.x, slot.center.y - slot.radius + 1}));
            CHECK(slot.target.contains(slot.label_center));
            // The pressed ring (1.07 r + half its width) stays clear of the label's first line.
            CHECK(slot.center.y + slot.radius * 1.1f < slot.label_center.y - type_scale(window, dpi).caption * 0.6f);
        }
    }
    SECTION("targets do not overlap and are separated by a gap a finger cannot bridge by accident") {
        for (std::size_t i = 0; i + 1 < layout.faces.size(); ++i) {
            const Rect& left = layout.faces[i].target;
            const Rect& right = layout.faces[i + 1].target;
            CHECK_FALSE(left.overlaps(right));
            CHECK(px_to_mm(right.x - left.right(), dpi) >= 5.0f);
        }
    }
    SECTION("very unhappy is on the left, very happy on the right") {
        CHECK(layout.faces.front().reaction == truthpoint::core::Reaction::VeryUnhappy);
        CHECK(layout.faces.back().reaction == truthpoint::core::Reaction::VeryHappy);
        for (std::size_t i = 0; i + 1 < layout.faces.size(); ++i) {
            CHECK(layout.faces[i].center.x < layout.faces[i + 1].center.x);
        }
    }
    SECTION("the question sits above the faces, the bottom row below them, inside the window") {
        CHECK(layout.question.bottom() <= layout.faces[0].target.y);
        CHECK(layout.chrome.back.y >= layout.faces[0].target.bottom());
        CHECK(layout.question.inside(window));
    }
}

TEST_CASE("faces on a kiosk-sized screen are large, not just legal", "[kiosk_ui][layout]") {
    const ReactionLayout layout = layout_reaction(Size{1920, 1080}, 96.0);
    // About 8 cm on a 22" full-HD panel: easy to hit from a shopper's stance.
    CHECK(px_to_mm(2 * layout.faces[0].radius, 96.0) >= 60.0f);
}

TEST_CASE("text is readable from a metre and fits the screen", "[kiosk_ui][layout]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720});
    const TypeScale type = type_scale(window, 96.0);
    CHECK(px_to_mm(type.headline, 96.0) >= 9.0f);
    CHECK(px_to_mm(type.body, 96.0) >= 7.0f);
    CHECK(px_to_mm(type.caption, 96.0) >= 5.0f);
    CHECK(type.headline > type.body);
    CHECK(type.body > type.caption);
    CHECK(type.headline <= window.height * 0.1f);
}

TEST_CASE("the attract and message screens lie inside the window", "[kiosk_ui][layout]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720}, Size{1080, 1920});
    const AttractLayout attract = layout_attract(window, 96.0);
    CHECK(attract.question.inside(window));
    CHECK(attract.call_to_action.inside(window));
    CHECK(attract.question.bottom() < attract.call_to_action.y);
    for (const Point& face : attract.preview_faces) {
        CHECK(face.x - attract.preview_radius >= 0);
        CHECK(face.x + attract.preview_radius <= window.width);
        CHECK(face.y - attract.preview_radius > attract.call_to_action.bottom());
    }
    // "Already bought it?": below the faces' targets (1.2 radii under their centres), above the languages.
    CHECK(attract.post_purchase.inside(window));
    CHECK(px_to_mm(attract.post_purchase.height, 96.0) >= Approx(kMinTargetMm));
    CHECK(attract.post_purchase.y > attract.preview_faces[0].y + attract.preview_radius * 1.2f);
    CHECK(attract.post_purchase.bottom() < attract.language_label.y);
    CHECK(attract.review.inside(window));
    CHECK_FALSE(attract.review.overlaps(attract.post_purchase));
    CHECK_FALSE(attract.review.overlaps(attract.picture));
    CHECK_FALSE(attract.review.overlaps(attract.call_to_action));
    const MessageLayout message = layout_message(window, 96.0);
    CHECK(message.face_center.y - message.face_radius >= 0);
    CHECK(message.message.y >= message.face_center.y + message.face_radius);
    CHECK(message.message.inside(window));
}

namespace {

using Targets = std::vector<std::pair<std::string, Rect>>;

// Every tap target of every screen and overlay, named, as the screens draw them.
std::vector<std::pair<std::string, Targets>> all_screens(Size window, double dpi, bool rtl) {
    std::vector<std::pair<std::string, Targets>> screens;
    const auto with_chrome = [](const Chrome& chrome, Targets targets, bool back, bool primary, bool secondary) {
        targets.emplace_back("larger_text", chrome.larger_text);
        if (back) targets.emplace_back("back", chrome.back);
        if (primary) targets.emplace_back("primary", chrome.primary_action);
        if (secondary) targets.emplace_back("secondary", chrome.secondary_action);
        return targets;
    };
    {
        const AttractLayout attract = layout_attract(window, dpi, rtl, 5);
        Targets targets;
        for (std::size_t i = 0; i < attract.languages.size(); ++i) {
            targets.emplace_back("language " + std::to_string(i), attract.languages[i]);
        }
        targets.emplace_back("start", attract.start_area);
        screens.emplace_back("attract", targets);
    }
    {
        const PickLayout pick = layout_pick(window, dpi, rtl, 6);
        Targets targets;
        for (std::size_t i = 0; i < pick.products.size(); ++i) {
            targets.emplace_back("product " + std::to_string(i), pick.products[i].target);
        }
        screens.emplace_back("pick", with_chrome(pick.chrome, targets, true, false, false));
    }
    {
        const ReactionLayout reaction = layout_reaction(window, dpi, rtl);
        Targets targets;
        for (const FaceSlot& face : reaction.faces) targets.emplace_back("face", face.target);
        screens.emplace_back("reaction", with_chrome(reaction.chrome, targets, true, false, false));
    }
    for (const auto& [name, count, back, secondary] :
         {std::tuple{"drivers", 8, false, true}, std::tuple{"intent", 3, false, false},
          std::tuple{"why_not", 5, true, false}}) {
        const ChoiceLayout choices = layout_choices(window, dpi, rtl, static_cast<std::size_t>(count));
        Targets targets;
        for (std::size_t i = 0; i < choices.buttons.size(); ++i) {
            targets.emplace_back("choice " + std::to_string(i), choices.buttons[i]);
        }
        screens.emplace_back(name, with_chrome(choices.chrome, targets, back, true, secondary));
    }
    // After a purchase. The comment's keyboard is tested in onscreen_keyboard_test.cpp: a full keyboard's
    // keys are smaller than 15 mm on a small screen.
    {
        const ReceiptLayout receipt = layout_receipt(window, dpi, rtl);
        Targets targets;
        for (std::size_t d = 0; d < receipt.digits.size(); ++d) targets.emplace_back("keypad " + std::to_string(d), receipt.digits[d]);
        targets.emplace_back("keypad_erase", receipt.erase);
        targets.emplace_back("keypad_done", receipt.done);
        screens.emplace_back("receipt", with_chrome(receipt.chrome, targets, true, true, false));
    }
    {
        const RatingLayout rating = layout_rating(window, dpi, rtl);
        Targets targets;
        for (std::size_t i = 0; i < rating.stars.size(); ++i) targets.emplace_back("star " + std::to_string(i + 1), rating.stars[i]);
        screens.emplace_back("rating", with_chrome(rating.chrome, targets, true, false, false));
    }
    {
        const RecommendLayout recommend = layout_recommend(window, dpi, rtl);
        Targets targets;
        for (std::size_t n = 0; n < recommend.scores.size(); ++n) targets.emplace_back("score " + std::to_string(n), recommend.scores[n]);
        screens.emplace_back("recommend", with_chrome(recommend.chrome, targets, false, true, false));
    }
    {
        const TopicsLayout topics = layout_topics(window, dpi, rtl, 9);
        Targets targets;
        for (std::size_t i = 0; i < topics.glory.size(); ++i) targets.emplace_back("glory " + std::to_string(i), topics.glory[i]);
        for (std::size_t i = 0; i < topics.pain.size(); ++i) targets.emplace_back("pain " + std::to_string(i), topics.pain[i]);
        screens.emplace_back("topics", with_chrome(topics.chrome, targets, false, true, true));
    }
    {
        const CommentLayout comment = layout_comment(window, dpi, rtl);
        screens.emplace_back("comment", with_chrome(comment.chrome, {}, false, true, true));
    }
    for (const bool with_offer : {false, true}) {
        const EndLayout end = layout_end(window, dpi, rtl, with_offer);
        screens.emplace_back(with_offer ? "sorry with an offer" : "thank you", Targets{{"done", end.done}});
    }
    {
        const PinPadLayout pad = layout_pin_pad(window, dpi, rtl);
        Targets targets;
        for (std::size_t d = 0; d < pad.digits.size(); ++d) targets.emplace_back("digit " + std::to_string(d), pad.digits[d]);
        targets.emplace_back("erase", pad.erase);
        targets.emplace_back("submit", pad.submit);
        targets.emplace_back("cancel", pad.cancel);
        screens.emplace_back("staff_pin", targets);
    }
    {
        const StaffMenuLayout menu = layout_staff_menu(window, dpi, rtl);
        Targets frame;  // on every page
        for (std::size_t i = 0; i < menu.tabs.size(); ++i) frame.emplace_back("tab " + std::to_string(i), menu.tabs[i]);
        frame.emplace_back("back_to_shoppers", menu.back_to_shoppers);
        frame.emplace_back("exit_kiosk", menu.exit_kiosk);

        Targets products = frame;
        for (const ProductCell& cell : layout_staff_products(menu, window, dpi, rtl, 6).products) {
            products.emplace_back("product", cell.target);
        }
        screens.emplace_back("staff_products", products);

        const ShelfLogLayout log = layout_shelf_log(menu, window, dpi, rtl);
        Targets shelf = frame;
        for (std::size_t i = 0; i < log.observations.size(); ++i) {
            shelf.emplace_back("observation " + std::to_string(i), log.observations[i]);
        }
        shelf.emplace_back("change_product", log.change_product);
        shelf.emplace_back("undo", log.undo);
        screens.emplace_back("staff_shelf_log", shelf);

        const ShopperReportsLayout reports = layout_shopper_reports(menu, window, dpi, rtl);
        CHECK(reports.rows.size() >= 2);  // 1280×800 at 160 dpi has room for two
        // Three of the hub's alerts leave the pains their rows on a landscape screen and room for one on a
        // portrait one; they stay inside the page and clear of the pains.
        const ShopperReportsLayout busy = layout_shopper_reports(menu, window, dpi, rtl, 5);
        CHECK(busy.alerts.size() == kMaxAlertLinesShown);
        CHECK(busy.rows.size() >= (window.width > window.height ? reports.rows.size() : 1));
        for (const AlertLine& line : busy.alerts) {
            CHECK(line.row.x >= menu.content.x - 0.5f);
            CHECK(line.row.right() <= menu.content.right() + 0.5f);
            CHECK(line.row.bottom() <= menu.content.bottom() + 0.5f);
            for (const ReportRow& row : busy.rows) CHECK_FALSE(line.row.overlaps(row.row));
            CHECK_FALSE(line.row.overlaps(busy.heading));
        }
        Targets said = frame;
        for (const ReportRow& row : reports.rows) said.emplace_back("seen", row.seen);
        screens.emplace_back("staff_shoppers_said", said);

        Targets health = frame;
        health.emplace_back("sync_now", layout_health(menu, window, dpi, rtl).sync_now);
        screens.emplace_back("staff_health", health);
    }
    {
        const ConfirmLayout confirm = layout_confirm(window, dpi, rtl);
        screens.emplace_back("staff_confirm_exit", Targets{{"confirm_exit", confirm.act}, {"stay", confirm.stay}});
    }
    return screens;
}

}  // namespace

TEST_CASE("every target of every screen is ≥ 15 mm, inside the window, and overlaps no other",
          "[kiosk_ui][layout]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 800});
    const double dpi = GENERATE(96.0, 160.0);
    const bool rtl = GENERATE(false, true);
    CAPTURE(window.width, window.height, dpi, rtl);
    const Rect staff_corner = layout_chrome(window, dpi, rtl).staff_corner;
    for (const auto& [screen, targets] : all_screens(window, dpi, rtl)) {
        CAPTURE(screen);
        for (std::size_t i = 0; i < targets.size(); ++i) {
            const auto& [name, rect] = targets[i];
            CAPTURE(name, rect.x, rect.y, rect.width, rect.height);
            CHECK(px_to_mm(rect.width, dpi) >= Approx(kMinTargetMm));
            CHECK(px_to_mm(rect.height, dpi) >= Approx(kMinTargetMm));
            CHECK(rect.inside(window));
            // The attract screen is all target; elsewhere staff must be able to hold the corner.
            if (name != "start") CHECK_FALSE(rect.overlaps(staff_corner));
            for (std::size_t j = i + 1; j < targets.size(); ++j) {
                CAPTURE(targets[j].first);
                CHECK_FALSE(rect.overlaps(targets[j].second));
            }
        }
    }
}

TEST_CASE("right-to-left layouts are the left-to-right ones mirrored", "[kiosk_ui][layout][rtl]") {
    const Size window{1920, 1080};
    const double dpi = 96.0;
    const auto mirrored = [&](const Rect& ltr, const Rect& rtl) {
        return rtl.x == Approx(window.width - ltr.right()) && rtl.y == Approx(ltr.y) && rtl.width == Approx(ltr.width);
    };

    SECTION("the mirror maps rectangles and points across the vertical axis") {
        const Mirror mirror{1000, true};
        const Rect moved = mirror(Rect{10, 20, 100, 50});
        CHECK(moved.x == 890);
        CHECK(moved.y == 20);
        CHECK(mirror(Point{10, 5}).x == 990);
        CHECK(mirror.forward() == -1);
        CHECK(Mirror{1000, false}(Rect{10, 20, 100, 50}).x == 10);
    }
    SECTION("back at the bottom right, next at the bottom left, larger text at the top left") {
        const Chrome ltr = layout_chrome(window, dpi, false);
        const Chrome rtl = layout_chrome(window, dpi, true);
        CHECK(ltr.back.center().x < window.width / 2);
        CHECK(rtl.back.center().x > window.width / 2);
        CHECK(rtl.primary_action.center().x < window.width / 2);
        CHECK(rtl.larger_text.center().x < window.width / 2);
        CHECK(mirrored(ltr.back, rtl.back));
        CHECK(mirrored(ltr.primary_action, rtl.primary_action));
        CHECK(mirrored(ltr.secondary_action, rtl.secondary_action));
        // Staff hold the same physical corner in every language.
        CHECK(rtl.staff_corner.x == 0);
    }
    SECTION("progress dots fill from the right") {
        const Chrome rtl = layout_chrome(window, dpi, true);
        CHECK(rtl.progress_dots[0].x > rtl.progress_dots[1].x);
        CHECK(rtl.progress_dots[1].x > rtl.progress_dots[2].x);
    }
    SECTION("grids and rows read from the right") {
        const ChoiceLayout ltr = layout_choices(window, dpi, false, 8);
        const ChoiceLayout rtl = layout_choices(window, dpi, true, 8);
        REQUIRE(rtl.buttons.size() == 8);
        CHECK(rtl.buttons[0].x > rtl.buttons[1].x);  // the first choice at the top right
        CHECK(rtl.buttons[0].y == Approx(rtl.buttons[1].y));
        for (std::size_t i = 0; i < 8; ++i) CHECK(mirrored(ltr.buttons[i], rtl.buttons[i]));

        const ReactionLayout faces = layout_reaction(window, dpi, true);
        CHECK(faces.faces.front().center.x > faces.faces.back().center.x);

        const AttractLayout attract = layout_attract(window, dpi, true, 5);
        CHECK(attract.languages[0].x > attract.languages[4].x);
        CHECK(attract.picture.center().x > window.width / 2);  // the picture at the start side

        const PickLayout pick = layout_pick(window, dpi, true, 4);
        CHECK(pick.products[0].target.x > pick.products[1].target.x);
    }
    SECTION("a PIN pad keeps the keypad order of every phone") {
        const PinPadLayout pad = layout_pin_pad(window, dpi, true);
        CHECK(pad.digits[1].x < pad.digits[2].x);
        CHECK(pad.digits[1].y < pad.digits[4].y);
    }
}

TEST_CASE("grids centre a short last row and keep cells apart", "[kiosk_ui][layout]") {
    const auto cells = grid_cells(Rect{0, 0, 1000, 500}, 5, 3, 20, 1000);
    REQUIRE(cells.size() == 5);
    CHECK(cells[0].y == cells[2].y);
    CHECK(cells[3].y > cells[0].bottom());
    // The two cells of the last row sit in the middle.
    CHECK((cells[3].x + cells[4].right()) / 2 == Approx(500));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        for (std::size_t j = i + 1; j < cells.size(); ++j) CHECK_FALSE(cells[i].overlaps(cells[j]));
    }
}
