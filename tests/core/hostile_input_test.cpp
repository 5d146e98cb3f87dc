// Input an attacker (or a broken peer) sends: every decoder answers with a value or a reason, never an
// exception or a crash, and never builds more than its limits allow.
#include <catch2/catch.hpp>

#include <map>

#include "truthpoint/core/config_document.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint::core;
using json = nlohmann::json;

namespace {

// A valid event of each type, with every optional field of its data filled in.
const std::string kHash(64, 'a');

Event full_event(EventType type) {
    UuidV7Generator ids;
    Event event;
    event.id = ids.next();
    event.type = type;
    event.occurred_at = now_utc();
    event.session_id = ids.next();
    event.locale = "en";
    if (requires_sku(type)) event.sku = "8710398500103";
    switch (type) {
        case EventType::SessionStart: event.data = {{"flow", "post_purchase"}, {"entry", "receipt_scan"}}; break;
        case EventType::SessionEnd:
            event.data = {{"outcome", "completed"}, {"last_step", "intent"}, {"flow", "fmot"}};
            break;
        case EventType::FmotReaction:
            event.data = {{"reaction", "happy"}, {"ms_to_react", 900}, {"entry", "attract_face"}};
            break;
        case EventType::FmotDriver: event.data = {{"drivers", {"price", "brand"}}, {"ms_to_answer", 1200}}; break;
        case EventType::FmotIntent:
            event.data = {{"intent", "not_buying"}, {"why_not", "price"}, {"ms_to_answer", 800}};
            break;
        case EventType::SmotFeedback:
            event.data = {{"rating", 4},        {"nps", 9},          {"met_expectations", true}, {"comment", "fine"},
                          {"receipt", "keypad"}, {"receipt_hash", kHash}, {"ms_to_rate", 1500}};
            break;
        case EventType::UmotReview:
            event.data = {{"rating", 5}, {"text", "lovely"}, {"consent", true}, {"receipt_hash", kHash}};
            break;
        case EventType::StaffShelf: event.data = {{"observation", "compared"}}; break;
        case EventType::KioskHeartbeat:
            event.data = {{"pending", 3}, {"quarantined", 0}, {"oldest_pending_s", 12}, {"version", "1.0"}};
            break;
        case EventType::SmotExpectations: event.data = {{"expectations", "beyond"}, {"receipt_hash", kHash}}; break;
        case EventType::SmotRecommend: event.data = {{"score", 9}, {"receipt_hash", kHash}}; break;
        case EventType::SmotTopics:
            event.data = {{"glory", {"quality"}}, {"pain", {"checkout", "staff_help"}}, {"receipt_hash", kHash}};
            break;
        case EventType::SmotComment:
            event.data = {{"comment", "fine"}, {"removed", {"phone"}}, {"receipt_hash", kHash}};
            break;
        case EventType::UmotConsent: event.data = {{"consent", false}, {"receipt_hash", kHash}}; break;
        case EventType::SorryCard:
            event.data = {{"reason", "pain"}, {"offer", true}, {"card_id", ids.next()}, {"code", "0123456789AB"},
                          {"offer_text", "10% off"}};
            break;
        case EventType::PainReported:
            event.data = {{"moment", "smot"}, {"reason", "pain_topics"}, {"topics", {"freshness"}}, {"rating", 2}};
            break;
        case EventType::StaffPin: event.data = {{"outcome", "wrong"}, {"failures", 5}, {"lockout_s", 120}}; break;
        case EventType::StaffUndo: event.data = {{"undoes", ids.next()}, {"observation", "put_back"}}; break;
        case EventType::StaffSeen: event.data = {{"seen", ids.next()}}; break;
    }
    event.data["misuse"] = false;
    return event;
}

enum class Kind { String, Integer, Boolean, Array };

// The JSON type each known data field must have (docs: core::validate_event and the writers that read them).
const std::map<std::string, Kind> kFieldKinds{
    {"outcome", Kind::String},   {"last_step", Kind::String},      {"reaction", Kind::String},
    {"ms_to_react", Kind::Integer}, {"drivers", Kind::Array},      {"ms_to_answer", Kind::Integer},
    {"intent", Kind::String},    {"why_not", Kind::String},        {"rating", Kind::Integer},
    {"nps", Kind::Integer},      {"met_expectations", Kind::Boolean}, {"comment", Kind::String},
    {"text", Kind::String},      {"consent", Kind::Boolean},       {"observation", Kind::String},
    {"pending", Kind::Integer},  {"version", Kind::String},        {"misuse", Kind::Boolean},
    {"flow", Kind::String},      {"entry", Kind::String},          {"receipt", Kind::String},
    {"receipt_hash", Kind::String}, {"ms_to_rate", Kind::Integer}, {"quarantined", Kind::Integer},
    {"oldest_pending_s", Kind::Integer}, {"expectations", Kind::String}, {"score", Kind::Integer},
    {"glory", Kind::Array},      {"pain", Kind::Array},            {"removed", Kind::Array},
    {"reason", Kind::String},    {"offer", Kind::Boolean},         {"card_id", Kind::String},
    {"code", Kind::String},      {"offer_text", Kind::String},     {"moment", Kind::String},
    {"topics", Kind::Array},     {"failures", Kind::Integer},      {"lockout_s", Kind::Integer},
    {"undoes", Kind::String},    {"seen", Kind::String},
};

bool has_kind(const json& value, Kind kind) {
    switch (kind) {
        case Kind::String: return value.is_string();
        case Kind::Integer: return value.is_number_integer();
        case Kind::Boolean: return value.is_boolean();
        case Kind::Array: return value.is_array();
    }
    return false;
}

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// A batch of one event whose data holds "x": `levels` nested arrays; the body's depth is levels + 4.
std::string batch_with_nesting(std::size_t levels) {
    std::string event = event_to_json(full_event(EventType::SessionStart)).dump();
    event.replace(event.find("\"data\":{") + 8, 0, "\"x\":" + nested_arrays(levels) + ",");
    return R"({"batch_id":"b","events":[)" + event + "]}";
}

}  // namespace

