// The staff menu's pages: the shelf log (choose a product, tap what shoppers do with it, undo the last
// tap), what shoppers just said (the hub's open alerts for the store, then today's pains, each markable as
// seen) and the kiosk's health in words staff can act on. Drawn over the shopper's screen by StaffOverlay; every text in the screen's language.
#include <ctime>
#include <numeric>

#include "draw_helpers.hpp"
#include "screens.hpp"
#include "theme.hpp"
#include "truthpoint/app/hub_alerts.hpp"
#include "truthpoint/core/vocabulary.hpp"
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr std::array<std::pair<app::StaffPage, const char*>, 3> kPages{{
    {app::StaffPage::ShelfLog, "Shelf log"},
    {app::StaffPage::ShoppersSaid, "What shoppers just said"},
    {app::StaffPage::Health, "Kiosk health"},
}};

const char* tab_target(app::StaffPage page) {
    switch (page) {
        case app::StaffPage::ShelfLog: return "tab_shelf_log";
        case app::StaffPage::ShoppersSaid: return "tab_shoppers_said";
        case app::StaffPage::Health: return "tab_health";
    }
    return "";
}

const app::Product* find_product(const std::vector<app::Product>& shelf, const std::string& sku) {
    for (const app::Product& product : shelf) {
        if (product.sku == sku) return &product;
    }
    return nullptr;
}

void draw_products(ScreenContext& context, const StaffMenuLayout& menu) {
    const auto& shelf = context.flow.shelf();
    const StaffProductsLayout layout =
        layout_staff_products(menu, context.window, context.dpi, context.right_to_left(), shelf.size());
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_text(context, fonts.body, layout.prompt, theme::kText,
              context.tr("Which product are you watching? Tap it or scan its barcode."), Align::Start);
    for (std::size_t i = 0; i < shelf.size() && i < layout.products.size(); ++i) {
        const app::Product& product = shelf[i];
        const ProductCell& cell = layout.products[i];
        const bool tapped = tap_area(context, "staff_product_" + product.sku, cell.target);
        fill_rounded_rect(draw_list, cell.target, theme::kButton, 14.0f);
        draw_list->AddRect(top_left(cell.target), bottom_right(cell.target), theme::kButtonBorder, 14.0f, 0, 2.0f);
        draw_product_picture(context, product, cell.picture);
        const Rect name{cell.name.x + 6, cell.name.y, cell.name.width - 12, cell.name.height};
        draw_text(context, fonts.caption, name, theme::kText, product.name(context.locale()), Align::Center, 2);
        if (tapped) context.staff.choose_product(product.sku, context.now);
    }
}

void draw_shelf_log(ScreenContext& context, const StaffMenuLayout& menu, const app::Product& product) {
    const ShelfLogLayout layout = layout_shelf_log(menu, context.window, context.dpi, context.right_to_left());
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_text(context, fonts.headline, layout.product, theme::kText, product.name(context.locale()), Align::Start);
    if (draw_button(context, "change_product", layout.change_product, context.tr("Change product"), ButtonLook::Secondary)) {
        context.staff.change_product(context.now);
        return;
    }
    int logged = 0;
    for (std::size_t i = 0; i < core::kShelfObservations.size(); ++i) {
        const core::Answer& answer = core::kShelfObservations[i];
        const char* observation = answer.wire.data();
        const Rect& button = layout.observations[i];
        if (draw_button(context, observation, button, context.tr(answer.label), ButtonLook::Secondary)) {
            context.staff.log_shelf(observation, context.now);
        }
        // The running tally for this visit and product, in a badge at the button's top end corner.
        const int count = context.staff.tally(product.sku, observation);
        logged += count;
        // Not a button: tells a test the tally shown.
        record_target(context, "tally_" + std::string(observation) + "_" + std::to_string(count), button.center());
        if (count == 0) continue;
        const float radius = fonts.body->FontSize * 0.9f;
        const Point corner = context.mirror()(Point{context.mirror()(button).right() - radius * 1.2f, button.y + radius * 1.2f});
        fill_disc(draw_list, to_imvec(corner), radius, theme::kAccent);
        draw_text(context, fonts.body, Rect{corner.x - radius, corner.y - radius, 2 * radius, 2 * radius}, theme::kOnAccent,
                  app::localize_digits(std::to_string(count), context.locale()));
    }
    if (const auto undoable = context.staff.undoable(context.now)) {
        const core::Answer* answer = core::find_answer(core::kShelfObservations, *undoable);
        const std::string label = context.tr("Undo") + " \xE2\x80\x94 " + (answer ? context.tr(answer->label) : *undoable);
        if (draw_button(context, "undo", layout.undo, label, ButtonLook::Secondary, false, 1)) {
            context.staff.undo_last(context.now);
        }
    }
    draw_text(context, fonts.body, layout.status, theme::kMutedText,
              app::format_text(context.tr("Logged for this product this visit: %d"), context.locale(), {logged}),
              Align::Start);
}

