// Event type names and the per-type validation of `data`.
#include "truthpoint/core/event.hpp"

#include <algorithm>
#include <initializer_list>
#include <vector>

#include "truthpoint/core/uuid.hpp"

namespace truthpoint::core {
namespace {

constexpr std::array<std::string_view, kAllEventTypes.size()> kTypeNames{
    "session.start",     "session.end",    "fmot.reaction", "fmot.driver",  "fmot.intent",
    "smot.feedback",     "umot.review",    "staff.shelf",   "kiosk.heartbeat", "smot.expectations",
    "smot.recommend",    "smot.topics",    "smot.comment",  "umot.consent", "sorry.card",
    "pain.reported",     "staff.pin",      "staff.undo",    "staff.seen",
};

constexpr std::array<std::string_view, kAllReactions.size()> kReactionNames{"very_unhappy", "unhappy", "happy",
                                                                            "very_happy"};

constexpr std::size_t kMaxTextLength = 2000;
constexpr std::size_t kMaxOfferTextLength = 300;
constexpr std::size_t kMaxStepNameLength = 64;

template <typename Names>
bool one_of(const std::string& value, const Names& allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

using Reason = std::optional<std::string>;

// Another event's id: the one a staff.undo takes back, or the pain a staff.seen marks.
Reason event_id_field(const nlohmann::json& data, const char* name) {
    const auto value = data.find(name);
    if (value == data.end() || !value->is_string() || !is_uuid_v7(value->get<std::string>())) {
        return std::string("data.") + name + " must be an event id (a lower-case UUIDv7)";
    }
    return std::nullopt;
}

// Total validation: a field that the contract does not name for this type is refused, so that a typo or
// a field carrying what must never leave the kiosk (a receipt code in clear) does not slip through.
Reason only_known_fields(const nlohmann::json& data, std::initializer_list<std::string_view> known) {
    for (const auto& item : data.items()) {
        if (item.key() == "misuse") continue;  // any event of a session judged misuse carries it
        if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
            return "data." + item.key() + " is not a field of this event type (see docs/events.md)";
        }
    }
    return std::nullopt;
}

template <typename Names>
Reason need_name(const nlohmann::json& data, const char* key, const Names& allowed) {
    const auto it = data.find(key);
    if (it == data.end() || !it->is_string()) return std::string("data.") + key + " must be a string";
    if (allowed.size() != 0 && !one_of(it->get<std::string>(), allowed)) {
        return std::string("data.") + key + " has an unknown value '" + it->get<std::string>() + "'";
    }
    return std::nullopt;
}

Reason need_string(const nlohmann::json& data, const char* key, std::initializer_list<std::string_view> allowed) {
    return need_name(data, key, allowed);
}

Reason optional_string(const nlohmann::json& data, const char* key, std::initializer_list<std::string_view> allowed) {
    if (!data.contains(key)) return std::nullopt;
    return need_string(data, key, allowed);
}

Reason text_field(const nlohmann::json& data, const char* key, bool required, std::size_t max_bytes = kMaxTextLength,
                  bool non_empty = false) {
    const auto it = data.find(key);
    if (it == data.end()) return required ? Reason(std::string("data.") + key + " is missing") : std::nullopt;
    if (!it->is_string()) return std::string("data.") + key + " must be a string";
    const auto& text = it->get_ref<const std::string&>();
    if (non_empty && text.empty()) return std::string("data.") + key + " must not be empty";
    if (text.size() > max_bytes) {
        return std::string("data.") + key + " is longer than " + std::to_string(max_bytes) + " bytes";
    }
    return std::nullopt;
}

Reason optional_text(const nlohmann::json& data, const char* key) { return text_field(data, key, false); }

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

Reason boolean_field(const nlohmann::json& data, const char* key, bool required) {
    const auto it = data.find(key);
    if (it == data.end()) return required ? Reason(std::string("data.") + key + " is missing") : std::nullopt;
    if (it->is_boolean()) return std::nullopt;
    return std::string("data.") + key + " must be true or false";
}

Reason optional_boolean(const nlohmann::json& data, const char* key) { return boolean_field(data, key, false); }

// A list of distinct names out of `allowed`; `*count` gets its length.
template <std::size_t N>
Reason name_list(const nlohmann::json& data, const char* key, const std::array<std::string_view, N>& allowed,
                 bool required, std::size_t* count = nullptr) {
    const auto it = data.find(key);
    if (count) *count = 0;
    if (it == data.end()) return required ? Reason(std::string("data.") + key + " is missing") : std::nullopt;
    if (!it->is_array()) return std::string("data.") + key + " must be an array of names";
    std::vector<std::string> seen;
    for (const auto& name : *it) {
        if (!name.is_string() || std::find(allowed.begin(), allowed.end(), name.get<std::string>()) == allowed.end()) {
            return std::string("data.") + key + " holds an unknown name";
        }
        if (std::find(seen.begin(), seen.end(), name.get<std::string>()) != seen.end()) {
            return std::string("data.") + key + " names '" + name.get<std::string>() + "' twice";
        }
        seen.push_back(name.get<std::string>());
    }
    if (count) *count = seen.size();
    return std::nullopt;
}

// receipt_hash is the code's hash under the chain's receipt key; earlier_receipt_hash, under the key before the
// last rotation while kiosks still hold it (config_document.hpp), and only beside a receipt_hash.
Reason optional_receipt_hash(const nlohmann::json& data) {
    const auto it = data.find("receipt_hash");
    const auto earlier = data.find("earlier_receipt_hash");
    if (it == data.end()) {
        if (earlier != data.end()) return "data.earlier_receipt_hash is given only beside data.receipt_hash";
        return std::nullopt;
    }
    if (!it->is_string() || !is_hex64(it->get_ref<const std::string&>())) {
        return "data.receipt_hash must be 64 hex digits (the keyed hash of the receipt code, never the code itself)";
    }
    if (earlier != data.end() && (!earlier->is_string() || !is_hex64(earlier->get_ref<const std::string&>()))) {
        return "data.earlier_receipt_hash must be 64 hex digits (the receipt code's hash under the earlier receipt key)";
    }
    return std::nullopt;
}

constexpr long long kMaxMillis = 24LL * 3600 * 1000;
constexpr std::array<std::string_view, 3> kScrubbedKinds{"email", "phone", "link"};

// A sorry card's code: kSorryCodeLength characters of Crockford's base32 (see receipt.hpp).
bool is_sorry_code(const std::string& code) {
    if (code.size() != 12) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
    });
}

