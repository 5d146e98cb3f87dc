// The event model shared by kiosk and hub: one envelope, nine types (DESIGN.md, "Event envelope").
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "truthpoint/core/time.hpp"

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
};

inline constexpr std::array kAllEventTypes{
    EventType::SessionStart, EventType::SessionEnd,   EventType::FmotReaction,
    EventType::FmotDriver,   EventType::FmotIntent,   EventType::SmotFeedback,
    EventType::UmotReview,   EventType::StaffShelf,   EventType::KioskHeartbeat,
};

// Wire names: "session.start", "fmot.reaction", ...
std::string_view to_string(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);
// Whether events of this type concern one product and so must carry a sku.
bool requires_sku(EventType type);

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