std::string local_clock_time(core::Timestamp at) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
    std::tm local{};
    localtime_r(&seconds, &local);
    char text[8];
    std::snprintf(text, sizeof text, "%02d:%02d", local.tm_hour, local.tm_min);
    return text;
}

std::string relative(ScreenContext& context, std::optional<core::Timestamp> then) {
    const RelativeTime time = relative_time(then, context.now);
    return app::format_text(context.tr(time.msgid), context.locale(), {time.count});
}

std::string alert_headline_text(ScreenContext& context, const core::ConfigAlert& alert) {
    const app::AlertHeadline headline = app::alert_headline(alert);
    if (!headline.kiosk_id.empty()) return app::format_text(context.tr(headline.msgid), context.locale(), {headline.kiosk_id});
    return app::format_text(context.tr(headline.msgid), context.locale(), {headline.count});
}

// The hub's open alerts for this store, as of its last configuration: newest first, what happened at the
// reading start, whether a manager took it up and how long ago it opened at the end.
void draw_hub_alerts(ScreenContext& context, const ShopperReportsLayout& layout) {
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const std::vector<core::ConfigAlert>& alerts = context.session.hub_alerts();
    // Not a button: tells a test how many alerts the page shows.
    record_target(context, "hub_alerts_" + std::to_string(alerts.size()), layout.alerts_heading.center());
    draw_text(context, fonts.body, layout.alerts_heading, theme::kText,
              app::format_text(context.tr("Open alerts from the hub: %d"), context.locale(), {static_cast<int>(alerts.size())}),
              Align::Start);
    if (alerts.empty()) {
        draw_text(context, fonts.caption, layout.alerts.front().what, theme::kMutedText, context.tr("No open alerts"),
                  Align::Start);
        return;
    }
    for (std::size_t i = 0; i < alerts.size() && i < layout.alerts.size(); ++i) {
        const core::ConfigAlert& alert = alerts[i];
        const AlertLine& line = layout.alerts[i];
        fill_rounded_rect(draw_list, line.row, theme::kPanel, 10.0f);
        record_target(context, "hub_alert_" + alert.rule + "_" + alert.state, line.row.center());
        const bool open = alert.state == "open";
        draw_text(context, fonts.caption, line.what, open ? theme::kErrorText : theme::kText,
                  alert_headline_text(context, alert), Align::Start);
        draw_text(context, fonts.caption, line.status, theme::kMutedText,
                  context.tr(app::alert_state_msgid(alert)) + "  \xC2\xB7  " + relative(context, alert.opened_at),
                  Align::Start);
    }
}

