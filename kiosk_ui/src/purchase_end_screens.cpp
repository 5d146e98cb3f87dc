// How a post-purchase session ends: the stars given and "thank you"; or, after a low rating or a pain, an
// apology — with the store's offer and its single-use code as text and as a QR code where there is one.
// A touch on the thank-you, or Done on the card, returns to the attract screen sooner than its timer.
#include <cmath>

#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_done(ScreenContext& context, const Rect& area) {
    if (draw_button(context, "done", area, context.tr("Done"), ButtonLook::Primary, false, 1)) {
        context.post_purchase.done(context.now);
    }
}

// The modules as rectangles on white, with the four-module quiet zone a reader needs around the code.
void draw_qr(ImDrawList* draw_list, const app::QrCode& qr, const Rect& area) {
    const int modules = qr.width() + 8;
    const float module = std::floor(std::min(area.width, area.height) / static_cast<float>(modules));
    const float side = module * static_cast<float>(modules);
    const float left = std::floor(area.x + (area.width - side) / 2);
    const float top = std::floor(area.y + (area.height - side) / 2);
    draw_list->AddRectFilled(ImVec2(left, top), ImVec2(left + side, top + side), IM_COL32(0xFF, 0xFF, 0xFF, 0xFF));
    for (int y = 0; y < qr.width(); ++y) {
        for (int x = 0; x < qr.width(); ++x) {
            if (!qr.dark(x, y)) continue;
            const float px = left + static_cast<float>(x + 4) * module;
            const float py = top + static_cast<float>(y + 4) * module;
            draw_list->AddRectFilled(ImVec2(px, py), ImVec2(px + module, py + module), IM_COL32(0, 0, 0, 0xFF));
        }
    }
}

}  // namespace

void PurchaseThankYouScreen::draw(ScreenContext& context) {
    const EndLayout layout = layout_end(context.window, context.dpi, context.right_to_left(), false);
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    if (const auto rating = context.post_purchase.session().rating) {
        const float radius = layout.stars.height * 0.45f;
        const float step = radius * 2.4f;
        const float first = layout.stars.center().x - 2 * step;
        for (int i = 0; i < 5; ++i) {
            // Stars fill from the start side, as they were given.
            const int position = context.right_to_left() ? 4 - i : i;
            draw_star(draw_list, Point{first + static_cast<float>(i) * step, layout.stars.center().y}, radius,
                      position < *rating ? theme::kStar : theme::kButtonBorder, position < *rating);
        }
    }
    draw_text(context, fonts.headline, layout.headline, theme::kText, context.tr("Thank you!"));
    draw_text(context, fonts.body, layout.detail, theme::kMutedText, context.tr("Your answer helps other shoppers."), Align::Center, 2);
    if (tap_area(context, "done", Rect{0, 0, context.window.width, context.window.height}, layout.detail.center())) {
        context.post_purchase.done(context.now);
    }
}

void SorryScreen::enter(const ScreenContext& context) {
    qr.reset();
    qr_text.clear();
    const auto& card = context.post_purchase.session().sorry_card;
    if (!card || card->code.empty()) return;
    // Encoded here, once per card: libqrencode is quick, but not a frame's work.
    if (auto encoded = app::encode_qr(card->code)) {
        qr = std::move(encoded.value());
        qr_text = card->code;
    }
}

void SorryScreen::draw(ScreenContext& context) {
    const auto& card = context.post_purchase.session().sorry_card;
    const bool with_offer = card && !card->code.empty() && !card->offer_text.empty();
    if (with_offer && qr_text != card->code) enter(context);  // a card made after this screen was entered
    const EndLayout layout = layout_end(context.window, context.dpi, context.right_to_left(), with_offer);
    const KioskFonts& fonts = context.fonts();
    const Align align = with_offer ? Align::Start : Align::Center;
    draw_text(context, fonts.headline, layout.headline, theme::kText, context.tr("We're sorry it wasn't right."), align, 2);
    draw_text(context, fonts.body, layout.detail, theme::kMutedText,
              context.tr("Thank you for telling us. The store will look into it."), align, 2);
    if (with_offer) {
        ImDrawList* draw_list = ImGui::GetWindowDrawList();
        // The offer in the store's words (the flow picks the one in the shopper's language when there is one).
        draw_text(context, fonts.headline, layout.offer, theme::kAccent, card->offer_text, Align::Start, 2);
        draw_text(context, fonts.body, layout.how_to, theme::kText, context.tr("Show this code at the till. It can be used once."),
                  Align::Start, 2);
        if (qr) draw_qr(draw_list, *qr, layout.qr);
        // The code itself, for a cashier to type: Latin letters and digits, left to right in every language.
        context.text.draw(draw_list, fonts.headline, fonts.headline->FontSize, layout.code, theme::kText, card->code,
                          TextDirection::LeftToRight, Align::Center, 1);
        record_target(context, "sorry_code", layout.code.center());
    }
    draw_done(context, layout.done);
}

}  // namespace truthpoint::kiosk_ui
