// The answers a shopper or staff member can tap, written once: the wire name an event carries
// (docs/events.md) and the English msgid of the label the kiosk shows (assets/i18n translates it).
// core validates events with these lists, app's flows and simulate write them, kiosk_ui draws them.
// Neither a wire name nor a msgid may change: events already stored and the .po catalogs depend on them.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace truthpoint::core {

// The languages the kiosk speaks (its [kiosk] languages, and a configuration file the hub writes for it).
inline constexpr std::array<std::string_view, 5> kKioskLanguages{"en", "fa", "ar", "el", "tr"};
inline constexpr bool is_kiosk_language(std::string_view code) {
    for (const std::string_view known : kKioskLanguages) {
        if (known == code) return true;
    }
    return false;
}

struct Answer {
    std::string_view wire;   // as in an event's data; a literal, so wire.data() is NUL-terminated
    std::string_view label;  // the msgid
};

// What drew the shopper to the product (fmot.driver data.drivers).
inline constexpr std::array<Answer, 8> kDrivers{{
    {"packaging", "Packaging"},
    {"price", "Price"},
    {"promotion", "Promotion"},
    {"brand", "Brand"},
    {"label", "Label or information"},
    {"online_reviews", "Online reviews or social media"},
    {"recommendation", "A recommendation"},
    {"habit", "Habit"},
}};

// fmot.intent data.intent.
inline constexpr std::array<Answer, 3> kIntents{{
    {"buy_now", "Buy now"},
    {"maybe_later", "Maybe later"},
    {"not_buying", "Not buying"},
}};

// fmot.intent data.why_not.
inline constexpr std::array<Answer, 5> kWhyNots{{
    {"price", "The price"},
    {"comparing", "I'm comparing"},
    {"not_needed", "Not what I need"},
    {"other_brand", "I prefer another brand"},
    {"no_information", "Couldn't find information"},
}};

// What staff saw at the shelf (staff.shelf data.observation).
inline constexpr std::array<Answer, 6> kShelfObservations{{
    {"picked_up", "Picked up"},
    {"put_back", "Put back"},
    {"compared", "Compared"},
    {"read_label", "Read the label"},
    {"asked_for_help", "Asked for help"},
    {"added_to_basket", "Added to basket"},
}};

// smot.expectations data.expectations.
inline constexpr std::array<Answer, 3> kExpectations{{
    {"below", "Below my expectations"},
    {"met", "Met my expectations"},
    {"beyond", "Beyond my expectations"},
}};

// The moments of glory and of pain a shopper may tap after a purchase (smot.topics data.glory and
// data.pain, pain.reported data.topics). "Packaging" shares its msgid with the driver.
inline constexpr std::array<Answer, 9> kPostPurchaseTopics{{
    {"quality", "Quality"},
    {"value_for_money", "Value for money"},
    {"taste_or_performance", "Taste or performance"},
    {"freshness", "Freshness"},
    {"packaging", "Packaging"},
    {"ease_of_use", "Ease of use"},
    {"staff_help", "Staff help"},
    {"availability", "Availability"},
    {"checkout", "Checkout"},
}};

// The wire names alone, in the same order.
template <std::size_t N>
constexpr std::array<std::string_view, N> wire_names(const std::array<Answer, N>& answers) {
    std::array<std::string_view, N> names{};
    for (std::size_t i = 0; i < N; ++i) names[i] = answers[i].wire;
    return names;
}

// The answer with this wire name, or nullptr.
template <std::size_t N>
constexpr const Answer* find_answer(const std::array<Answer, N>& answers, std::string_view wire) {
    for (const Answer& answer : answers) {
        if (answer.wire == wire) return &answer;
    }
    return nullptr;
}

}  // namespace truthpoint::core
