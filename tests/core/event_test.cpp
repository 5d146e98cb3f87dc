// Per-type validation: what each event type must carry.
#include <catch2/catch.hpp>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint::core;

namespace {

Event valid_reaction() {
    UuidV7Generator ids;
    Event event;
    event.id = ids.next();
    event.type = EventType::FmotReaction;
    event.occurred_at = now_utc();
    event.session_id = ids.next();
    event.locale = "fa";
    event.sku = "8710398500103";
    event.data = {{"reaction", "very_happy"}, {"ms_to_react", 2300}};
    return event;
}

}  // namespace

TEST_CASE("event type names round-trip", "[event]") {
    for (EventType type : kAllEventTypes) CHECK(parse_event_type(to_string(type)) == type);
    CHECK(to_string(EventType::FmotReaction) == "fmot.reaction");
    CHECK_FALSE(parse_event_type("fmot.neutral"));
}

TEST_CASE("validation names what is wrong", "[event]") {
    Event event = valid_reaction();
    CHECK_FALSE(validate_event(event));

    SECTION("no neutral face") {
        event.data["reaction"] = "neutral";
        CHECK(validate_event(event).value() == "data.reaction has an unknown value 'neutral'");
    }
    SECTION("a product event needs its sku") {
        event.sku.clear();
        CHECK(validate_event(event).value() == "fmot.reaction needs a sku");
    }
    SECTION("ids must be UUIDv7") {
        event.id = "not-a-uuid";
        CHECK(validate_event(event).value() == "id must be a lower-case UUIDv7");
    }
    SECTION("times to react are bounded") {
        event.data["ms_to_react"] = -1;
        CHECK(validate_event(event));
    }
    SECTION("SMOT ratings are 1-5 and NPS 0-10") {
        event.type = EventType::SmotFeedback;
        event.data = {{"rating", 4}, {"nps", 9}, {"met_expectations", true}, {"comment", "tasty"}};
        CHECK_FALSE(validate_event(event));
        event.data["nps"] = 11;
        CHECK(validate_event(event).value() == "data.nps must be between 0 and 10");
    }
    SECTION("a review is shared only with consent") {
        event.type = EventType::UmotReview;
        event.data = {{"rating", 5}, {"text", "great"}, {"consent", false}};
        CHECK(validate_event(event).value() == "data.consent must be true to share a review");
    }
    SECTION("a heartbeat needs no product") {
        event.type = EventType::KioskHeartbeat;
        event.sku.clear();
        event.data = {{"pending", 12}, {"version", "0.1.0"}};
        CHECK_FALSE(validate_event(event));
    }
}
