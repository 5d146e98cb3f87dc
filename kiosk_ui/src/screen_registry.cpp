// The one place screens are registered: each flow step's screen, then the overlays, which win when they
// apply. Also the msgids (assets/i18n/truthpoint.pot) for the flow's values.
#include <algorithm>
#include <cstring>

#include "screens.hpp"
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

Screen& ScreenRegistry::current(const app::KioskSession& session) {
    if (session.post_purchase().active()) return for_step(session.post_purchase().step());
    return for_step(session.flow().step());
}

Screen& ScreenRegistry::for_step(app::PostPurchaseStep step) {
    switch (step) {
        case app::PostPurchaseStep::Inactive: return attract_;
        case app::PostPurchaseStep::Receipt: return receipt_;
        case app::PostPurchaseStep::ProductPick: return purchase_pick_;
        case app::PostPurchaseStep::Rating: return rating_;
        case app::PostPurchaseStep::Expectations: return expectations_;
        case app::PostPurchaseStep::Recommend: return recommend_;
        case app::PostPurchaseStep::Topics: return topics_;
        case app::PostPurchaseStep::Comment: return comment_;
        case app::PostPurchaseStep::Consent: return consent_;
        case app::PostPurchaseStep::Saving: return saving_;
        case app::PostPurchaseStep::ThankYou: return purchase_thank_you_;
        case app::PostPurchaseStep::Sorry: return sorry_;
    }
    return attract_;
}

Screen& ScreenRegistry::for_step(app::FmotStep step) {
    switch (step) {
        case app::FmotStep::Attract: return attract_;
        case app::FmotStep::ProductPick: return pick_;
        case app::FmotStep::Reaction: return reaction_;
        case app::FmotStep::Drivers: return drivers_;
        case app::FmotStep::Intent: return intent_;
        case app::FmotStep::WhyNot: return why_not_;
        case app::FmotStep::Saving: return saving_;
        case app::FmotStep::ThankYou: return thank_you_;
    }
    return attract_;
}

Screen* ScreenRegistry::overlay(const ScreenContext& context) {
    if (context.staff.active()) {
        staff_.shown_step = context.staff.step();
        staff_.menu_page = staff_page_screen_name(context.staff, context.flow.shelf());
        return &staff_;
    }
    if (context.idle_countdown()) return &idle_;
    return nullptr;
}

std::string tap_target_name(core::Reaction reaction) { return std::string(core::to_string(reaction)); }

const char* msgid_of(core::Reaction reaction) {
    switch (reaction) {
        case core::Reaction::VeryUnhappy: return "Very unhappy";
        case core::Reaction::Unhappy: return "Unhappy";
        case core::Reaction::Happy: return "Happy";
        case core::Reaction::VeryHappy: return "Very happy";
    }
    return "";
}

// The labels live in core's vocabulary, in the order of app's enums.
const char* msgid_of(app::Driver driver) { return core::kDrivers[static_cast<std::size_t>(driver)].label.data(); }
const char* msgid_of(app::Intent intent) { return core::kIntents[static_cast<std::size_t>(intent)].label.data(); }
const char* msgid_of(app::WhyNot why_not) { return core::kWhyNots[static_cast<std::size_t>(why_not)].label.data(); }
const char* msgid_of(app::Expectations expectations) {
    return core::kExpectations[static_cast<std::size_t>(expectations)].label.data();
}

const std::vector<const char*>& all_msgids() {
    static const std::vector<const char*> msgids = [] {
        std::vector<const char*> all{
            "How do you like %s?", "Touch to tell us", "Choose your language", "Which product are you looking at?",
            "Or scan its barcode", "We don't know this barcode", "What caught your eye?", "Choose any that apply",
            "Will you buy it?", "What's holding you back?", "Back", "Next", "Skip", "Larger text", "Saving…",
            "Sorry, we could not save your answer.", "Touch to try again", "Thank you!",
            "Your answer helps this store.", "Are you still there?", "Starting over in %d seconds",
            "Touch to continue", "Staff PIN", "Wrong PIN", app::kLockedOutMessage,
            "No staff PIN is set on this kiosk", "Checking…", "Staff menu", "Exit kiosk", "Back to shoppers", "Cancel", "Exit the kiosk?",
            "Shoppers will see the desktop until someone starts the kiosk again.", "Stay",
            // After a purchase
            "Already bought it? Tell us how it went", "What shoppers say", "Type the number on your receipt",
            "Or scan the barcode on your receipt", "This does not look like a receipt number",
            "We never keep this number, only a coded form of it.", "Which product did you buy?", "How would you rate %s?",
            "Tap a star: one is poor, five is excellent", "Did it meet your expectations?",
            "How likely are you to recommend it to a friend?", "Not at all likely", "Extremely likely", "What stood out?",
            "What went well?", "What went wrong?", "Anything you'd like to add?",
            "We remove e-mail addresses, phone numbers and links before saving.", "%d characters left",
            "Type below; letters are added and erased at the end.",
            "May we show your rating and comment to other shoppers?",
            "Without your name. Your answers count the same either way.", "Yes, share it", "No, keep it private",
            "Your answer helps other shoppers.", "We're sorry it wasn't right.",
            "Thank you for telling us. The store will look into it.", "Show this code at the till. It can be used once.",
            "Done"};
        for (const core::Reaction reaction : core::kAllReactions) all.push_back(msgid_of(reaction));
        auto add = [&all](const auto& answers) {
            for (const core::Answer& answer : answers) {
                const bool seen = std::any_of(all.begin(), all.end(), [&](const char* m) { return answer.label == m; });
                if (!seen) all.push_back(answer.label.data());  // "Packaging" is a driver's and a topic's
            }
        };
        add(core::kDrivers);
        add(core::kIntents);
        add(core::kWhyNots);
        add(core::kShelfObservations);
        add(core::kExpectations);
        add(core::kPostPurchaseTopics);
        const std::vector<const char*>& staff = staff_menu_msgids();
        all.insert(all.end(), staff.begin(), staff.end());
        all.insert(all.end(), kRelativeTimeMsgids.begin(), kRelativeTimeMsgids.end());
        return all;
    }();
    return msgids;
}

}  // namespace truthpoint::kiosk_ui
