// The configuration document's alerts (core/src/config_document.cpp): what the hub adds for a store's kiosks
// round-trips byte for byte, and each mistake is refused with the field's path.
#include <catch2/catch.hpp>

#include "truthpoint/core/config_document.hpp"
#include "truthpoint/core/time.hpp"

using namespace truthpoint::core;
using json = nlohmann::json;

namespace {

json minimal_document() {
    return {{"format", 1},
            {"catalog", {{"products", {{{"sku", "5206142000310"}, {"names", {{"en", "Honey"}}}}}}}},
            {"questions", {{"drivers", {"price"}}, {"why_not", {"price"}}}}};
}

json pain_alert() {
    return {{"id", "018f0000-0000-7000-8000-000000000001"},
            {"rule", "pain"},
            {"state", "open"},
            {"summary", "pain reported on 5206142000310: checkout"},
            {"opened_at", "2026-03-02T10:00:00.000Z"},
            {"last_fired_at", "2026-03-02T10:05:00.000Z"},
            {"times_fired", 2}};
}

std::string refusal(const json& document, UnknownFields unknown = UnknownFields::Refuse) {
    const auto decoded = decode_config_document(document.dump(), unknown);
    REQUIRE_FALSE(decoded);
    return decoded.error().message;
}

}  // namespace

TEST_CASE("alerts round-trip through the codec in a fixed order", "[config][alerts]") {
    json document = minimal_document();
    json silent = pain_alert();
    silent["id"] = "018f0000-0000-7000-8000-000000000002";
    silent["rule"] = "kiosk_silent";
    silent["state"] = "acknowledged";
    silent["kiosk"] = "k-7";
    json unhappy = pain_alert();
    unhappy["id"] = "018f0000-0000-7000-8000-000000000003";
    unhappy["rule"] = "unhappy_share";
    unhappy["window_minutes"] = 15;
    document["alerts"] = {pain_alert(), silent, unhappy};

    const auto decoded = decode_config_document(document.dump(2));
    REQUIRE(decoded);
    const auto& alerts = decoded.value().alerts;
    REQUIRE(alerts.size() == 3);
    CHECK(alerts[0].id == "018f0000-0000-7000-8000-000000000001");
    CHECK(alerts[0].rule == "pain");
    CHECK(alerts[0].state == "open");
    CHECK(alerts[0].kiosk_id.empty());
    CHECK(alerts[0].summary == "pain reported on 5206142000310: checkout");
    CHECK(alerts[0].opened_at == parse_rfc3339("2026-03-02T10:00:00.000Z").value());
    CHECK(alerts[0].last_fired_at == parse_rfc3339("2026-03-02T10:05:00.000Z").value());
    CHECK(alerts[0].times_fired == 2);
    CHECK(alerts[0].window_minutes == 0);
    CHECK(alerts[1].kiosk_id == "k-7");
    CHECK(alerts[1].state == "acknowledged");
    CHECK(alerts[2].window_minutes == 15);

    const std::string canonical = encode_config_document(decoded.value());
    CHECK(canonical.find(R"("alerts":[{"id":"018f0000-0000-7000-8000-000000000001","rule":"pain","state":"open",)"
                         R"("summary":"pain reported on 5206142000310: checkout","opened_at":"2026-03-02T10:00:00.000Z",)"
                         R"("last_fired_at":"2026-03-02T10:05:00.000Z","times_fired":2},)") != std::string::npos);
    CHECK(canonical.find(R"("state":"acknowledged","kiosk":"k-7","summary")") != std::string::npos);
    CHECK(canonical.find(R"("times_fired":2,"window_minutes":15})") != std::string::npos);
    const auto again = decode_config_document(canonical);
    REQUIRE(again);
    CHECK(encode_config_document(again.value()) == canonical);

    // A document without alerts encodes none: the bytes (and the ETag) of a quiet store stay as they were.
    const auto quiet = decode_config_document(minimal_document().dump());
    REQUIRE(quiet);
    CHECK(encode_config_document(quiet.value()).find("alerts") == std::string::npos);
}

TEST_CASE("an alert's mistakes are refused with the field's path", "[config][alerts]") {
    const auto with = [](const char* field, json value) {
        json document = minimal_document();
        json alert = pain_alert();
        if (value.is_null()) {
            alert.erase(field);
        } else {
            alert[field] = std::move(value);
        }
        document["alerts"] = {pain_alert(), alert};
        return document;
    };
    CHECK_THAT(refusal(with("id", "case-1")), Catch::StartsWith("alerts[1].id: \"case-1\" is not the case's UUID"));
    CHECK_THAT(refusal(with("rule", "Pain!")), Catch::StartsWith("alerts[1].rule: "));
    CHECK_THAT(refusal(with("state", "closed")), Catch::StartsWith("alerts[1].state: \"closed\" is not open or acknowledged"));
    CHECK_THAT(refusal(with("summary", "")), Catch::StartsWith("alerts[1].summary: expected a non-empty string"));
    CHECK_THAT(refusal(with("summary", std::string(kMaxAlertSummaryBytes + 1, 'x'))),
               Catch::StartsWith("alerts[1].summary: longer than 300 bytes"));
    CHECK_THAT(refusal(with("opened_at", "yesterday")), Catch::StartsWith("alerts[1].opened_at: expected a time"));
    CHECK_THAT(refusal(with("last_fired_at", nullptr)), Catch::StartsWith("alerts[1]: missing field \"last_fired_at\""));
    CHECK_THAT(refusal(with("times_fired", 0)), Catch::StartsWith("alerts[1].times_fired: expected a whole number of at least 1"));
    CHECK_THAT(refusal(with("times_fired", "2")), Catch::StartsWith("alerts[1].times_fired: "));
    CHECK_THAT(refusal(with("window_minutes", -5)), Catch::StartsWith("alerts[1].window_minutes: "));
    CHECK_THAT(refusal(with("kiosk", "")), Catch::StartsWith("alerts[1].kiosk: expected a non-empty string"));
    CHECK_THAT(refusal(with("colour", "red")), Catch::StartsWith("alerts[1]: unknown field \"colour\""));

    json not_a_list = minimal_document();
    not_a_list["alerts"] = pain_alert();
    CHECK_THAT(refusal(not_a_list), Catch::StartsWith("alerts: expected a list"));

    json too_many = minimal_document();
    too_many["alerts"] = json::array();
    for (std::size_t i = 0; i <= kMaxConfigAlerts; ++i) too_many["alerts"].push_back(pain_alert());
    CHECK_THAT(refusal(too_many), Catch::StartsWith("alerts: more than 20 alerts"));
    // Strict inside the known fields for the kiosk's reader too.
    CHECK_THAT(refusal(too_many, UnknownFields::Skip), Catch::StartsWith("alerts: more than 20 alerts"));
}

TEST_CASE("a rule this version does not know still decodes: a hub may learn rules before its kiosks",
          "[config][alerts]") {
    json document = minimal_document();
    json alert = pain_alert();
    alert["rule"] = "stock_out";
    document["alerts"] = {alert};
    const auto decoded = decode_config_document(document.dump());
    REQUIRE(decoded);
    CHECK(decoded.value().alerts.at(0).rule == "stock_out");
}
