// Event type names and the per-type validation of `data`.
#include "truthpoint/core/event.hpp"

#include <algorithm>
#include <initializer_list>

#include "truthpoint/core/uuid.hpp"

namespace truthpoint::core {
namespace {

constexpr std::array<std::string_view, kAllEventTypes.size()> kTypeNames{
    "session.start", "session.end", "fmot.reaction", "fmot.driver",    "fmot.intent",
    "smot.feedback", "umot.review", "staff.shelf",   "kiosk.heartbeat",
};

constexpr std::array<std::string_view, kAllReactions.size()> kReactionNames{"very_unhappy", "unhappy", "happy",
                                                                            "very_happy"};

constexpr std::size_t kMaxTextLength = 2000;

bool one_of(const std::string& value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

using Reason = std::optional<std::string>;

Reason need_string(const nlohmann::json& data, const char* key, std::initializer_list<std::string_view> allowed) {
    const auto it = data.find(key);
    if (it == data.end() || !it->is_string()) return std::string("data.") + key + " must be a string";
    if (allowed.size() != 0 && !one_of(it->get<std::string>(), allowed)) {
        return std::string("data.") + key + " has an unknown value '" + it->get<std::string>() + "'";
    }
    return std::nullopt;
}

Reason optional_text(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    if (it == data.end()) return std::nullopt;
    if (!it->is_string()) return std::string("data.") + key + " must be a string";
    if (it->get_ref<const std::string&>().size() > kMaxTextLength) {
        return std::string("data.") + key + " is longer than 2000 bytes";
    }
    return std::nullopt;
}

Reason need_integer(const nlohmann::json& data, const char* key, long long low, long long high, bool required) {
    const auto it = data.find(key);
    if (it == data.end()) return required ? Reason(std::string("data.") + key + " is missing") : std::nullopt;
    if (!it->is_number_integer()) return std::string("data.") + key + " must be an integer";
    const auto value = it->get<long long>();
    if (value < low || value > high) {
        return std::string("data.") + key + " must be between " + std::to_string(low) + " and " +
               std::to_string(high);
    }
    return std::nullopt;
}

Reason optional_boolean(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    if (it == data.end() || it->is_boolean()) return std::nullopt;
    return std::string("data.") + key + " must be true or false";
}

constexpr long long kMaxMillis = 24LL * 3600 * 1000;

Reason validate_data(EventType type, const nlohmann::json& data) {
    // Any event of a session the kiosk judged misuse carries it; the hub counts those apart.
    if (auto r = optional_boolean(data, "misuse")) return r;
    switch (type) {
        case EventType::SessionStart:
            return std::nullopt;
        case EventType::SessionEnd:
            if (auto r = need_string(data, "outcome", {"completed", "abandoned"})) return r;
            return optional_text(data, "last_step");
        case EventType::FmotReaction:
            if (auto r = need_string(data, "reaction", {"very_unhappy", "unhappy", "happy", "very_happy"})) return r;
            return need_integer(data, "ms_to_react", 0, kMaxMillis, false);
        case EventType::FmotDriver: {
            const auto it = data.find("drivers");
            if (it == data.end() || !it->is_array() || it->empty()) return "data.drivers must be a non-empty array";
            for (const auto& driver : *it) {
                if (!driver.is_string() ||
                    !one_of(driver.get<std::string>(), {"packaging", "price", "promotion", "brand", "label",
                                                        "online_reviews", "recommendation", "habit"})) {
                    return "data.drivers holds an unknown driver";
                }
            }
            return need_integer(data, "ms_to_answer", 0, kMaxMillis, false);
        }
        case EventType::FmotIntent:
            if (auto r = need_string(data, "intent", {"buy_now", "maybe_later", "not_buying"})) return r;
            if (data.contains("why_not")) {
                if (auto r = need_string(data, "why_not", {"price", "comparing", "not_needed", "other_brand",
                                                           "no_information"})) {
                    return r;
                }
            }
            return need_integer(data, "ms_to_answer", 0, kMaxMillis, false);
        case EventType::SmotFeedback:
            if (auto r = need_integer(data, "rating", 1, 5, true)) return r;
            if (auto r = need_integer(data, "nps", 0, 10, false)) return r;
            if (auto r = optional_boolean(data, "met_expectations")) return r;
            return optional_text(data, "comment");
        case EventType::UmotReview:
            if (auto r = need_integer(data, "rating", 1, 5, true)) return r;
            if (auto r = need_string(data, "text", {})) return r;
            if (auto r = optional_text(data, "text")) return r;
            if (const auto consent = data.find("consent"); consent == data.end() || *consent != true) {
                return "data.consent must be true to share a review";
            }
            return std::nullopt;
        case EventType::StaffShelf:
            return need_string(data, "observation",
                               {"picked_up", "put_back", "compared", "read_label", "asked_for_help", "added_to_basket"});
        case EventType::KioskHeartbeat:
            if (auto r = need_integer(data, "pending", 0, 1LL << 40, true)) return r;
            return optional_text(data, "version");
    }
    return "unknown event type";
}

bool is_locale(const std::string& locale) {
    // Language subtag, optionally a region: "en", "fa", "pt-BR".
    if (locale.size() < 2 || locale.size() > 8) return false;
    return std::all_of(locale.begin(), locale.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'; });
}

}  // namespace

std::string_view to_string(EventType type) { return kTypeNames[static_cast<std::size_t>(type)]; }

std::optional<EventType> parse_event_type(std::string_view name) {
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        if (kTypeNames[i] == name) return kAllEventTypes[i];
    }
    return std::nullopt;
}

bool requires_sku(EventType type) {
    switch (type) {
        case EventType::FmotReaction:
        case EventType::FmotDriver:
        case EventType::FmotIntent:
        case EventType::SmotFeedback:
        case EventType::UmotReview:
        case EventType::StaffShelf:
            return true;
        default:
            return false;
    }
}

std::string_view to_string(Reaction reaction) { return kReactionNames[static_cast<std::size_t>(reaction)]; }

std::optional<Reaction> parse_reaction(std::string_view name) {
    for (std::size_t i = 0; i < kReactionNames.size(); ++i) {
        if (kReactionNames[i] == name) return kAllReactions[i];
    }
    return std::nullopt;
}

std::optional<std::string> validate_event(const Event& event) {
    if (!is_uuid_v7(event.id)) return "id must be a lower-case UUIDv7";
    if (!is_uuid(event.session_id)) return "session_id must be a UUID";
    if (!is_locale(event.locale)) return "locale must be a language tag such as \"en\" or \"fa\"";
    if (requires_sku(event.type) && event.sku.empty()) return std::string(to_string(event.type)) + " needs a sku";
    if (event.sku.size() > 64) return "sku is longer than 64 bytes";
    if (!event.data.is_object()) return "data must be an object";
    return validate_data(event.type, event.data);
}

}  // namespace truthpoint::core