void draw_shoppers_said(ScreenContext& context, const StaffMenuLayout& menu) {
    const ShopperReportsLayout layout = layout_shopper_reports(menu, context.window, context.dpi, context.right_to_left(),
                                                               context.session.hub_alerts().size());
    draw_hub_alerts(context, layout);
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const app::KioskSession& session = context.session;
    draw_text(context, fonts.body, layout.heading, theme::kText,
              context.tr("Pains and low ratings reported at this kiosk today"), Align::Start);
    if (!session.shopper_reports_error().empty()) {
        if (!layout.rows.empty()) {
            draw_text(context, fonts.body, layout.rows.front().text, theme::kErrorText,
                      context.tr("This kiosk's records cannot be read now. Call IT if it lasts."), Align::Start, 2);
        }
        return;
    }
    const auto& reports = session.shopper_reports();
    if (session.shopper_reports_read() && reports.empty() && !layout.rows.empty()) {
        draw_text(context, fonts.body, layout.rows.front().text, theme::kMutedText, context.tr("Nothing reported today."),
                  Align::Start);
    }
    for (std::size_t i = 0; i < reports.size() && i < layout.rows.size(); ++i) {
        const app::ShopperReport& report = reports[i];
        const ReportRow& row = layout.rows[i];
        fill_rounded_rect(draw_list, row.row, theme::kPanel, 12.0f);
        const float line = row.text.height / 3;
        const app::Product* product = find_product(context.flow.shelf(), report.sku);
        const std::string when = app::localize_digits(local_clock_time(report.at), context.locale());
        draw_text(context, fonts.caption, Rect{row.text.x, row.text.y, row.text.width, line}, theme::kText,
                  when + "  \xC2\xB7  " + (product ? product->name(context.locale()) : report.sku), Align::Start);
        // The rating as stars, then the pain topics in words.
        Rect what{row.text.x, row.text.y + line, row.text.width, line};
        if (report.rating) {
            const float radius = line * 0.32f;
            const float step = radius * 2.3f;
            for (int star = 0; star < 5; ++star) {
                const float offset = radius + step * static_cast<float>(star);
                const float x = context.right_to_left() ? what.right() - offset : what.x + offset;
                draw_star(draw_list, Point{x, what.center().y}, radius, star < *report.rating ? theme::kStar : theme::kButtonBorder,
                          star < *report.rating);
            }
            const float used = step * 5 + radius;
            what.width -= used;
            if (!context.right_to_left()) what.x += used;
        }
        std::string topics;
        for (const std::string& topic : report.pain_topics) {
            const core::Answer* answer = core::find_answer(core::kPostPurchaseTopics, topic);
            topics += (topics.empty() ? "" : ", ") + (answer ? context.tr(answer->label) : topic);
        }
        if (!topics.empty()) draw_text(context, fonts.caption, what, theme::kErrorText, topics, Align::Start);
        // The shopper's own words only when they agreed to share them, in their own direction.
        if (!report.comment.empty()) {
            const Rect words{row.text.x, row.text.y + 2 * line, row.text.width, line};
            const auto direction =
                app::is_right_to_left(report.locale) ? TextDirection::RightToLeft : TextDirection::LeftToRight;
            context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize, words, theme::kMutedText,
                              "\xE2\x80\x9C" + report.comment + "\xE2\x80\x9D", direction,
                              Align::Start, 1);
        }
        if (report.seen || context.staff.marked_seen(report.event_id)) {
            draw_text(context, fonts.body, row.seen, theme::kAccent, context.tr("Seen \xE2\x9C\x93"));
        } else if (draw_button(context, "seen_" + std::to_string(i), row.seen, context.tr("Mark seen"), ButtonLook::Secondary,
                               false, 1)) {
            context.staff.mark_seen(report.event_id, report.sku, context.now);
        }
    }
}

