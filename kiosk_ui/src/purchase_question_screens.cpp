// The post-purchase questions (second moment of truth): the receipt on a keypad, the stars, expectations,
// the 0-10 recommendation, the moments of glory and pain, and consent to share (ultimate moment). Each is
// one screen with the question frame's six progress dots; the flow records each answer as it is given.
#include <algorithm>

#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "truthpoint/kiosk_ui/post_purchase_layout.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr ChromeActions kSkipOnly{.primary = "Skip"};
constexpr ChromeActions kNextOrSkip{.primary = "Next", .secondary = "Skip", .primary_is_forward = true};

void draw_question(ScreenContext& context, const Chrome& chrome, const std::string& title, const char* subtitle) {
    const KioskFonts& fonts = context.fonts();
    draw_text(context, fonts.headline, chrome.title, theme::kText, title, Align::Start);
    if (subtitle) draw_text(context, fonts.body, chrome.subtitle, theme::kMutedText, context.tr(subtitle), Align::Start);
}

std::string digits_in_locale(const ScreenContext& context, std::string_view digits) {
    return app::localize_digits(digits, context.locale());
}

bool contains(const std::vector<std::string>& chosen, std::string_view topic) {
    return std::find(chosen.begin(), chosen.end(), topic) != chosen.end();
}

}  // namespace

void ReceiptScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const ReceiptLayout layout = layout_receipt(context.window, context.dpi, context.right_to_left());
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_question(context, layout.chrome, context.tr("Type the number on your receipt"), "Or scan the barcode on your receipt");

    // The digits typed so far, left to right in every language (a receipt's number reads that way).
    fill_rounded_rect(draw_list, layout.field, theme::kButton, 14.0f);
    draw_list->AddRect(top_left(layout.field), bottom_right(layout.field), theme::kAccent, 14.0f, 0, 3.0f);
    const std::string& typed = flow.session().keypad;
    const Rect inside{layout.field.x + 16, layout.field.y, layout.field.width - 32, layout.field.height};
    context.text.draw(draw_list, fonts.headline, fonts.headline->FontSize, inside, theme::kText, digits_in_locale(context, typed),
                      TextDirection::LeftToRight, Align::Center, 1);
    if (flow.session().keypad_refused) {
        draw_text(context, fonts.caption, layout.message, theme::kErrorText, context.tr("This does not look like a receipt number"),
                  Align::Start, 2);
    } else {
        draw_text(context, fonts.caption, layout.message, theme::kMutedText,
                  context.tr("We never keep this number, only a coded form of it."), Align::Start, 2);
    }

    for (int digit = 0; digit <= 9; ++digit) {
        const std::string label = digits_in_locale(context, std::string(1, static_cast<char>('0' + digit)));
        if (draw_button(context, "keypad_" + std::to_string(digit), layout.digits[static_cast<std::size_t>(digit)], label,
                        ButtonLook::Secondary, false, 1, fonts.headline)) {
            flow.press_digit(static_cast<char>('0' + digit), context.now);
        }
    }
    if (draw_button(context, "keypad_erase", layout.erase, "", ButtonLook::Secondary)) flow.delete_digit(context.now);
    draw_erase_sign(draw_list, layout.erase, theme::kText);
    if (draw_button(context, "keypad_done", layout.done, "", ButtonLook::Primary)) flow.receipt_done(context.now);
    draw_tick(draw_list, layout.done, theme::kOnAccent);

    if (draw_chrome(context, layout.chrome, kSkipOnly).primary) flow.skip(context.now);
}

void RatingScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const RatingLayout layout = layout_rating(context.window, context.dpi, context.right_to_left());
    const std::string product = flow.session().product ? flow.session().product->name(context.locale()) : std::string();
    draw_question(context, layout.chrome, app::format_text(context.tr("How would you rate %s?"), context.locale(), {product}),
                  nullptr);
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < layout.stars.size(); ++i) {
        const int stars = static_cast<int>(i) + 1;
        const Rect& cell = layout.stars[i];
        const bool tapped = tap_area(context, "star_" + std::to_string(stars), cell);
        const bool pressed = context.input_enabled && ImGui::IsItemActive();
        draw_star(draw_list, cell.center(), layout.star_radius, pressed ? theme::kStar : theme::kButtonBorder, pressed);
        if (tapped) flow.rate(stars, context.now);
    }
    draw_text(context, context.fonts().body, layout.caption, theme::kMutedText, context.tr("Tap a star: one is poor, five is excellent"));
    draw_chrome(context, layout.chrome, {});
}

void ExpectationsScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const ChoiceLayout layout = layout_choices(context.window, context.dpi, context.right_to_left(), app::kAllExpectations.size());
    // The same frame as every question: six dots.
    const Chrome chrome = layout_chrome(context.window, context.dpi, context.right_to_left(), kPostPurchaseQuestions);
    draw_question(context, chrome, context.tr("Did it meet your expectations?"), nullptr);
    for (std::size_t i = 0; i < app::kAllExpectations.size(); ++i) {
        const app::Expectations answer = app::kAllExpectations[i];
        if (draw_button(context, std::string("expectations_") + app::to_string(answer), layout.buttons[i],
                        context.tr(msgid_of(answer)), ButtonLook::Secondary, false, 2, context.fonts().headline)) {
            flow.choose_expectations(answer, context.now);
        }
    }
    if (draw_chrome(context, chrome, kSkipOnly).primary) flow.skip(context.now);
}

void RecommendScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const RecommendLayout layout = layout_recommend(context.window, context.dpi, context.right_to_left());
    draw_question(context, layout.chrome, context.tr("How likely are you to recommend it to a friend?"), nullptr);
    for (std::size_t n = 0; n < layout.scores.size(); ++n) {
        const std::string label = digits_in_locale(context, std::to_string(n));
        if (draw_button(context, "recommend_" + std::to_string(n), layout.scores[n], label, ButtonLook::Secondary, false, 1,
                        context.fonts().headline)) {
            flow.choose_recommend(static_cast<int>(n), context.now);
        }
    }
    const KioskFonts& fonts = context.fonts();
    draw_text(context, fonts.caption, layout.low_label, theme::kMutedText, context.tr("Not at all likely"), Align::Start, 2);
    // The high end's label keeps to its end: in the opposite alignment to the low one.
    const Rect& high = layout.high_label;
    const FittedText& fitted = context.text.fit(fonts.caption, fonts.caption->FontSize, Size{high.width, high.height},
                                                context.tr("Extremely likely"), context.direction(), 2);
    float widest = 0;
    for (float width : fitted.widths) widest = std::max(widest, width);
    const float shift = high.width - widest;
    const Rect flush_end{context.right_to_left() ? high.x - shift : high.x + shift, high.y, high.width, high.height};
    draw_text(context, fonts.caption, flush_end, theme::kMutedText, context.tr("Extremely likely"), Align::Start, 2);
    if (draw_chrome(context, layout.chrome, kSkipOnly).primary) flow.skip(context.now);
}

void TopicsScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const TopicsLayout layout =
        layout_topics(context.window, context.dpi, context.right_to_left(), core::kPostPurchaseTopics.size());
    draw_question(context, layout.chrome, context.tr("What stood out?"), "Choose any that apply");
    const KioskFonts& fonts = context.fonts();
    draw_text(context, fonts.body, layout.glory_title, theme::kText, context.tr("What went well?"), Align::Start);
    draw_text(context, fonts.body, layout.pain_title, theme::kErrorText, context.tr("What went wrong?"), Align::Start);
    for (std::size_t i = 0; i < core::kPostPurchaseTopics.size(); ++i) {
        const std::string topic(core::kPostPurchaseTopics[i].wire);
        const std::string label = context.tr(core::kPostPurchaseTopics[i].label);
        if (draw_button(context, "glory_" + topic, layout.glory[i], label, ButtonLook::Toggle,
                        contains(flow.session().glory, topic), 2, fonts.caption)) {
            flow.toggle_glory(topic, context.now);
        }
        if (draw_button(context, "pain_" + topic, layout.pain[i], label, ButtonLook::Toggle, contains(flow.session().pain, topic),
                        2, fonts.caption)) {
            flow.toggle_pain(topic, context.now);
        }
    }
    const ChromeTaps taps = draw_chrome(context, layout.chrome, kNextOrSkip);
    if (taps.primary) flow.topics_done(context.now);
    if (taps.secondary) flow.skip(context.now);
}

void ConsentScreen::draw(ScreenContext& context) {
    app::PostPurchaseFlow& flow = context.post_purchase;
    const ChoiceLayout layout = layout_choices(context.window, context.dpi, context.right_to_left(), 2);
    const Chrome chrome = layout_chrome(context.window, context.dpi, context.right_to_left(), kPostPurchaseQuestions);
    draw_question(context, chrome, context.tr("May we show your rating and comment to other shoppers?"),
                  "Without your name. Your answers count the same either way.");
    if (draw_button(context, "consent_yes", layout.buttons[0], context.tr("Yes, share it"), ButtonLook::Secondary, false, 2,
                    context.fonts().headline)) {
        flow.choose_consent(true, context.now);
    }
    if (draw_button(context, "consent_no", layout.buttons[1], context.tr("No, keep it private"), ButtonLook::Secondary, false, 2,
                    context.fonts().headline)) {
        flow.choose_consent(false, context.now);
    }
    if (draw_chrome(context, chrome, kSkipOnly).primary) flow.skip(context.now);
}

}  // namespace truthpoint::kiosk_ui
