// The wire codec: events round-trip byte for byte; batches keep good events beside bad ones.
#include <catch2/catch.hpp>

#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint::core;

namespace {

Event sample_event(UuidV7Generator& ids) {
    Event event;
    event.id = ids.next();
    event.type = EventType::FmotReaction;
    event.occurred_at = *parse_rfc3339("2026-11-22T06:43:14.123Z");
    event.session_id = ids.next();
    event.locale = "ar";
    event.sku = "5000159407236";
    event.data = {{"reaction", "unhappy"}, {"ms_to_react", 3100}};
    return event;
}

}  // namespace

TEST_CASE("an event encodes and decodes to the same bytes", "[wire]") {
    UuidV7Generator ids;
    const Event event = sample_event(ids);
    const std::string text = encode_event(event);
    const auto decoded = decode_event_text(text);
    REQUIRE(decoded);
    CHECK(encode_event(decoded.value()) == text);
    CHECK(decoded.value().locale == "ar");
    CHECK(text.find("\"occurred_at\":\"2026-11-22T06:43:14.123Z\"") != std::string::npos);
}

TEST_CASE("decoding refuses with a reason, never throws", "[wire]") {
    CHECK(decode_event_text("{").error().message == "not valid JSON");
    CHECK(decode_event_text("[]").error().message == "an event must be a JSON object");
    CHECK(decode_event_text(R"({"id": 5})").error().message == "id is missing");
    UuidV7Generator ids;
    auto json = event_to_json(sample_event(ids));
    json["type"] = "fmot.shrug";
    CHECK(decode_event(json).error().message == "unknown type 'fmot.shrug'");
    json = event_to_json(sample_event(ids));
    json["occurred_at"] = "yesterday";
    CHECK(decode_event(json).error().message == "occurred_at is not an RFC 3339 time");
    json = event_to_json(sample_event(ids));
    json["sku"] = 42;
    CHECK(decode_event(json).error().message == "sku must be a string");
}

TEST_CASE("a batch keeps its good events beside its bad ones", "[wire]") {
    UuidV7Generator ids;
    const std::string good = encode_event(sample_event(ids));
    auto bad_json = event_to_json(sample_event(ids));
    bad_json["data"]["reaction"] = "meh";
    const std::string body = encode_batch("b-1", {good, bad_json.dump(), "17"});

    const auto batch = decode_batch(body);
    REQUIRE(batch);
    CHECK(batch.value().batch_id == "b-1");
    REQUIRE(batch.value().items.size() == 3);
    CHECK(batch.value().items[0].reason.empty());
    CHECK(batch.value().items[0].canonical == good);
    CHECK(batch.value().items[1].id == bad_json["id"]);
    CHECK(batch.value().items[1].reason == "data.reaction has an unknown value 'meh'");
    CHECK(batch.value().items[2].reason == "an event must be a JSON object");

    SECTION("a malformed whole is refused") {
        CHECK(decode_batch("not json").error().message == "the body is not valid JSON");
        CHECK(decode_batch(R"({"events": []})").error().message == "batch_id must be a string of 1 to 64 characters");
        CHECK(decode_batch(R"({"batch_id": "x", "events": {}})").error().message == "events must be an array");
    }
}

TEST_CASE("batch replies round-trip", "[wire]") {
    BatchReply reply{3, 2, {{"0190f1a2-3b4c-7d5e-8f60-718293a4b5c6", "conflict"}}};
    const auto decoded = decode_batch_reply(encode_batch_reply(reply));
    REQUIRE(decoded);
    CHECK(decoded.value().accepted == 3);
    CHECK(decoded.value().duplicates == 2);
    REQUIRE(decoded.value().rejected.size() == 1);
    CHECK(decoded.value().rejected[0].reason == "conflict");
    CHECK_FALSE(decode_batch_reply(R"({"accepted": 1})"));
}