// What staff should do about the last delivery's problem, in words they can act on.
constexpr std::array<std::pair<core::SyncProblem, const char*>, 8> kAdvice{{
    {core::SyncProblem::HubUnreachable,
     "The kiosk cannot reach the hub. Check the network cable or Wi-Fi; answers are kept here until it can."},
    {core::SyncProblem::HubNotTrusted,
     "The hub's certificate is not trusted. Ask IT to check the kiosk's hub settings (ca_file, pinned key)."},
    {core::SyncProblem::TokenRefused, "The hub refuses this kiosk's token. Ask IT for a new one."},
    {core::SyncProblem::WrongKiosk,
     "This kiosk's token belongs to another kiosk or store: answers are kept here, not sent. Ask IT to fix its settings."},
    {core::SyncProblem::WrongAddress, "The hub address is wrong. Ask IT to check the kiosk's hub url."},
    {core::SyncProblem::HubBusy, "The hub is busy. The kiosk tries again by itself."},
    {core::SyncProblem::HubFailed, "The hub's answer could not be used. The kiosk tries again; call IT if it lasts."},
    {core::SyncProblem::LedgerFailed, "This kiosk cannot use its own records. Call IT: new answers may not be saved."},
}};
constexpr const char* kQuarantinedAdvice = "The hub refused some answers; they are set aside. Tell IT.";
constexpr const char* kWarningAdvice = "Something needs attention: see the details. Tell IT.";
constexpr const char* kAllWell = "All is well. Answers reach the hub on their own.";

const char* advice_for(const app::SyncView& view) {
    for (const auto& [problem, advice] : kAdvice) {
        if (problem == view.problem) return advice;
    }
    if (view.quarantined.value_or(0) > 0) return kQuarantinedAdvice;
    if (!view.warnings.empty()) return kWarningAdvice;
    return kAllWell;
}