TEST_CASE("every wrongly typed field of every event type is a rejection with a reason", "[event][hostile]") {
    const std::vector<json> values{"yes", "", 1, -1, 0, 1.5, 1e300, true, false, nullptr, json::array(),
                                   json::array({"price"}), json::object(), 18446744073709551615ULL};
    for (const EventType type : kAllEventTypes) {
        const Event valid = full_event(type);
        INFO(to_string(type));
        REQUIRE_FALSE(validate_event(valid));
        for (const auto& [field, _] : valid.data.items()) {
            const Kind kind = kFieldKinds.at(field);
            for (const json& value : values) {
                Event event = valid;
                event.data[field] = value;
                INFO(field << " = " << value.dump());
                std::optional<std::string> reason;
                REQUIRE_NOTHROW(reason = validate_event(event));
                if (!has_kind(value, kind)) {
                    REQUIRE(reason);
                    CHECK_THAT(*reason, Catch::Contains("data." + field));
                }
                // The whole path a kiosk's event takes at the hub: decode, never a throw.
                REQUIRE_NOTHROW(decode_event(event_to_json(event)));
            }
        }
    }
}

TEST_CASE("misuse and consent of the wrong type are refused, not thrown", "[event][hostile]") {
    Event event = full_event(EventType::FmotReaction);
    event.data["misuse"] = "yes";
    CHECK(validate_event(event).value() == "data.misuse must be true or false");
    event = full_event(EventType::UmotReview);
    event.data["consent"] = "yes";
    CHECK(validate_event(event).value() == "data.consent must be true to share a review");
    event.data["consent"] = false;
    CHECK(validate_event(event).value() == "data.consent must be true to share a review");
}

