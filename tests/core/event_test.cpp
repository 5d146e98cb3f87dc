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
    SECTION("drivers may name the reaction they explain; older kiosks leave it out") {
        event.type = EventType::FmotDriver;
        event.data = {{"drivers", {"price"}}, {"ms_to_answer", 1200}};
        CHECK_FALSE(validate_event(event));
        event.data["reaction"] = "unhappy";
        CHECK_FALSE(validate_event(event));
        event.data["reaction"] = "neutral";
        CHECK(validate_event(event).value() == "data.reaction has an unknown value 'neutral'");
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

TEST_CASE("post-purchase events follow docs/events.md", "[event][post_purchase]") {
    Event event = valid_reaction();
    const std::string hash(64, 'c');

    SECTION("the rating says how the purchase was named, and carries the hash exactly when a receipt was given") {
        event.type = EventType::SmotFeedback;
        event.data = {{"rating", 2}, {"receipt", "keypad"}, {"receipt_hash", hash}, {"ms_to_rate", 900}};
        CHECK_FALSE(validate_event(event));
        event.data["receipt"] = "no_key";
        CHECK(validate_event(event).value() ==
              "data.receipt_hash must be given exactly when data.receipt is keypad or scanner");
        event.data.erase("receipt_hash");
        CHECK_FALSE(validate_event(event));
        event.data["receipt_hash"] = "4006381333931";  // a receipt code in clear is never a hash
        CHECK_THAT(validate_event(event).value(), Catch::StartsWith("data.receipt_hash must be 64 hex digits"));
    }
    SECTION("an unknown field is refused with its name") {
        event.type = EventType::SmotRecommend;
        event.data = {{"score", 10}, {"receipt_code", "12345"}};
        CHECK(validate_event(event).value() == "data.receipt_code is not a field of this event type (see docs/events.md)");
    }
    SECTION("recommendation is 0 to 10, expectations one of three") {
        event.type = EventType::SmotRecommend;
        event.data = {{"score", 0}};
        CHECK_FALSE(validate_event(event));
        event.data["score"] = 11;
        CHECK(validate_event(event).value() == "data.score must be between 0 and 10");
        event.type = EventType::SmotExpectations;
        event.data = {{"expectations", "beyond"}};
        CHECK_FALSE(validate_event(event));
        event.data["expectations"] = "exceeded";
        CHECK(validate_event(event).value() == "data.expectations has an unknown value 'exceeded'");
    }
    SECTION("topics come from the fixed list, each once, at least one") {
        event.type = EventType::SmotTopics;
        event.data = {{"pain", {"checkout", "freshness"}}};
        CHECK_FALSE(validate_event(event));
        event.data = {{"glory", {"delivery"}}};
        CHECK(validate_event(event).value() == "data.glory holds an unknown name");
        event.data = {{"glory", {"quality", "quality"}}};
        CHECK(validate_event(event).value() == "data.glory names 'quality' twice");
        event.data = {{"glory", nlohmann::json::array()}, {"pain", nlohmann::json::array()}};
        CHECK(validate_event(event).value() == "data.glory or data.pain must name at least one topic");
    }
    SECTION("a comment is not empty and says what was removed") {
        event.type = EventType::SmotComment;
        event.data = {{"comment", "…"}, {"removed", {"email", "phone"}}};
        CHECK_FALSE(validate_event(event));
        event.data["comment"] = "";
        CHECK(validate_event(event).value() == "data.comment must not be empty");
        event.data = {{"comment", "ok"}, {"removed", {"address"}}};
        CHECK(validate_event(event).value() == "data.removed holds an unknown name");
    }
    SECTION("consent is its own event, yes or no") {
        event.type = EventType::UmotConsent;
        event.data = {{"consent", false}};
        CHECK_FALSE(validate_event(event));
        event.data = nlohmann::json::object();
        CHECK(validate_event(event).value() == "data.consent is missing");
    }
    SECTION("a sorry card with an offer carries its id, code and text; one without says why") {
        UuidV7Generator ids;
        event.type = EventType::SorryCard;
        event.data = {{"reason", "low_rating"}, {"offer", true}, {"card_id", ids.next()}, {"code", "7K3M9Q2XH4PZ"},
                      {"offer_text", "A free coffee"}};
        CHECK_FALSE(validate_event(event));
        event.data["code"] = "7K3M9Q2XH4PI";  // I is not Crockford base32
        CHECK(validate_event(event).value() == "data.code must be the card's 12-character code when data.offer is true");
        event.data = {{"reason", "pain"}, {"offer", false}, {"no_offer_because", "no_receipt_key"}};
        CHECK_FALSE(validate_event(event));
        event.data["code"] = "7K3M9Q2XH4PZ";
        CHECK(validate_event(event).value() ==
              "data.card_id, data.code and data.offer_text belong only to a card with an offer");
    }
    SECTION("a pain names its moment and why") {
        event.type = EventType::PainReported;
        event.data = {{"moment", "smot"}, {"reason", "low_rating"}, {"rating", 1}};
        CHECK_FALSE(validate_event(event));
        event.data["reason"] = "sad";
        CHECK(validate_event(event).value() == "data.reason has an unknown value 'sad'");
    }
    SECTION("which answers may carry a receipt hash") {
        CHECK(may_carry_receipt_hash(EventType::SmotFeedback));
        CHECK(may_carry_receipt_hash(EventType::SmotComment));
        CHECK(may_carry_receipt_hash(EventType::UmotReview));
        CHECK_FALSE(may_carry_receipt_hash(EventType::SorryCard));
        CHECK_FALSE(may_carry_receipt_hash(EventType::FmotReaction));
    }
}
