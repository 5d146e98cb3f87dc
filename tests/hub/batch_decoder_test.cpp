// decode_batch_body (simdjson) against core::decode_batch (nlohmann) on the same bodies: the same items,
// reasons and canonical texts — so the payload hash, and with it duplicate vs conflict, keeps its meaning.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

void check_same_as_core(const std::string& body) {
    INFO(body);
    const auto expected = core::decode_batch(body);
    std::string copy = body;
    const auto actual = hub::decode_batch_body(copy);
    CHECK(copy == body);
    REQUIRE(actual.ok() == expected.ok());
    if (!expected.ok()) {
        CHECK(actual.error().message == expected.error().message);
        return;
    }
    CHECK(actual.value().batch_id == expected.value().batch_id);
    REQUIRE(actual.value().items.size() == expected.value().items.size());
    for (std::size_t i = 0; i < expected.value().items.size(); ++i) {
        const auto& want = expected.value().items[i];
        const auto& got = actual.value().items[i];
        INFO("item " << i);
        CHECK(got.id == want.id);
        CHECK(got.reason == want.reason);
        CHECK(got.canonical == want.canonical);
        CHECK(got.data_size == want.data_size);
        if (want.reason.empty()) {
            CHECK(got.event.data == want.event.data);
            CHECK(got.canonical == core::event_to_json(got.event).dump());
            CHECK(got.canonical.substr(8, got.data_size) == got.event.data.dump());
        }
    }
}

// A valid event's JSON with `edit` applied to it.
std::string edited_event(const std::function<void(nlohmann::json&)>& edit) {
    auto json = core::event_to_json(make_event(core::EventType::FmotReaction));
    edit(json);
    return json.dump();
}

std::string body_of(const std::vector<std::string>& events, const std::string& head = R"("batch_id":"b-1",)") {
    std::string body = "{" + head + R"("events":[)";
    for (std::size_t i = 0; i < events.size(); ++i) body += (i ? "," : "") + events[i];
    return body + "]}";
}

}  // namespace

TEST_CASE("the hub's batch parse gives core::decode_batch's result", "[hub][ingest]") {
    SECTION("one valid event of each type") {
        std::vector<core::Event> events;
        for (const auto type : core::kAllEventTypes) events.push_back(make_event(type));
        check_same_as_core(batch_body(events));
    }
    SECTION("bad elements keep their reasons, good ones their canonical text") {
        check_same_as_core(body_of({
            "42",
            R"({"type":"fmot.reaction"})",
            edited_event([](auto& e) { e["type"] = "no.such.type"; }),
            edited_event([](auto& e) { e["occurred_at"] = "yesterday"; }),
            edited_event([](auto& e) { e["sku"] = 7; }),
            edited_event([](auto& e) { e["sku"] = nullptr; }),
            edited_event([](auto& e) { e["extra"] = {{"ignored", true}}; }),
            edited_event([](auto& e) { e.erase("data"); }),
            edited_event([](auto& e) { e["data"]["reaction"] = 3; }),
            edited_event([](auto& e) { e["session_id"] = "caf\u00e9 \"quoted\" \\ \n\t\x01 \xF0\x9F\x98\x80"; }),
            edited_event([](auto& e) { e["occurred_at"] = "2026-01-31T10:15:02.1234+02:00"; }),
        }));
    }
    SECTION("escapes, repeated keys and numbers as nlohmann reads them") {
        const std::string good = edited_event([](auto&) {});
        std::string repeated = good;
        repeated.insert(1, R"("type":"session.start",)");  // the later "type" wins, as in nlohmann
        std::string escaped = good;
        escaped.replace(escaped.find("\"locale\""), 8, R"("l\u006fcale")");
        std::string numbers = edited_event([](auto& e) {
            e["data"]["n"] = {0, -0, 1.0, 1e2, -5, 9223372036854775808ULL, 18446744073709551615ULL, 0.1, -2.5e-3};
        });
        std::string data_repeated = edited_event([](auto&) {});
        data_repeated.replace(data_repeated.find("{\"data\":{") + 9, 0, R"("z":1,"z":2,)");
        check_same_as_core(body_of({repeated, escaped, numbers, data_repeated}));
    }
    SECTION("whole bodies refused, or read only by nlohmann") {
        const std::string good = edited_event([](auto&) {});
        for (const std::string& body : {
                 std::string("not json"), std::string("[1,2]"), std::string("{}"), body_of({good}, ""),
                 body_of({good}, R"("batch_id":"",)"), body_of({good}, R"("batch_id":")" + std::string(65, 'b') + "\","),
                 body_of({good}, R"("batch_id":"a","batch_id":"b",)"), std::string(R"({"batch_id":"b","events":{}})"),
                 "\xEF\xBB\xBF" + body_of({good}),                                 // a UTF-8 BOM
                 body_of({edited_event([](auto& e) { e["data"]["big"] = 1; })}) + " ",  // trailing space
                 [&] {  // an integer past 2^64: simdjson refuses, nlohmann reads a double
                     std::string big = body_of({good});
                     big.insert(big.size() - 2, R"(,{"data":{"n":18446744073709551616}})");
                     return big;
                 }(),
                 body_of({}), std::string(R"({"batch_id":"b","events":[{"id":"\ud800"}]})"),
                 std::string("{\"batch_id\":\"b\",\"events\":[\"\x01\"]}")}) {
            check_same_as_core(body);
        }
    }
}

TEST_CASE("encode_event writes what event_to_json(event).dump() writes", "[core][wire]") {
    for (const auto type : core::kAllEventTypes) {
        core::Event event = make_event(type);
        event.session_id = "s \"1\" \\ \x7f \x1f caf\u00e9";
        std::size_t data_size = 0;
        const std::string text = core::encode_event(event, &data_size);
        CHECK(text == core::event_to_json(event).dump());
        CHECK(text.substr(0, 8) == "{\"data\":");
        CHECK(text.substr(8, data_size) == event.data.dump());
        event.sku.clear();
        CHECK(core::encode_event(event) == core::event_to_json(event).dump());
    }
}
