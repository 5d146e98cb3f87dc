// Saving and thank-you: the shopper's chosen face, large, above one short line.
#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_chosen_face_and_message(ScreenContext& context, std::string_view message, ImFont* font, ImU32 colour) {
    const MessageLayout layout = layout_message(context.window, context.dpi);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    if (const auto& reaction = context.flow.session().reaction) {
        draw_face(draw_list, to_imvec(layout.face_center), layout.face_radius, *reaction);
    }
    draw_centered_text(draw_list, font, layout.message, colour, message);
}

}  // namespace

void SavingScreen::draw(ScreenContext& context) {
    draw_chosen_face_and_message(context, context.text.saving, context.fonts.body, theme::kMutedText);
}

void ThankYouScreen::draw(ScreenContext& context) {
    draw_chosen_face_and_message(context, context.text.thank_you, context.fonts.headline, theme::kText);
}

}  // namespace truthpoint::kiosk_ui
