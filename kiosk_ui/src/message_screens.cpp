// Saving and thank-you: the shopper's chosen face, large, above one or two short lines. On a failed
// commit, the saving screen apologises and a touch anywhere tries again (the same events, the same ids).
#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_chosen_face(ScreenContext& context, const MessageLayout& layout) {
    if (context.post_purchase.active()) return;  // after a purchase there is no face: the words alone
    if (const auto& reaction = context.flow.session().reaction) {
        draw_face(ImGui::GetWindowDrawList(), to_imvec(layout.face_center), layout.face_radius, *reaction);
    }
}

}  // namespace

void SavingScreen::draw(ScreenContext& context) {
    const MessageLayout layout = layout_message(context.window, context.dpi);
    const KioskFonts& fonts = context.fonts();
    draw_chosen_face(context, layout);
    // The answers of the flow the shopper is in.
    const bool after_purchase = context.post_purchase.active();
    const std::string& error = after_purchase ? context.post_purchase.session().answers.error()
                                              : context.flow.session().answers.error();
    if (error.empty()) {
        draw_text(context, fonts.body, layout.message, theme::kMutedText, context.tr("Saving…"));
        return;
    }
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const Rect band{context.window.width * 0.1f, layout.message.y, context.window.width * 0.8f,
                    layout.message.height + layout.detail.height * 1.6f};
    fill_rounded_rect(draw_list, band, theme::kErrorBackground, 24.0f);
    draw_text(context, fonts.headline, layout.message, theme::kErrorText, context.tr("Sorry, we could not save your answer."));
    draw_text(context, fonts.body, layout.detail, theme::kText, context.tr("Touch to try again"));
    // The reason is for staff standing by: short, small, in the ledger's own words.
    const Rect reason{band.x, layout.detail.bottom(), band.width, layout.detail.height * 0.6f};
    context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize * 0.8f, reason, theme::kErrorText, error,
                      TextDirection::LeftToRight, Align::Center, 1);
    if (tap_area(context, "retry", Rect{0, 0, context.window.width, context.window.height}, layout.detail.center())) {
        if (after_purchase) {
            context.post_purchase.retry_save(context.now);
        } else {
            context.flow.retry_save(context.now);
        }
    }
}

void ThankYouScreen::draw(ScreenContext& context) {
    const MessageLayout layout = layout_message(context.window, context.dpi);
    const KioskFonts& fonts = context.fonts();
    draw_chosen_face(context, layout);
    draw_text(context, fonts.headline, layout.message, theme::kText, context.tr("Thank you!"));
    draw_text(context, fonts.body, layout.detail, theme::kMutedText, context.tr("Your answer helps this store."));
}

}  // namespace truthpoint::kiosk_ui
