// Overlays drawn over the shopper's screen: the idle warning with its countdown, and staff mode (PIN pad,
// "Checking…", the exit question; the menu's pages are in staff_menu.cpp). Under an overlay the shopper's screen is drawn but takes no input, and the
// shopper flow's state is left as it was.
#include <cmath>

#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_scrim(const ScreenContext& context) {
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(context.window.width, context.window.height),
                                              theme::kScrim);
}

void draw_panel(const Rect& panel, ImU32 colour) {
    fill_rounded_rect(ImGui::GetWindowDrawList(), panel, colour, 28.0f);
}

}  // namespace

void IdleOverlay::draw(ScreenContext& context) {
    const IdleLayout layout = layout_idle(context.window, context.dpi);
    const KioskFonts& fonts = context.fonts();
    draw_scrim(context);
    draw_panel(layout.card, theme::kPanel);
    const int seconds = context.idle_countdown().value_or(0);
    draw_text(context, fonts.headline, layout.question, theme::kText, context.tr("Are you still there?"));
    draw_text(context, fonts.body, layout.countdown, theme::kMutedText,
              app::format_text(context.tr("Starting over in %d seconds"), context.locale(), {seconds}));
    draw_text(context, fonts.body, layout.action, theme::kAccent, context.tr("Touch to continue"));
    if (tap_area(context, "continue", Rect{0, 0, context.window.width, context.window.height}, layout.action.center())) {
        context.note_touch();
    }
}

const char* StaffOverlay::name() const {
    switch (shown_step) {
        case app::StaffStep::Menu: return menu_page;
        case app::StaffStep::ConfirmExit: return "staff_confirm_exit";
        case app::StaffStep::Checking: return "staff_checking";
        default: return "staff_pin";
    }
}

void StaffOverlay::draw(ScreenContext& context) {
    shown_step = context.staff.step();
    locked_out = context.staff.locked_out_for(context.now).has_value();
    draw_scrim(context);
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const bool rtl = context.right_to_left();

    if (shown_step == app::StaffStep::ConfirmExit) {
        const ConfirmLayout layout = layout_confirm(context.window, context.dpi, rtl);
        draw_panel(layout.card, theme::kStaffPanel);
        draw_text(context, fonts.headline, layout.question, theme::kText, context.tr("Exit the kiosk?"), Align::Start);
        draw_text(context, fonts.body, layout.detail, theme::kMutedText,
                  context.tr("Shoppers will see the desktop until someone starts the kiosk again."), Align::Start, 2);
        if (draw_button(context, "confirm_exit", layout.act, context.tr("Exit kiosk"), ButtonLook::Secondary)) {
            context.staff.confirm_exit(context.now);
        }
        if (draw_button(context, "stay", layout.stay, context.tr("Stay"), ButtonLook::Primary)) {
            context.staff.cancel_exit(context.now);
        }
        return;
    }

    if (shown_step == app::StaffStep::Menu) {
        draw_staff_menu(context);
        menu_page = staff_page_screen_name(context.staff, context.flow.shelf());  // after the taps of this frame
        return;
    }

    const PinPadLayout layout = layout_pin_pad(context.window, context.dpi, rtl);
    draw_panel(layout.panel, theme::kStaffPanel);
    draw_text(context, fonts.headline, layout.title, theme::kText, context.tr("Staff PIN"));
    // Dots, never digits: someone may be looking over the staff member's shoulder. One per digit typed, and
    // no empty places: those would tell how long the PIN is.
    const std::size_t entered = context.staff.entered_digits().size();
    const float dot = layout.dots.height * 0.16f;
    const float spacing = dot * 3.2f;
    const float first = layout.dots.center().x - spacing * (static_cast<float>(entered) - 1) / 2;
    for (std::size_t i = 0; i < entered; ++i) {
        draw_list->AddCircleFilled(ImVec2(first + spacing * static_cast<float>(i), layout.dots.center().y), dot, theme::kText, 20);
    }
    const bool checking = shown_step == app::StaffStep::Checking;
    const std::string& message = context.staff.message();
    if (checking) {
        draw_text(context, fonts.caption, layout.message, theme::kMutedText, context.tr("Checking…"));
    } else if (const auto locked = context.staff.locked_out_for(context.now)) {
        const auto minutes = static_cast<int>(std::chrono::ceil<std::chrono::minutes>(*locked).count());
        draw_text(context, fonts.caption, layout.message, theme::kErrorText,
                  app::format_text(context.tr(app::kLockedOutMessage), context.locale(), {minutes}));
    } else if (!message.empty() && message != app::kLockedOutMessage) {
        draw_text(context, fonts.caption, layout.message, theme::kErrorText, context.tr(message));
    }
    const bool keys_live = !checking;
    for (int digit = 0; digit <= 9; ++digit) {
        const std::string label = app::localize_digits(std::string(1, static_cast<char>('0' + digit)), context.locale());
        const bool saved_input = context.input_enabled;
        context.input_enabled = saved_input && keys_live;
        if (draw_button(context, "digit_" + std::to_string(digit), layout.digits[static_cast<std::size_t>(digit)], label, ButtonLook::Secondary)) {
            context.staff.press_digit(static_cast<char>('0' + digit), context.now);
        }
        context.input_enabled = saved_input;
    }
    const bool saved_input = context.input_enabled;
    context.input_enabled = saved_input && keys_live;
    if (draw_button(context, "erase", layout.erase, "", ButtonLook::Secondary)) context.staff.erase_digit(context.now);
    draw_erase_sign(draw_list, layout.erase, theme::kText);
    if (draw_button(context, "submit", layout.submit, "", ButtonLook::Primary)) context.session.submit_pin(context.now);
    draw_tick(draw_list, layout.submit, theme::kOnAccent);
    context.input_enabled = saved_input;
    if (draw_button(context, "cancel", layout.cancel, context.tr("Cancel"), ButtonLook::Secondary)) {
        context.staff.cancel(context.now);
    }
}

}  // namespace truthpoint::kiosk_ui
