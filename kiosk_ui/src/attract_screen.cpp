// The attract screen: the shelf's products one after another with an approved review of each (when the hub
// has one), "How do you like …?", a "touch to tell us" pill that breathes slowly, a preview of the faces,
// "Already bought it?" for the post-purchase flow, and the language picker along the bottom. Redrawn
// twice a second, and then only the pill's region: enough to catch an eye from two metres, close to free.
#include <algorithm>
#include <cmath>

#include "draw_helpers.hpp"
#include "faces.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

// 0 → 1 → 0 over one pulse period: a slow, smooth swell.
float pulse_phase(core::Timestamp entered_at, core::Timestamp now) {
    const auto elapsed = (now - entered_at).count() % AttractScreen::kPulsePeriod.count();
    const float turns = static_cast<float>(elapsed) / static_cast<float>(AttractScreen::kPulsePeriod.count());
    return 0.5f - 0.5f * std::cos(turns * 2.0f * 3.14159265f);
}

Rect grown(const Rect& rect, float by) { return Rect{rect.x - by, rect.y - by, rect.width + 2 * by, rect.height + 2 * by}; }

// The halo ring's widest offset from the pill, and its thickness, in pill heights.
constexpr float kHaloMaxGrow = 0.26f;
constexpr float kHaloThickness = 0.06f;

}  // namespace

void AttractScreen::enter(const ScreenContext& context) { entered_at = context.now; }

namespace {

// The pulse's extent at its largest: the halo ring around the swollen pill, and its anti-aliased edge.
Rect pulse_region(const AttractLayout& layout) {
    const Rect& pill = layout.call_to_action;
    const Rect outer = grown(pill, pill.height * (kHaloMaxGrow + kHaloThickness) + 3.0f);
    return Rect{std::floor(outer.x), std::floor(outer.y), std::ceil(outer.width) + 1, std::ceil(outer.height) + 1};
}

// A shopper's review as it was written: stars, then the words in their own language's direction.
void draw_review(ScreenContext& context, const core::ConfigReview& review, const Rect& area) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const KioskFonts& fonts = context.fonts();
    fill_rounded_rect(draw_list, area, theme::kButton, 16.0f);
    const float pad = area.height * 0.08f;
    const float row = area.height * 0.3f;
    const Rect heading{area.x + pad * 2, area.y + pad, area.width - pad * 4, row};
    draw_text(context, fonts.caption, heading, theme::kMutedText, context.tr("What shoppers say"), Align::Start);
    // The stars at the heading's end, filled from the reading start.
    const float radius = row * 0.38f;
    const float step = radius * 2.3f;
    const bool rtl = context.right_to_left();
    for (int i = 0; i < 5; ++i) {
        const float x = rtl ? heading.x + radius + static_cast<float>(4 - i) * step
                            : heading.right() - radius - static_cast<float>(4 - i) * step;
        draw_star(draw_list, Point{x, heading.center().y}, radius, i < review.rating ? theme::kStar : theme::kButtonBorder,
                  i < review.rating);
    }
    const Rect words{area.x + pad * 2, heading.bottom(), area.width - pad * 4, area.bottom() - heading.bottom() - pad};
    const auto direction = app::is_right_to_left(review.locale) ? TextDirection::RightToLeft : TextDirection::LeftToRight;
    context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize, words, theme::kText, review.text, direction,
                      Align::Start, 2);
}

}  // namespace

