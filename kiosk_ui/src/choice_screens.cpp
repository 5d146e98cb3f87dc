// The optional questions after the reaction: drivers (several toggles, then Next or Skip), intent (one
// tap or Skip) and why-not (one tap or Skip). Large buttons in a grid, in the shopper's reading order;
// only the drivers and why-nots the hub enabled (FmotFlow::drivers(), why_nots()), in its order.
#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr ChromeActions kDriversActions{.primary = "Next", .secondary = "Skip", .primary_is_forward = true};
constexpr ChromeActions kSkipOnly{.primary = "Skip"};

void draw_question(ScreenContext& context, const Chrome& chrome, const char* title, const char* subtitle) {
    const KioskFonts& fonts = context.fonts();
    draw_text(context, fonts.headline, chrome.title, theme::kText, context.tr(title), Align::Start);
    if (subtitle) draw_text(context, fonts.body, chrome.subtitle, theme::kMutedText, context.tr(subtitle), Align::Start);
}

bool chosen(const app::FmotSession& session, app::Driver driver) {
    return std::find(session.drivers.begin(), session.drivers.end(), driver) != session.drivers.end();
}

}  // namespace

void DriversScreen::draw(ScreenContext& context) {
    const ChoiceLayout layout = layout_choices(context.window, context.dpi, context.right_to_left(), context.flow.drivers().size());
    draw_question(context, layout.chrome, "What caught your eye?", "Choose any that apply");
    for (std::size_t i = 0; i < context.flow.drivers().size(); ++i) {
        const app::Driver driver = context.flow.drivers()[i];
        if (draw_button(context, app::to_string(driver), layout.buttons[i], context.tr(msgid_of(driver)), ButtonLook::Toggle,
                        chosen(context.flow.session(), driver), 3)) {
            context.flow.toggle_driver(driver, context.now);
        }
    }
    const ChromeTaps taps = draw_chrome(context, layout.chrome, kDriversActions);
    if (taps.primary) context.flow.drivers_done(context.now);
    if (taps.secondary) context.flow.skip(context.now);
}

void IntentScreen::draw(ScreenContext& context) {
    const ChoiceLayout layout = layout_choices(context.window, context.dpi, context.right_to_left(), app::kAllIntents.size());
    draw_question(context, layout.chrome, "Will you buy it?", nullptr);
    for (std::size_t i = 0; i < app::kAllIntents.size(); ++i) {
        // Three answers, three large buttons: the headline's size reads from a step back.
        if (draw_button(context, app::to_string(app::kAllIntents[i]), layout.buttons[i], context.tr(msgid_of(app::kAllIntents[i])),
                        ButtonLook::Secondary, false, 2, context.fonts().headline)) {
            context.flow.choose_intent(app::kAllIntents[i], context.now);
        }
    }
    if (draw_chrome(context, layout.chrome, kSkipOnly).primary) context.flow.skip(context.now);
}

void WhyNotScreen::draw(ScreenContext& context) {
    const ChoiceLayout layout = layout_choices(context.window, context.dpi, context.right_to_left(), context.flow.why_nots().size());
    draw_question(context, layout.chrome, "What's holding you back?", nullptr);
    for (std::size_t i = 0; i < context.flow.why_nots().size(); ++i) {
        if (draw_button(context, app::to_string(context.flow.why_nots()[i]), layout.buttons[i], context.tr(msgid_of(context.flow.why_nots()[i])),
                        ButtonLook::Secondary)) {
            context.flow.choose_why_not(context.flow.why_nots()[i], context.now);
        }
    }
    if (draw_chrome(context, layout.chrome, kSkipOnly).primary) context.flow.skip(context.now);
}

}  // namespace truthpoint::kiosk_ui
