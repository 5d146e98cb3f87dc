// The reaction screen: the question and four faces, very unhappy at the start side. One tap records it.
#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

void ReactionScreen::draw(ScreenContext& context) {
    const ReactionLayout layout = layout_reaction(context.window, context.dpi, context.right_to_left());
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const KioskFonts& fonts = context.fonts();
    draw_chrome(context, layout.chrome, {});

    const std::string question = app::format_text(context.tr("How do you like %s?"), context.locale(),
                                                  {context.product().name(context.locale())});
    draw_text(context, fonts.headline, layout.question, theme::kText, question, Align::Start);

    for (const FaceSlot& slot : layout.faces) {
        const bool tapped = tap_area(context, tap_target_name(slot.reaction), slot.target);
        const bool pressed = context.input_enabled && ImGui::IsItemActive();
        draw_face(draw_list, to_imvec(slot.center), slot.radius, slot.reaction, pressed);
        const float label_height = fonts.caption->FontSize * 1.3f;
        const Rect label{slot.target.x, slot.label_center.y - label_height / 2, slot.target.width, label_height};
        draw_text(context, fonts.caption, label, theme::kMutedText, context.tr(msgid_of(slot.reaction)));
        if (tapped) context.flow.tap_reaction(slot.reaction, context.now);
    }
}

}  // namespace truthpoint::kiosk_ui