void AttractScreen::draw(ScreenContext& context) {
    const AttractLayout layout =
        layout_attract(context.window, context.dpi, context.right_to_left(), context.languages.size());
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const KioskFonts& fonts = context.fonts();
    const Rect region = pulse_region(layout);
    if (context.animation_only) {
        // The rest of the glass still shows the last frame: repaint the pulse's region from the
        // background up. Everything below is still submitted (and its taps seen), clipped to the region.
        draw_list->PushClipRect(top_left(region), bottom_right(region), true);
        draw_list->AddRectFilled(top_left(region), bottom_right(region), theme::kBackground);
    }
    // Still parts are drawn on full frames, and on animation frames only where they reach the region.
    const auto visible = [&](const Rect& area) { return !context.animation_only || area.overlaps(region); };

    // Languages first: ImGui gives a tap to the first target submitted under it.
    for (std::size_t i = 0; i < context.languages.size(); ++i) {
        const std::string& code = context.languages[i];
        const bool current = code == context.locale();
        const char* native = app::native_language_name(code);
        // Each language by its own name, shaped in its own direction (فارسی reads right to left even on an
        // English screen).
        const bool tapped = tap_area(context, "lang_" + code, layout.languages[i]);
        const Rect& area = layout.languages[i];
        if (tapped) context.flow.choose_language(code, context.now);
        if (!visible(area)) continue;
        const float rounding = std::min(area.height * 0.2f, 24.0f);
        fill_rounded_rect(draw_list, area, current ? theme::kAccent : theme::kButton, rounding);
        if (!current) draw_list->AddRect(top_left(area), bottom_right(area), theme::kButtonBorder, rounding, 0, 3.0f);
        const Rect label{area.x + area.height * 0.15f, area.y, area.width - area.height * 0.3f, area.height};
        context.text.draw(draw_list, fonts.body, fonts.body->FontSize, label, current ? theme::kOnAccent : theme::kText,
                          *native ? native : code.c_str(),
                          app::is_right_to_left(code) ? TextDirection::RightToLeft : TextDirection::LeftToRight,
                          Align::Center, 1);
    }
    if (context.languages.size() > 1 && visible(layout.language_label)) {
        draw_text(context, fonts.caption, layout.language_label, theme::kMutedText, context.tr("Choose your language"));
    }

    const app::Product& product = context.flow.attract_product(context.now);
    if (visible(layout.picture)) draw_product_picture(context, product, layout.picture);
    if (const core::ConfigReview* review = context.session.review_on_show(product.sku, context.now);
        review && visible(layout.review)) {
        draw_review(context, *review, layout.review);
        record_target(context, "review_" + review->locale, layout.review.center());  // tells a test it is shown
    }
    const std::string question =
        app::format_text(context.tr("How do you like %s?"), context.locale(), {product.name(context.locale())});
    if (visible(layout.question)) draw_text(context, fonts.headline, layout.question, theme::kText, question, Align::Center, 2);

    const float phase = pulse_phase(entered_at, context.now);
    const Rect& pill = layout.call_to_action;
    // A thin ring that widens and fades around a pill that grows by a few percent: a filled translucent
    // halo cost more than the rest of the screen with the software renderer.
    const float ring = pill.height * kHaloThickness;
    const Rect halo = grown(pill, pill.height * (0.04f + (kHaloMaxGrow - 0.04f) * phase) + ring / 2);
    stroke_pill(draw_list, halo, theme::with_alpha(theme::kAccent, 0.55f * (1 - phase)), ring);
    const Rect body = grown(pill, pill.height * 0.05f * phase);
    fill_pill(draw_list, body, theme::kAccent);
    const Rect pill_text{body.x + body.height * 0.4f, body.y, body.width - body.height * 0.8f, body.height};
    draw_text(context, fonts.body, pill_text, theme::kOnAccent, context.tr("Touch to tell us"));

    for (std::size_t i = 0; i < layout.preview_faces.size(); ++i) {
        const Point c = layout.preview_faces[i];
        // A face is a reaction to the product shown, not just a way in: its target is as wide as the gap
        // between faces allows (at least 16 mm), and comes before the whole-screen "start" target.
        const float half = layout.preview_radius * 1.6f;
        const Rect target{c.x - half, c.y - layout.preview_radius * 1.2f, 2 * half, layout.preview_radius * 2.4f};
        if (tap_area(context, "attract_face_" + std::string(core::to_string(core::kAllReactions[i])), target, c)) {
            context.flow.tap_attract_face(product.sku, core::kAllReactions[i], context.now);
        }
        const float r = layout.preview_radius * 1.1f;
        if (!visible(Rect{c.x - r, c.y - r, 2 * r, 2 * r})) continue;
        draw_face(draw_list, to_imvec(layout.preview_faces[i]), layout.preview_radius, core::kAllReactions[i]);
    }

    // The second call to action, before the whole-screen target that lies under it.
    if (draw_button(context, "post_purchase", layout.post_purchase, context.tr("Already bought it? Tell us how it went"),
                    ButtonLook::Secondary, false, 1)) {
        context.session.start_post_purchase(context.now);
    }

    // Everything above the language row is the target: a shopper may touch anywhere (a test, the pill).
    if (tap_area(context, "start", layout.start_area, layout.call_to_action.center())) {
        context.flow.touch_attract(context.now);
    }
    if (context.animation_only) draw_list->PopClipRect();
}

std::optional<Rect> AttractScreen::animation_region(const ScreenContext& context) const {
    return pulse_region(layout_attract(context.window, context.dpi, context.right_to_left(), context.languages.size()));
}

std::string AttractScreen::still_key(const ScreenContext& context) const {
    const std::string& sku = context.flow.attract_product(context.now).sku;
    const core::ConfigReview* review = context.session.review_on_show(sku, context.now);
    return review ? sku + "/" + review->text : sku;
}

}  // namespace truthpoint::kiosk_ui
