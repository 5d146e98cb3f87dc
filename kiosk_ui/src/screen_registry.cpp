// Maps each flow step to the screen that shows it: the one place screens are registered.
#include "screens.hpp"

namespace truthpoint::kiosk_ui {

Screen& ScreenRegistry::for_step(app::FmotStep step) {
    switch (step) {
        case app::FmotStep::Attract: return attract_;
        case app::FmotStep::Reaction: return reaction_;
        case app::FmotStep::Saving: return saving_;
        case app::FmotStep::ThankYou: return thank_you_;
    }
    return attract_;
}

std::string tap_target_name(core::Reaction reaction) {
    return std::string(core::to_string(reaction));  // the wire name, so a test can compare it with the ledger
}

}  // namespace truthpoint::kiosk_ui