TEST_CASE("RFC 3339 accepts only instants the text form round-trips", "[time][hostile]") {
    SECTION("an offset that carries the instant past year 9999 or before year 1 is refused") {
        CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:59-23:59"));
        CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:59-00:01"));
        CHECK_FALSE(parse_rfc3339("9999-12-31T23:59:60Z"));
        CHECK_FALSE(parse_rfc3339("0001-01-01T00:00:00+00:01"));
        CHECK_FALSE(parse_rfc3339("0000-06-15T12:00:00Z"));
    }
    SECTION("the ends of the window round-trip, zero-padded") {
        for (const char* text : {"0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "0099-03-04T05:06:07.008Z"}) {
            const auto instant = parse_rfc3339(text);
            REQUIRE(instant);
            CHECK(format_rfc3339(*instant) == text);
        }
        CHECK(parse_rfc3339("9999-12-31T23:59:59+23:59"));
        CHECK(parse_rfc3339("0001-01-01T00:00:00-23:59"));
    }
    SECTION("an instant outside the window is written as its nearest end, 24 characters") {
        CHECK(format_rfc3339(max_rfc3339_instant() + std::chrono::hours(24 * 400)) == "9999-12-31T23:59:59.999Z");
        CHECK(format_rfc3339(min_rfc3339_instant() - std::chrono::hours(1)) == "0001-01-01T00:00:00.000Z");
        CHECK(format_rfc3339(Timestamp{}).size() == 24);
    }
}

TEST_CASE("a batch past the limits is refused as a whole, early, without recursion", "[wire][hostile]") {
    SECTION("nesting") {
        CHECK(decode_batch(batch_with_nesting(kMaxBatchDepth - 4)).ok());
        const auto deep = decode_batch(batch_with_nesting(kMaxBatchDepth - 3));
        REQUIRE_FALSE(deep);
        CHECK_THAT(deep.error().message, Catch::Contains("levels deep"));
        for (std::size_t levels : {2000, 60000, 1000000}) {
            const auto refused = decode_batch(batch_with_nesting(levels));
            REQUIRE_FALSE(refused);
            CHECK_THAT(refused.error().message, Catch::Contains("levels deep"));
        }
        // Deep inside a top-level field nobody reads counts too.
        CHECK_FALSE(decode_batch(R"({"batch_id":"b","events":[],"x":)" + nested_arrays(100000) + "}"));
    }
    SECTION("the number of events") {
        std::string body = R"({"batch_id":"b","events":[)";
        for (std::size_t i = 0; i < kMaxBatchEvents; ++i) body += i ? ",0" : "0";
        const auto at_limit = decode_batch(body + "]}");
        REQUIRE(at_limit);
        CHECK(at_limit.value().items.size() == kMaxBatchEvents);
        CHECK(at_limit.value().items[0].reason == "an event must be a JSON object");
        const auto over = decode_batch(body + ",0]}");
        REQUIRE_FALSE(over);
        CHECK_THAT(over.error().message, Catch::Contains("more than 10000 events"));
    }
    SECTION("the values in one event") {
        Event event = full_event(EventType::SessionStart);
        event.data["x"] = json::array();
        for (std::size_t i = 0; i < kMaxEventValues; ++i) event.data["x"].push_back(i);
        const auto refused = decode_batch(R"({"batch_id":"b","events":[)" + event_to_json(event).dump() + "]}");
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message, Catch::Contains("event 0 holds more than 1000 JSON values"));
    }
    SECTION("an event's data past its size is that event's rejection only") {
        Event big = full_event(EventType::SessionStart);
        big.data["x"] = std::string(kMaxEventDataBytes, 'a');
        const Event fine = full_event(EventType::SessionStart);
        const auto decoded = decode_batch(encode_batch("b", {encode_event(big), encode_event(fine)}));
        REQUIRE(decoded);
        REQUIRE(decoded.value().items.size() == 2);
        CHECK(decoded.value().items[0].id == big.id);
        // Every field of every type is bounded now, so an unknown field is what makes data this large: the
        // validator names it before the size cap (kept as a second line of defence) is reached.
        CHECK(decoded.value().items[0].reason == "data.x is not a field of this event type (see docs/events.md)");
        CHECK(decoded.value().items[1].reason.empty());
    }
}

TEST_CASE("a configuration document never throws: a number past a double is a reason", "[config][hostile]") {
    for (const std::string text : {R"({"format": 1e400})", "1e400", R"({"format": -1e400})",
                                   R"({"format": 1, "catalog": {"products": [1e999]}})"}) {
        INFO(text);
        Result<ConfigDocument> decoded = ConfigDocument{};
        REQUIRE_NOTHROW(decoded = decode_config_document(text));
        REQUIRE_FALSE(decoded);
        CHECK_THAT(decoded.error().message, Catch::StartsWith("not valid JSON"));
    }
    Result<ConfigDocument> deep = ConfigDocument{};
    REQUIRE_NOTHROW(deep = decode_config_document(nested_arrays(200000)));
    CHECK_FALSE(deep);
}
