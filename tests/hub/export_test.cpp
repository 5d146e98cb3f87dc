// export_events: CSV (quoted, with a header row) and NDJSON, in received order, with the filters, on both engines.
#include <catch2/catch.hpp>

#include <sstream>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/ingest.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

TEST_CASE("csv fields are quoted only when they must be", "[hub][export]") {
    CHECK(hub::csv_field("plain") == "plain");
    CHECK(hub::csv_field("") == "");
    CHECK(hub::csv_field("a,b") == "\"a,b\"");
    CHECK(hub::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(hub::csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(hub::parse_export_format("csv") == hub::ExportFormat::Csv);
    CHECK(hub::parse_export_format("ndjson") == hub::ExportFormat::Ndjson);
    CHECK_FALSE(hub::parse_export_format("xml"));
}

TEST_CASE("export writes stored events with kiosk, store and received time", "[hub][export]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    enrol(*store, "k-1", "s-1");
    enrol(*store, "k-2", "s-2");
    const auto feedback = make_event(core::EventType::SmotFeedback, "sku,with\"comma");  // comment has , and "
    const auto start = make_event(core::EventType::SessionStart);
    const core::Timestamp t0 = core::parse_rfc3339("2026-05-01T08:00:00.000Z").value();
    core::Batch first{"b1", {{feedback.id, "", feedback, core::encode_event(feedback)}}};
    core::Batch second{"b2", {{start.id, "", start, core::encode_event(start)}}};
    REQUIRE(hub_test::ingest_batch(*store, {"k-1", "s-1", ""}, first, t0));
    REQUIRE(hub_test::ingest_batch(*store, {"k-2", "s-2", ""}, second, t0 + std::chrono::minutes(5)));

    SECTION("csv: header row, then one quoted row per event, oldest first") {
        std::ostringstream out;
        auto written = hub::export_events(*store, hub::ExportFormat::Csv, {}, out);
        REQUIRE(written);
        CHECK(*written == 2);
        const auto lines = split_lines(out.str());
        REQUIRE(lines.size() == 3);
        CHECK(lines[0] == "id,type,occurred_at,received_at,kiosk_id,store_id,session_id,locale,sku,data,verified_purchase");
        const std::string expected_first = feedback.id + ",smot.feedback," + core::format_rfc3339(feedback.occurred_at) +
                                           ",2026-05-01T08:00:00.000Z,k-1,s-1," + feedback.session_id +
                                           ",fa,\"sku,with\"\"comma\"," + hub::csv_field(feedback.data.dump()) +
                                           ",false";
        CHECK(lines[1] == expected_first);
        CHECK_THAT(lines[1], Catch::Contains("\\\"\"really\\\"\""));  // the comment's quotes, doubled
        CHECK(lines[2] == start.id + ",session.start," + core::format_rfc3339(start.occurred_at) +
                              ",2026-05-01T08:05:00.000Z,k-2,s-2," + start.session_id + ",fa,,{},false");
        CHECK_THAT(out.str(), Catch::EndsWith("\r\n"));
    }
    SECTION("ndjson: one event per line, the envelope plus kiosk_id, store_id, received_at") {
        std::ostringstream out;
        REQUIRE(hub::export_events(*store, hub::ExportFormat::Ndjson, {}, out));
        const auto lines = split_lines(out.str());
        REQUIRE(lines.size() == 2);
        auto line = nlohmann::json::parse(lines[0]);
        auto expected = core::event_to_json(feedback);
        expected["kiosk_id"] = "k-1";
        expected["store_id"] = "s-1";
        expected["received_at"] = "2026-05-01T08:00:00.000Z";
        expected["verified_purchase"] = false;  // no till receipt names it
        CHECK(line == expected);
        CHECK(core::decode_event(line));  // still a valid event for any consumer of the wire format
        CHECK(nlohmann::json::parse(lines[1])["store_id"] == "s-2");
        CHECK_FALSE(nlohmann::json::parse(lines[1]).contains("sku"));
    }
    SECTION("filters by store and received time") {
        hub::EventFilter filter;
        filter.store_id = "s-2";
        std::ostringstream by_store;
        CHECK(hub::export_events(*store, hub::ExportFormat::Ndjson, filter, by_store).value() == 1);
        CHECK_THAT(by_store.str(), Catch::Contains(start.id));

        hub::EventFilter window;
        window.received_from = t0;
        window.received_to = t0 + std::chrono::minutes(5);
        std::ostringstream in_window;
        CHECK(hub::export_events(*store, hub::ExportFormat::Csv, window, in_window).value() == 1);
        CHECK_THAT(in_window.str(), Catch::Contains(feedback.id) && !Catch::Contains(start.id));
    }
}
