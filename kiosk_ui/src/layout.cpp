// Screen geometry for the kiosk, in window pixels. Proportions of the window first, then floors in
// millimetres so that a small, dense screen still gets touch targets a finger can hit.
#include "truthpoint/kiosk_ui/layout.hpp"

#include <algorithm>

namespace truthpoint::kiosk_ui {

namespace {
constexpr float kMillimetresPerInch = 25.4f;
// The gap between two faces, as a share of a face's width: wide, so a thumb cannot hit two.
constexpr float kFaceGapRatio = 0.5f;
}  // namespace

float mm_to_px(float millimetres, double dpi) { return millimetres * static_cast<float>(dpi) / kMillimetresPerInch; }

float px_to_mm(float pixels, double dpi) { return pixels * kMillimetresPerInch / static_cast<float>(dpi); }

TypeScale type_scale(Size window, double dpi) {
    const float h = window.height;
    // A share of the height reads well on kiosk-sized screens; the mm floor keeps text legible from a metre.
    return TypeScale{
        .headline = std::min(std::max(mm_to_px(9.0f, dpi), h * 0.065f), h * 0.1f),
        .body = std::min(std::max(mm_to_px(7.0f, dpi), h * 0.045f), h * 0.08f),
        .caption = std::min(std::max(mm_to_px(5.0f, dpi), h * 0.03f), h * 0.06f),
    };
}

ReactionLayout layout_reaction(Size window, double dpi) {
    const TypeScale type = type_scale(window, dpi);
    const float margin = window.height * 0.05f;
    ReactionLayout layout;
    layout.question = Rect{margin, window.height * 0.12f, window.width - 2 * margin, type.headline * 1.4f};

    const float usable_width = window.width - 2 * margin;
    float face_width = std::min(window.width * 0.16f, window.height * 0.30f);
    face_width = std::min(face_width, usable_width / (4 + 3 * kFaceGapRatio));
    // Never below the floor, even if a tiny development window then clips the row.
    face_width = std::max(face_width, mm_to_px(kMinFaceWidthMm, dpi));
    const float gap = face_width * kFaceGapRatio;
    const float row_width = 4 * face_width + 3 * gap;
    const float row_left = (window.width - row_width) / 2;
    const float center_y = window.height * 0.5f;
    const float radius = face_width / 2;

    for (std::size_t i = 0; i < layout.faces.size(); ++i) {
        FaceSlot& slot = layout.faces[i];
        slot.reaction = core::kAllReactions[i];
        slot.center = Point{row_left + radius + static_cast<float>(i) * (face_width + gap), center_y};
        slot.radius = radius;
        slot.label_center = Point{slot.center.x, center_y + radius + type.caption * 1.3f};
        // The target reaches a quarter gap past the face on each side, so half a gap stays dead between faces.
        const float target_top = center_y - radius - gap / 4;
        const float target_bottom = slot.label_center.y + type.caption * 0.8f;
        slot.target = Rect{slot.center.x - radius - gap / 4, target_top, face_width + gap / 2, target_bottom - target_top};
    }

    const float below_faces = layout.faces[0].target.bottom() + window.height * 0.04f;
    layout.error_band = Rect{margin, below_faces, window.width - 2 * margin, type.caption * 2.8f};
    return layout;
}

AttractLayout layout_attract(Size window, double dpi) {
    const TypeScale type = type_scale(window, dpi);
    const float margin = window.height * 0.05f;
    AttractLayout layout;
    layout.question = Rect{margin, window.height * 0.22f, window.width - 2 * margin, type.headline * 1.4f};

    const float pill_width = std::max(window.width * 0.34f, type.body * 11.0f);
    const float pill_height = type.body * 2.2f;
    layout.call_to_action =
        Rect{(window.width - pill_width) / 2, window.height * 0.5f - pill_height / 2, pill_width, pill_height};

    layout.preview_radius = std::max(window.height * 0.045f, mm_to_px(6.0f, dpi));
    const float spacing = layout.preview_radius * 3.2f;
    const float first_x = window.width / 2 - 1.5f * spacing;
    for (std::size_t i = 0; i < layout.preview_faces.size(); ++i) {
        layout.preview_faces[i] = Point{first_x + static_cast<float>(i) * spacing, window.height * 0.75f};
    }
    return layout;
}

MessageLayout layout_message(Size window, double dpi) {
    const TypeScale type = type_scale(window, dpi);
    MessageLayout layout;
    layout.face_radius = std::max(std::min(window.height * 0.17f, window.width * 0.12f), mm_to_px(10.0f, dpi));
    layout.face_center = Point{window.width / 2, window.height * 0.4f};
    const float message_top = layout.face_center.y + layout.face_radius + window.height * 0.06f;
    layout.message = Rect{0, message_top, window.width, type.headline * 1.5f};
    return layout;
}

}  // namespace truthpoint::kiosk_ui
