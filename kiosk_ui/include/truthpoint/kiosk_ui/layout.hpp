// Where things go on the kiosk's screens, as pure functions of the window size and the screen's DPI.
// No ImGui here: the geometry is unit-tested without a window, and test tools find tap targets from it.
#pragma once

#include <array>

#include "truthpoint/core/event.hpp"

namespace truthpoint::kiosk_ui {

struct Point {
    float x = 0;
    float y = 0;
};

struct Size {
    float width = 0;
    float height = 0;
};

struct Rect {
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;

    float right() const { return x + width; }
    float bottom() const { return y + height; }
    Point center() const { return {x + width / 2, y + height / 2}; }
    bool contains(Point p) const { return p.x >= x && p.x < right() && p.y >= y && p.y < bottom(); }
    bool inside(Size window) const { return x >= 0 && y >= 0 && right() <= window.width && bottom() <= window.height; }
    bool overlaps(const Rect& other) const {
        return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
    }
};

// Physical size on the glass → pixels, at the DPI the kiosk's config declares.
float mm_to_px(float millimetres, double dpi);
float px_to_mm(float pixels, double dpi);

// The smallest face a shopper is asked to hit (DESIGN.md: each face ≥ 15 mm wide).
inline constexpr float kMinFaceWidthMm = 15.0f;

// Font pixel sizes, chosen once per window: large enough to read from a metre, small enough to fit.
struct TypeScale {
    float headline = 0;  // the one question on a screen
    float body = 0;      // call to action, thank-you
    float caption = 0;   // face labels, errors
};
TypeScale type_scale(Size window, double dpi);

struct FaceSlot {
    core::Reaction reaction{};
    Rect target;    // what a tap hits: the face and its label
    Point center;   // of the drawn face
    float radius = 0;
    Point label_center;
};

// The reaction screen: a question on top, four faces in a row (very unhappy on the left).
struct ReactionLayout {
    Rect question;
    std::array<FaceSlot, 4> faces;
    Rect error_band;  // under the faces: shown when a commit failed
};
ReactionLayout layout_reaction(Size window, double dpi);

// The attract screen: the question, a pulsing "touch" pill, and a small preview of the faces.
struct AttractLayout {
    Rect question;
    Rect call_to_action;                // the pill at rest; the whole window is the tap target
    std::array<Point, 4> preview_faces;  // centres of the small preview faces
    float preview_radius = 0;
};
AttractLayout layout_attract(Size window, double dpi);

// Saving and thank-you: the chosen face, large, above one line of text.
struct MessageLayout {
    Point face_center;
    float face_radius = 0;
    Rect message;
};
MessageLayout layout_message(Size window, double dpi);

}  // namespace truthpoint::kiosk_ui
