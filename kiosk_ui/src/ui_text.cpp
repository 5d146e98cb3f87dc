// The shopper-facing strings (see ui_text.hpp).
#include "ui_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {
constexpr UiText kEnglish{
    .question_about_product = "How do you like {}?",
    .question_without_product = "How do you like this product?",
    .touch_to_start = "Touch to tell us",
    .saving = "Saving\u2026",
    .thank_you = "Thank you!",
    .save_failed = "Sorry, your answer was not saved. Please tap a face again.",
    .very_unhappy = "Very unhappy",
    .unhappy = "Unhappy",
    .happy = "Happy",
    .very_happy = "Very happy",
};
}  // namespace

std::string UiText::question(std::string_view product_name) const {
    if (product_name.empty()) return std::string(question_without_product);
    std::string text(question_about_product);
    if (const auto slot = text.find("{}"); slot != std::string::npos) text.replace(slot, 2, product_name);
    return text;
}

std::string_view UiText::reaction_label(core::Reaction reaction) const {
    switch (reaction) {
        case core::Reaction::VeryUnhappy: return very_unhappy;
        case core::Reaction::Unhappy: return unhappy;
        case core::Reaction::Happy: return happy;
        case core::Reaction::VeryHappy: return very_happy;
    }
    return {};
}

const UiText& ui_text_for(std::string_view /*locale*/) { return kEnglish; }

}  // namespace truthpoint::kiosk_ui