Reason validate_data(EventType type, const nlohmann::json& data) {
    if (auto r = optional_boolean(data, "misuse")) return r;
    switch (type) {
        case EventType::SessionStart:
            if (auto r = only_known_fields(data, {"flow", "entry"})) return r;
            if (auto r = optional_string(data, "flow", {"fmot", "post_purchase"})) return r;
            return optional_string(data, "entry", {"touch", "barcode", "face", "call_to_action", "receipt_scan"});
        case EventType::SessionEnd:
            if (auto r = only_known_fields(data, {"outcome", "last_step", "flow"})) return r;
            if (auto r = need_string(data, "outcome", {"completed", "abandoned"})) return r;
            if (auto r = optional_string(data, "flow", {"fmot", "post_purchase"})) return r;
            return text_field(data, "last_step", false, kMaxStepNameLength);
        case EventType::FmotReaction:
            if (auto r = only_known_fields(data, {"reaction", "ms_to_react", "entry"})) return r;
            if (auto r = need_string(data, "reaction", {"very_unhappy", "unhappy", "happy", "very_happy"})) return r;
            if (auto r = optional_string(data, "entry", {"reaction_screen", "attract_face"})) return r;
            return need_integer(data, "ms_to_react", 0, kMaxMillis, false);
        case EventType::FmotDriver: {
            if (auto r = only_known_fields(data, {"drivers", "reaction", "ms_to_answer"})) return r;
            if (auto r = optional_string(data, "reaction", {"very_unhappy", "unhappy", "happy", "very_happy"})) return r;
            std::size_t count = 0;
            if (auto r = name_list(data, "drivers", wire_names(kDrivers), true, &count)) return r;
            if (count == 0) return "data.drivers must be a non-empty array";
            return need_integer(data, "ms_to_answer", 0, kMaxMillis, false);
        }
        case EventType::FmotIntent:
            if (auto r = only_known_fields(data, {"intent", "why_not", "ms_to_answer"})) return r;
            if (auto r = need_name(data, "intent", wire_names(kIntents))) return r;
            if (data.contains("why_not")) {
                if (auto r = need_name(data, "why_not", wire_names(kWhyNots))) return r;
            }
            return need_integer(data, "ms_to_answer", 0, kMaxMillis, false);
        case EventType::SmotFeedback: {
            if (auto r = only_known_fields(data, {"rating", "receipt", "receipt_hash", "earlier_receipt_hash", "nps", "met_expectations",
                                                  "comment", "ms_to_rate"})) {
                return r;
            }
            if (auto r = need_integer(data, "rating", 1, 5, true)) return r;
            if (auto r = optional_string(data, "receipt", {"keypad", "scanner", "skipped", "no_key"})) return r;
            if (auto r = optional_receipt_hash(data)) return r;
            if (const auto receipt = data.find("receipt"); receipt != data.end()) {
                const bool entered = *receipt == "keypad" || *receipt == "scanner";
                if (entered != data.contains("receipt_hash")) {
                    return std::string("data.receipt_hash must be given exactly when data.receipt is keypad or scanner");
                }
            }
            if (auto r = need_integer(data, "nps", 0, 10, false)) return r;
            if (auto r = optional_boolean(data, "met_expectations")) return r;
            if (auto r = need_integer(data, "ms_to_rate", 0, kMaxMillis, false)) return r;
            return optional_text(data, "comment");
        }
        case EventType::SmotExpectations:
            if (auto r = only_known_fields(data, {"expectations", "receipt_hash", "earlier_receipt_hash"})) return r;
            if (auto r = need_name(data, "expectations", wire_names(kExpectations))) return r;
            return optional_receipt_hash(data);
        case EventType::SmotRecommend:
            if (auto r = only_known_fields(data, {"score", "receipt_hash", "earlier_receipt_hash"})) return r;
            if (auto r = need_integer(data, "score", 0, 10, true)) return r;
            return optional_receipt_hash(data);
        case EventType::SmotTopics: {
            if (auto r = only_known_fields(data, {"glory", "pain", "receipt_hash", "earlier_receipt_hash"})) return r;
            std::size_t glory = 0;
            std::size_t pain = 0;
            if (auto r = name_list(data, "glory", wire_names(kPostPurchaseTopics), false, &glory)) return r;
            if (auto r = name_list(data, "pain", wire_names(kPostPurchaseTopics), false, &pain)) return r;
            if (glory + pain == 0) return "data.glory or data.pain must name at least one topic";
            return optional_receipt_hash(data);
        }
        case EventType::SmotComment:
            if (auto r = only_known_fields(data, {"comment", "removed", "receipt_hash", "earlier_receipt_hash"})) return r;
            if (auto r = text_field(data, "comment", true, kMaxTextLength, true)) return r;
            if (auto r = name_list(data, "removed", kScrubbedKinds, false)) return r;
            return optional_receipt_hash(data);
        case EventType::UmotConsent:
            if (auto r = only_known_fields(data, {"consent", "receipt_hash", "earlier_receipt_hash"})) return r;
            if (auto r = boolean_field(data, "consent", true)) return r;
            return optional_receipt_hash(data);
        case EventType::UmotReview:
            if (auto r = only_known_fields(data, {"rating", "text", "consent", "receipt_hash", "earlier_receipt_hash"})) return r;
            if (auto r = need_integer(data, "rating", 1, 5, true)) return r;
            if (auto r = need_string(data, "text", {})) return r;
            if (auto r = optional_text(data, "text")) return r;
            if (const auto consent = data.find("consent"); consent == data.end() || *consent != true) {
                return "data.consent must be true to share a review";
            }
            return optional_receipt_hash(data);
        case EventType::SorryCard: {
            if (auto r = only_known_fields(data, {"reason", "offer", "card_id", "code", "offer_text", "no_offer_because"})) {
                return r;
            }
            if (auto r = need_string(data, "reason", {"low_rating", "pain"})) return r;
            if (auto r = boolean_field(data, "offer", true)) return r;
            const bool offer = data.at("offer").get<bool>();
            if (offer) {
                const auto id = data.find("card_id");
                if (id == data.end() || !id->is_string() || !is_uuid(id->get<std::string>())) {
                    return "data.card_id must be the card's UUID when data.offer is true";
                }
                const auto code = data.find("code");
                if (code == data.end() || !code->is_string() || !is_sorry_code(code->get<std::string>())) {
                    return "data.code must be the card's 12-character code when data.offer is true";
                }
                if (auto r = text_field(data, "offer_text", true, kMaxOfferTextLength, true)) return r;
                if (data.contains("no_offer_because")) return "data.no_offer_because belongs only to a card without an offer";
                return std::nullopt;
            }
            if (data.contains("card_id") || data.contains("code") || data.contains("offer_text")) {
                return "data.card_id, data.code and data.offer_text belong only to a card with an offer";
            }
            return need_string(data, "no_offer_because", {"no_offer", "no_receipt_key"});
        }
        case EventType::PainReported:
            if (auto r = only_known_fields(data, {"moment", "reason", "topics", "rating"})) return r;
            if (auto r = need_string(data, "moment", {"smot"})) return r;
            if (auto r = need_string(data, "reason", {"low_rating", "pain_topics"})) return r;
            if (auto r = name_list(data, "topics", wire_names(kPostPurchaseTopics), false)) return r;
            return need_integer(data, "rating", 1, 5, false);
        case EventType::StaffShelf:
            if (auto r = only_known_fields(data, {"observation"})) return r;
            return need_name(data, "observation", wire_names(kShelfObservations));
        case EventType::StaffPin: {
            if (auto r = only_known_fields(data, {"outcome", "failures", "lockout_s"})) return r;
            if (auto r = need_string(data, "outcome", {"correct", "wrong", "locked_out"})) return r;
            const bool wrong = data.at("outcome").get<std::string>() == "wrong";
            if (auto r = need_integer(data, "failures", 1, 1000, wrong)) return r;
            if (!wrong && data.contains("failures")) return "data.failures belongs only to a wrong PIN";
            if (auto r = need_integer(data, "lockout_s", 1, 86400, false)) return r;
            if (!wrong && data.contains("lockout_s")) return "data.lockout_s belongs only to the wrong PIN that starts a lockout";
            return std::nullopt;
        }
        case EventType::StaffUndo:
            if (auto r = only_known_fields(data, {"undoes", "observation"})) return r;
            if (auto r = event_id_field(data, "undoes")) return r;
            return need_name(data, "observation", wire_names(kShelfObservations));
        case EventType::StaffSeen:
            if (auto r = only_known_fields(data, {"seen"})) return r;
            return event_id_field(data, "seen");
        case EventType::KioskHeartbeat:
            if (auto r = only_known_fields(data, {"pending", "quarantined", "oldest_pending_s", "version"})) return r;
            if (auto r = need_integer(data, "pending", 0, 1LL << 40, true)) return r;
            if (auto r = need_integer(data, "quarantined", 0, 1LL << 40, false)) return r;
            if (auto r = need_integer(data, "oldest_pending_s", 0, 1LL << 40, false)) return r;
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
        case EventType::StaffUndo:
        case EventType::StaffSeen:
        case EventType::SmotExpectations:
        case EventType::SmotRecommend:
        case EventType::SmotTopics:
        case EventType::SmotComment:
        case EventType::UmotConsent:
        case EventType::SorryCard:
        case EventType::PainReported:
            return true;
        default:
            return false;
    }
}

bool may_carry_receipt_hash(EventType type) {
    switch (type) {
        case EventType::SmotFeedback:
        case EventType::SmotExpectations:
        case EventType::SmotRecommend:
        case EventType::SmotTopics:
        case EventType::SmotComment:
        case EventType::UmotConsent:
        case EventType::UmotReview:
            return true;
        default:
            return false;
    }
}

bool is_hex64(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
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
