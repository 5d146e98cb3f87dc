// Every word the shopper reads, in one table per language. English only for now; issue 3 adds
// Persian, Arabic, Greek and Turkish (with shaping and right-to-left layout) behind this same shape.
#pragma once

#include <string>
#include <string_view>

#include "truthpoint/core/event.hpp"

namespace truthpoint::kiosk_ui {

struct UiText {
    std::string_view question_about_product;  // "{}" stands for the product's name
    std::string_view question_without_product;
    std::string_view touch_to_start;
    std::string_view saving;
    std::string_view thank_you;
    std::string_view save_failed;
    std::string_view very_unhappy;
    std::string_view unhappy;
    std::string_view happy;
    std::string_view very_happy;

    std::string question(std::string_view product_name) const;
    std::string_view reaction_label(core::Reaction reaction) const;
};

// The table for a locale such as "en"; English when the locale has none yet.
const UiText& ui_text_for(std::string_view locale);

}  // namespace truthpoint::kiosk_ui
