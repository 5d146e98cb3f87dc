// Unit tests for the kiosk's screen geometry: millimetres to pixels, and the four faces' sizes and gaps.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/layout.hpp"

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
    SECTION("the question sits above the faces and the error band below them, inside the window") {
        CHECK(layout.question.bottom() <= layout.faces[0].target.y);
        CHECK(layout.error_band.y >= layout.faces[0].target.bottom());
        CHECK(layout.error_band.inside(window));
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
    const MessageLayout message = layout_message(window, 96.0);
    CHECK(message.face_center.y - message.face_radius >= 0);
    CHECK(message.message.y >= message.face_center.y + message.face_radius);
    CHECK(message.message.inside(window));
}
