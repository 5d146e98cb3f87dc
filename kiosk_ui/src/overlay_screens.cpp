// Overlays drawn over the shopper's screen: the idle warning with its countdown, and staff mode (PIN pad,
// "Checking…", the staff menu). Under an overlay the shopper's screen is drawn but takes no input, and the
// shopper flow's state is left as it was.
#include <cmath>

#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {

void draw_scrim(const ScreenContext& context) {
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, 0), ImVec2(context.window.width, context.window.height),
                                              theme::kScrim);
}

void draw_panel(const Rect& panel, ImU32 colour) {
    fill_rounded_rect(ImGui::GetWindowDrawList(), panel, colour, 28.0f);
}

// Staff mode's view of the uploader: counts, the last good sync, the last error, warnings in a red band,
// and "Sync now". English for now (staff); counts in the shopper language's digits.
bool draw_sync_panel(ScreenContext& context, const StaffMenuLayout& layout) {
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const KioskFonts& fonts = context.fonts();
    fill_rounded_rect(draw_list, layout.sync_panel, theme::kPanel, 16.0f);
    const app::SyncView& view = context.session.sync_view();
    record_target(context, "sync_panel", layout.sync_text.center());  // not a button: tells a test it is shown
    const Rect& box = layout.sync_text;
    float y = box.y;
    const auto line = [&](ImFont* font, ImU32 colour, const std::string& text, int max_lines = 1) {
        const float height = font->FontSize * 1.3f * static_cast<float>(max_lines);
        if (y + font->FontSize * 1.3f > box.bottom()) return;  // no room left: the button stays clear
        const Rect area{box.x, y, box.width, std::min(height, box.bottom() - y)};
        const FittedText& fitted =
            context.text.fit(font, font->FontSize, Size{area.width, area.height}, text, TextDirection::LeftToRight, max_lines);
        context.text.draw(draw_list, font, font->FontSize, area, colour, text, TextDirection::LeftToRight, Align::Start,
                          max_lines);
        y += fitted.line_height * static_cast<float>(fitted.lines.size()) + font->FontSize * 0.3f;
    };
    const auto count = [&](const std::optional<std::int64_t>& value) {
        return value ? app::localize_digits(std::to_string(*value), context.locale()) : std::string("?");
    };
    line(fonts.body, theme::kText, view.running ? "Uploads: sending now" : "Uploads to the hub");
    line(fonts.caption, theme::kText, "Waiting to send: " + count(view.pending));
    line(fonts.caption, view.quarantined.value_or(0) > 0 ? theme::kErrorText : theme::kText,
         "Quarantined: " + count(view.quarantined));
    line(fonts.caption, theme::kMutedText, "Last good sync: " + relative_time(view.last_success, context.now));
    if (!view.last_error.empty()) line(fonts.caption, theme::kErrorText, "Last error: " + view.last_error, 3);
    for (const std::string& warning : view.warnings) {
        const float height = fonts.caption->FontSize * 1.3f * 2 + fonts.caption->FontSize * 0.4f;
        if (y + height > box.bottom()) break;
        const Rect band{box.x, y, box.width, height};
        fill_rounded_rect(draw_list, band, theme::kErrorBackground, 8.0f);
        const Rect inner{band.x + 8, band.y, band.width - 16, band.height};
        context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize, inner, theme::kErrorText, warning,
                          TextDirection::LeftToRight, Align::Start, 2);
        y += height + fonts.caption->FontSize * 0.3f;
    }
    return draw_button(context, "sync_now", layout.sync_now, "Sync now", ButtonLook::Secondary, false, 1);
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
        case app::StaffStep::Menu: return "staff_menu";
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
        const StaffMenuLayout layout = layout_staff_menu(context.window, context.dpi, rtl);
        draw_panel(layout.panel, theme::kStaffPanel);
        draw_text(context, fonts.headline, layout.title, theme::kText, context.tr("Staff menu"), Align::Start);
        const app::Product& product = context.product();
        // "Log what you see at the shelf" — for the product on screen, named and numbered.
        draw_text(context, fonts.body, layout.subtitle, theme::kMutedText,
                  context.tr("Log what you see at the shelf") + std::string(" \xE2\x80\x94 ") +
                      product.name(context.locale()),
                  Align::Start);
        for (std::size_t i = 0; i < core::kShelfObservations.size(); ++i) {
            const core::Answer& observation = core::kShelfObservations[i];
            if (draw_button(context, std::string(observation.wire), layout.observations[i],
                            context.tr(observation.label), ButtonLook::Secondary)) {
                context.staff.log_shelf(observation.wire.data(), product.sku, context.now);
            }
        }
        if (const int logged = context.staff.shelf_logs_this_visit(); logged > 0) {
            draw_text(context, fonts.body, layout.status, theme::kAccent,
                      context.tr("Logged") + std::string(" \xC3\x97 ") +  // ×
                          app::localize_digits(std::to_string(logged), context.locale()));
        }
        if (context.session.has_uploader() && draw_sync_panel(context, layout)) context.session.sync_now(context.now);
        // Back to shoppers is what staff do every time; leaving the kiosk is rare, secondary, and asks first.
        if (draw_button(context, "back_to_shoppers", layout.back_to_shoppers, context.tr("Back to shoppers"),
                        ButtonLook::Primary)) {
            context.staff.cancel(context.now);
        }
        if (draw_button(context, "exit_kiosk", layout.exit_kiosk, context.tr("Exit kiosk"), ButtonLook::Secondary)) {
            context.staff.request_exit(context.now);
        }
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
