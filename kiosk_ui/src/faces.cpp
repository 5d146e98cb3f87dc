// Draws a face from its FaceStyle: disc, outline, eyes, mouth, and the very unhappy face's brows and tear.
// Coordinates are in units of the radius around the centre; y grows downwards.
#include "faces.hpp"

#include <cmath>

#include "draw_helpers.hpp"
#include "theme.hpp"
#include "truthpoint/kiosk_ui/face_style.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr float kPi = 3.14159265358979f;

ImU32 to_imu32(Rgb colour) { return IM_COL32(colour.r, colour.g, colour.b, 0xFF); }

struct FaceFrame {
    ImVec2 center;
    float radius;
    ImVec2 at(float x, float y) const { return ImVec2(center.x + x * radius, center.y + y * radius); }
    float len(float units) const { return units * radius; }
};

void draw_eyes(ImDrawList* draw_list, const FaceFrame& face, const FaceStyle& style) {
    for (const float side : {-1.0f, 1.0f}) {
        const ImVec2 eye = face.at(side * 0.34f, -0.22f);
        if (style.smiling_eyes) {
            // An upward arc: the "laughing" eye, a shape cue besides the colour.
            draw_list->PathArcTo(ImVec2(eye.x, eye.y + face.len(0.05f)), face.len(0.15f), kPi * 1.1f, kPi * 1.9f, 16);
            draw_list->PathStroke(theme::kFaceFeatures, 0, face.len(0.075f));
        } else {
            draw_list->AddCircleFilled(eye, face.len(0.1f), theme::kFaceFeatures, 24);
        }
    }
}

void draw_brows(ImDrawList* draw_list, const FaceFrame& face) {
    // Inner ends raised: a distressed face.
    const float thickness = face.len(0.075f);
    draw_list->AddLine(face.at(-0.55f, -0.40f), face.at(-0.18f, -0.55f), theme::kFaceFeatures, thickness);
    draw_list->AddLine(face.at(0.55f, -0.40f), face.at(0.18f, -0.55f), theme::kFaceFeatures, thickness);
}

void draw_tear(ImDrawList* draw_list, const FaceFrame& face) {
    const ImVec2 drop = face.at(-0.36f, 0.06f);
    const float drop_radius = face.len(0.09f);
    draw_list->AddTriangleFilled(ImVec2(drop.x - drop_radius * 0.92f, drop.y - drop_radius * 0.35f),
                                 ImVec2(drop.x + drop_radius * 0.92f, drop.y - drop_radius * 0.35f),
                                 ImVec2(drop.x, drop.y - drop_radius * 2.1f), theme::kTear);
    draw_list->AddCircleFilled(drop, drop_radius, theme::kTear, 20);
}

void draw_mouth(ImDrawList* draw_list, const FaceFrame& face, const FaceStyle& style) {
    const float curve = style.mouth_curve;
    const float half_width = 0.30f + 0.16f * std::fabs(curve);
    // A smile's corners sit high and its middle dips; a frown's corners sit low and its middle rises.
    const float corner_y = curve >= 0 ? 0.22f : 0.52f;
    const float middle_y = corner_y + curve * 0.48f;  // the control point of a quadratic Bézier
    const ImVec2 left = face.at(-half_width, corner_y);
    const ImVec2 right = face.at(half_width, corner_y);
    const ImVec2 control = face.at(0, middle_y);
    if (style.open_mouth) {
        draw_list->PathLineTo(left);
        draw_list->PathBezierQuadraticCurveTo(control, right, 24);
        // Filled: a laugh reads as a solid shape even in grey.
        draw_list->PathFillConvex(theme::kFaceFeatures);
    } else {
        draw_list->AddBezierQuadratic(left, control, right, theme::kFaceFeatures, face.len(0.085f), 24);
    }
}

}  // namespace

void draw_face(ImDrawList* draw_list, ImVec2 center, float radius, core::Reaction reaction, bool pressed) {
    const FaceStyle style = face_style(reaction);
    const ImU32 fill = to_imu32(style.fill);
    const FaceFrame face{center, radius};
    // A ring just outside the face: feedback that stays clear of the label below.
    if (pressed) draw_list->AddCircle(center, face.len(1.07f), theme::kAccent, 96, face.len(0.045f));
    fill_disc(draw_list, center, face.radius, fill);
    draw_list->AddCircle(center, face.radius, theme::shade(fill, 0.6f), 96, face.len(0.045f));
    draw_eyes(draw_list, face, style);
    if (style.brows) draw_brows(draw_list, face);
    draw_mouth(draw_list, face, style);
    if (style.tear) draw_tear(draw_list, face);
}

}  // namespace truthpoint::kiosk_ui
