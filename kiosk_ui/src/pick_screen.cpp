// The product pick: the shelf's products as pictures with names; or scan the product's barcode. Asked
// before the first moment's questions ("which product are you looking at?") and after a purchase.
#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

void PickScreen::draw(ScreenContext& context) {
    const auto& shelf = after_purchase ? context.post_purchase.shelf() : context.flow.shelf();
    const PickLayout layout = layout_pick(context.window, context.dpi, context.right_to_left(), shelf.size());
    const KioskFonts& fonts = context.fonts();
    draw_chrome(context, layout.chrome, {});
    if (!after_purchase) {
        // A shopper who chose a language on the attract screen lands here: the way to the post-purchase
        // questions stays open, over the bottom row's two action places.
        const Rect& primary = layout.chrome.primary_action;
        const Rect& secondary = layout.chrome.secondary_action;
        const float left = std::min(primary.x, secondary.x);
        const Rect both{left, primary.y, std::max(primary.right(), secondary.right()) - left, primary.height};
        if (draw_button(context, "post_purchase", both, context.tr("Already bought it? Tell us how it went"),
                        ButtonLook::Secondary, false, 2)) {
            context.session.start_post_purchase(context.now);
        }
    }
    draw_text(context, fonts.headline, layout.chrome.title, theme::kText,
              context.tr(after_purchase ? "Which product did you buy?" : "Which product are you looking at?"), Align::Start);
    draw_text(context, fonts.body, layout.chrome.subtitle, theme::kMutedText, context.tr("Or scan its barcode"),
              Align::Start);

    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < shelf.size() && i < layout.products.size(); ++i) {
        const app::Product& product = shelf[i];
        const ProductCell& cell = layout.products[i];
        const bool tapped = tap_area(context, "product_" + product.sku, cell.target);
        const bool pressed = context.input_enabled && ImGui::IsItemActive();
        fill_rounded_rect(draw_list, cell.target, pressed ? theme::shade(theme::kButton, 0.9f) : theme::kButton, 18.0f);
        draw_list->AddRect(top_left(cell.target), bottom_right(cell.target),
                           pressed ? theme::kAccent : theme::kButtonBorder, 18.0f, 0, pressed ? 5.0f : 2.0f);
        draw_product_picture(context, product, cell.picture);
        const Rect name{cell.name.x + 8, cell.name.y, cell.name.width - 16, cell.name.height};
        draw_text(context, fonts.caption, name, theme::kText, product.name(context.locale()), Align::Center, 2);
        if (!tapped) continue;
        if (after_purchase) {
            context.post_purchase.pick_product(product.sku, context.now);
        } else {
            context.flow.pick_product(product.sku, context.now);
        }
    }
}

}  // namespace truthpoint::kiosk_ui
