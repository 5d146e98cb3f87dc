// The event model shared by kiosk and hub: one envelope and its types. docs/events.md is the contract for
// every type and its `data`; validate_event follows it field by field.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/vocabulary.hpp"

namespace truthpoint::core {

enum class EventType {
    SessionStart,
    SessionEnd,
    FmotReaction,
    FmotDriver,
    FmotIntent,
    SmotFeedback,
    UmotReview,
    StaffShelf,
    KioskHeartbeat,
    // The post-purchase moments (second and ultimate): one event per answered step.
    SmotExpectations,
    SmotRecommend,
    SmotTopics,
    SmotComment,
    UmotConsent,
    SorryCard,
    PainReported,
    StaffPin,  // an audit of the staff PIN pad: every verdict and every PIN refused during a lockout
    StaffUndo,  // staff took back a mistaken staff.shelf tap: nothing is deleted
    StaffSeen,  // staff marked a shopper's reported pain as seen at the kiosk
};

inline constexpr std::array kAllEventTypes{
    EventType::SessionStart, EventType::SessionEnd,   EventType::FmotReaction,
    EventType::FmotDriver,   EventType::FmotIntent,   EventType::SmotFeedback,
    EventType::UmotReview,   EventType::StaffShelf,   EventType::KioskHeartbeat, EventType::SmotExpectations,
    EventType::SmotRecommend, EventType::SmotTopics,  EventType::SmotComment,    EventType::UmotConsent,
    EventType::SorryCard,    EventType::PainReported, EventType::StaffPin,       EventType::StaffUndo,
    EventType::StaffSeen,
};

// Wire names: "session.start", "fmot.reaction", ...
std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);
// Whether events of this type concern one product and so must carry a sku.
bool requires_sku(EventType type);
// The post-purchase answers that may carry data.receipt_hash (the keyed hash of a receipt code): with a
// till's receipt holding the same hash and sku, the hub counts them as a verified purchase.
bool may_carry_receipt_hash(EventType type);

// Whether `text` is 64 hex digits (lower or upper case): a receipt hash or a key.
bool is_hex64(std::string_view text);

// The four faces: no neutral, as HappyOrNot argues.
enum class Reaction { VeryUnhappy, Unhappy, Happy, VeryHappy };
inline constexpr std::array kAllReactions{Reaction::VeryUnhappy, Reaction::Unhappy, Reaction::Happy,
                                          Reaction::VeryHappy};
std::string_view to_string(Reaction reaction);
std::optional<Reaction> parse_reaction(std::string_view name);

struct Event {
    std::string id;  // UUIDv7
    EventType type = EventType::SessionStart;
    Timestamp occurred_at{};
    std::string session_id;
    std::string locale;  // "en", "fa", "ar", "el", "tr"
    std::string sku;     // empty when no product is concerned
    nlohmann::json data = nlohmann::json::object();  // type-specific, checked by validate_event
};

// Why an event is not acceptable, or nullopt when it is. Never throws.
std::optional<std::string> validate_event(const Event& event);

}  // namespace truthpoint::core