void draw_health(ScreenContext& context, const StaffMenuLayout& menu) {
    const HealthLayout layout = layout_health(menu, context.window, context.dpi, context.right_to_left());
    const KioskFonts& fonts = context.fonts();
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    const app::KioskSession& session = context.session;
    const app::KioskConfig& config = session.config();
    const app::SyncView& view = session.sync_view();
    const std::string& locale = context.locale();
    const auto count = [&](const std::optional<std::int64_t>& value) {
        return value ? app::localize_digits(std::to_string(*value), locale) : std::string("\xE2\x80\x94");  // —
    };

    fill_rounded_rect(draw_list, layout.facts, theme::kPanel, 16.0f);
    // Not buttons: tell a test the page is shown, and the counts on it.
    record_target(context, "health_facts", layout.facts.center());
    record_target(context, "health_pending_" + std::to_string(view.pending.value_or(-1)), layout.facts.center());
    record_target(context, "health_delivered_" + std::to_string(view.delivered.value_or(-1)), layout.facts.center());
    std::vector<std::pair<std::string, std::string>> facts{
        {context.tr("Kiosk"), config.kiosk_id},
        {context.tr("Store"), config.store_id},
        {context.tr("Version"), session.version().empty() ? "\xE2\x80\x94" : session.version()},
    };
    if (session.has_uploader()) {
        const bool reached = view.last_success && view.problem != core::SyncProblem::HubUnreachable &&
                             view.problem != core::SyncProblem::HubNotTrusted;
        const bool unknown = !view.last_success && view.problem == core::SyncProblem::None;
        facts.emplace_back(context.tr("Hub"), config.hub_url);
        facts.emplace_back(context.tr("Hub reachable"), context.tr(unknown ? "Not yet known" : reached ? "Yes" : "No"));
        facts.emplace_back(context.tr("Waiting to send"), count(view.pending));
        facts.emplace_back(context.tr("Delivered"), count(view.delivered));
        facts.emplace_back(context.tr("Set aside"), count(view.quarantined));
        facts.emplace_back(context.tr("Last good sync"), relative(context, view.last_success));
    } else {
        facts.emplace_back(context.tr("Hub"), context.tr("None set: answers stay on this kiosk"));
    }
    if (view.free_disk_bytes) {
        facts.emplace_back(context.tr("Free disk"),
                           app::format_text(context.tr("%d MB"), locale,
                                            {static_cast<int>(std::min<std::uint64_t>(*view.free_disk_bytes >> 20, 1u << 30))}));
    }
    const float pad = fonts.caption->FontSize * 0.6f;
    const float line = std::min(fonts.body->FontSize * 1.5f, (layout.facts.height - 2 * pad) / static_cast<float>(facts.size()));
    const float label_width = (layout.facts.width - 2 * pad) * 0.45f;
    const float value_width = layout.facts.width - 3 * pad - label_width;
    const bool rtl = context.right_to_left();
    for (std::size_t i = 0; i < facts.size(); ++i) {
        // The label at the reading start, its value after it.
        const float y = layout.facts.y + pad + line * static_cast<float>(i);
        const Rect label{rtl ? layout.facts.right() - pad - label_width : layout.facts.x + pad, y, label_width, line};
        const Rect value{rtl ? layout.facts.x + pad : label.right() + pad, y, value_width, line};
        draw_text(context, fonts.caption, label, theme::kMutedText, facts[i].first, Align::Start);
        draw_text(context, fonts.caption, value, theme::kText, facts[i].second, Align::Start);
    }

    // What to do, in words; the uploader's own words below for IT.
    fill_rounded_rect(draw_list, layout.advice, theme::kPanel, 16.0f);
    const Rect heading{layout.advice.x + pad, layout.advice.y + pad, layout.advice.width - 2 * pad, fonts.body->FontSize * 1.5f};
    draw_text(context, fonts.body, heading, theme::kText, context.tr("What to do"), Align::Start);
    const bool trouble = view.problem != core::SyncProblem::None || view.quarantined.value_or(0) > 0 || !view.warnings.empty();
    const Rect advice{heading.x, heading.bottom(), heading.width, fonts.caption->FontSize * 1.3f * 3};
    draw_text(context, fonts.caption, advice, trouble ? theme::kErrorText : theme::kText,
              context.tr(session.has_uploader() ? advice_for(view) : kAllWell),
              Align::Start, 3);
    std::string details = view.last_error;
    for (const std::string& warning : view.warnings) details += (details.empty() ? "" : "\n") + warning;
    if (!details.empty()) {
        const Rect detail_box{heading.x, advice.bottom() + pad * 0.5f, heading.width, layout.advice.bottom() - pad - advice.bottom()};
        // For IT, as the uploader wrote it (English, left to right).
        context.text.draw(draw_list, fonts.caption, fonts.caption->FontSize * 0.85f, detail_box, theme::kMutedText, details,
                          TextDirection::LeftToRight, Align::Start, 4);
    }
    if (!session.has_uploader()) return;
    const bool sending = view.running || context.session.sync_asked();
    const bool saved_input = context.input_enabled;
    context.input_enabled = saved_input && !sending;  // disabled while it runs
    if (draw_button(context, "sync_now", layout.sync_now, context.tr(sending ? "Sending\xE2\x80\xA6" : "Sync now"),
                    ButtonLook::Primary, false, 1)) {
        context.session.sync_now(context.now);
    }
    context.input_enabled = saved_input;
}

}  // namespace

