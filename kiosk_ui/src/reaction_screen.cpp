// The reaction screen: the question and four faces, very unhappy on the left. One tap records it.
#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_save_error(ImDrawList* draw_list, const ScreenContext& context, const Rect& band, const std::string& error) {
    draw_list->AddRectFilled(top_left(band), bottom_right(band), theme::kErrorBackground, band.height * 0.2f);
    const Rect first_line{band.x, band.y, band.width, band.height * 0.55f};
    const Rect second_line{band.x, band.y + band.height * 0.5f, band.width, band.height * 0.45f};
    draw_centered_text(draw_list, context.fonts.caption, first_line, theme::kErrorText, context.text.save_failed);
    // The reason is for staff standing by; it is short and shrinks to fit.
    draw_centered_text(draw_list, context.fonts.caption, second_line, theme::kErrorText, error, 0.85f);
}

}  // namespace

void ReactionScreen::draw(ScreenContext& context) {
    const ReactionLayout layout = layout_reaction(context.window, context.dpi);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();

    draw_centered_text(draw_list, context.fonts.headline, layout.question, theme::kText,
                       context.text.question(context.flow.product().name));

    for (const FaceSlot& slot : layout.faces) {
        ImGui::PushID(static_cast<int>(slot.reaction));
        const bool tapped = tap_area("##face", slot.target);
        const bool pressed = ImGui::IsItemActive();
        ImGui::PopID();
        draw_face(draw_list, to_imvec(slot.center), slot.radius, slot.reaction, pressed);
        const float label_height = context.fonts.caption->FontSize * 1.4f;
        const Rect label{slot.target.x, slot.label_center.y - label_height / 2, slot.target.width, label_height};
        draw_centered_text(draw_list, context.fonts.caption, label, theme::kMutedText,
                           context.text.reaction_label(slot.reaction));
        if (tapped) context.flow.tap_reaction(slot.reaction, context.now);
    }

    const std::string& error = context.flow.session().save_error;
    if (!error.empty()) draw_save_error(draw_list, context, layout.error_band, error);
}

std::vector<TapTarget> ReactionScreen::tap_targets(Size window, double dpi) const {
    std::vector<TapTarget> targets;
    for (const FaceSlot& slot : layout_reaction(window, dpi).faces) {
        targets.push_back(TapTarget{tap_target_name(slot.reaction), slot.target.center()});
    }
    return targets;
}

}  // namespace truthpoint::kiosk_ui
