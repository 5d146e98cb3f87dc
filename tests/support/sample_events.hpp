// Valid events for tests that need some in a ledger: a shopper's reaction, as the kiosk records it.
#pragma once

#include <string>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/uuid.hpp"

namespace truthpoint::testing {

inline core::Event sample_reaction(core::UuidV7Generator& ids, const std::string& reaction = "happy",
                                   const std::string& sku = "5905471003701") {
    core::Event event;
    event.id = ids.next();
    event.type = core::EventType::FmotReaction;
    event.occurred_at = core::now_utc();
    event.session_id = ids.next();
    event.locale = "en";
    event.sku = sku;
    event.data = {{"reaction", reaction}, {"ms_to_react", 1200}, {"misuse", false}};
    return event;
}

}  // namespace truthpoint::testing