void draw_staff_menu(ScreenContext& context) {
    const StaffMenuLayout layout = layout_staff_menu(context.window, context.dpi, context.right_to_left());
    const KioskFonts& fonts = context.fonts();
    fill_rounded_rect(ImGui::GetWindowDrawList(), layout.panel, theme::kStaffPanel, 28.0f);
    draw_text(context, fonts.headline, layout.title, theme::kText, context.tr("Staff menu"), Align::Start);
    const app::StaffPage page = context.staff.page();
    for (std::size_t i = 0; i < kPages.size(); ++i) {
        const auto& [tab_page, msgid] = kPages[i];
        const ButtonLook look = tab_page == page ? ButtonLook::Primary : ButtonLook::Secondary;
        if (draw_button(context, tab_target(tab_page), layout.tabs[i], context.tr(msgid), look, false, 2)) {
            context.staff.show_page(tab_page, context.now);
        }
    }
    switch (page) {
        case app::StaffPage::ShelfLog:
            if (const app::Product* product = find_product(context.flow.shelf(), context.staff.chosen_sku())) {
                draw_shelf_log(context, layout, *product);
            } else {
                draw_products(context, layout);
            }
            break;
        case app::StaffPage::ShoppersSaid: draw_shoppers_said(context, layout); break;
        case app::StaffPage::Health: draw_health(context, layout); break;
    }
    // Back to shoppers is what staff do every time; leaving the kiosk is rare, secondary, and asks first.
    if (draw_button(context, "back_to_shoppers", layout.back_to_shoppers, context.tr("Back to shoppers"), ButtonLook::Primary)) {
        context.staff.cancel(context.now);
    }
    if (draw_button(context, "exit_kiosk", layout.exit_kiosk, context.tr("Exit kiosk"), ButtonLook::Secondary)) {
        context.staff.request_exit(context.now);
    }
}

const char* staff_page_screen_name(const app::StaffMode& staff, const std::vector<app::Product>& shelf) {
    switch (staff.page()) {
        case app::StaffPage::ShelfLog:
            return find_product(shelf, staff.chosen_sku()) ? "staff_shelf_log" : "staff_shelf_products";
        case app::StaffPage::ShoppersSaid: return "staff_shoppers_said";
        case app::StaffPage::Health: return "staff_health";
    }
    return "staff_menu";
}

std::string StaffOverlay::still_key(const ScreenContext& context) const {
    const app::StaffMode& staff = context.staff;
    if (staff.step() != app::StaffStep::Menu) return {};
    std::string key = staff.chosen_sku() + (staff.undoable(context.now) ? "/undo" : "");
    for (const core::Answer& observation : core::kShelfObservations) {
        key += "/" + std::to_string(staff.tally(staff.chosen_sku(), observation.wire));
    }
    for (const app::ShopperReport& report : context.session.shopper_reports()) {
        key += "/" + report.event_id + (report.seen || staff.marked_seen(report.event_id) ? "+" : "");
    }
    // Each alert's state and age as shown ("3 min ago" turns into "4 min ago" on its own).
    for (const core::ConfigAlert& alert : context.session.hub_alerts()) {
        const RelativeTime age = relative_time(alert.opened_at, context.now);
        key += "/" + alert.id + alert.state + age.msgid + std::to_string(age.count) + std::to_string(alert.times_fired);
    }
    const app::SyncView& view = context.session.sync_view();
    key += "/" + std::to_string(view.pending.value_or(-1)) + "/" + std::to_string(view.delivered.value_or(-1)) +
           (view.running || context.session.sync_asked() ? "/sending" : "");
    return key;
}

const std::vector<const char*>& staff_menu_msgids() {
    static const std::vector<const char*> msgids = [] {
        std::vector<const char*> all{
            "Which product are you watching? Tap it or scan its barcode.", "Change product", "Undo",
            "Logged for this product this visit: %d", "Pains and low ratings reported at this kiosk today",
            "This kiosk's records cannot be read now. Call IT if it lasts.", "Nothing reported today.",
            "Seen \xE2\x9C\x93", "Mark seen", kQuarantinedAdvice, kWarningAdvice, kAllWell, "Kiosk", "Store",
            "Version", "Hub", "Hub reachable", "Not yet known", "Yes", "No", "Waiting to send", "Delivered",
            "Set aside", "Last good sync", "None set: answers stay on this kiosk", "Free disk", "%d MB", "What to do",
            "Sending\xE2\x80\xA6", "Sync now"};
        for (const auto& [page, msgid] : kPages) all.push_back(msgid);
        for (const auto& [problem, advice] : kAdvice) all.push_back(advice);
        all.insert(all.end(), app::kHubAlertMsgids.begin(), app::kHubAlertMsgids.end());
        return all;
    }();
    return msgids;
}

}  // namespace truthpoint::kiosk_ui
