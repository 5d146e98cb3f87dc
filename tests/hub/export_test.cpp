// export_events: CSV (quoted, with a header row) and NDJSON, in received order, with the filters, on both engines.
#include <catch2/catch.hpp>

#include <sstream>

#include "../../hub/src/local_time.hpp"
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

TEST_CASE("GET /api/v1/export streams the filter's events, scoped to the manager's region", "[hub][export][http]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    hub::Store& store = hub.store();
    enrol(store, "k-n", "s-n", "north");
    enrol(store, "k-s", "s-s", "south");
    // Enough rows for many chunks (the server sends ~64 KiB each), in both regions, two products, some misuse.
    for (int batch = 0; batch < 10; ++batch) {
        for (const auto& sender : {hub::KioskIdentity{"k-n", "s-n", "north"}, hub::KioskIdentity{"k-s", "s-s", "south"}}) {
            std::vector<hub::IncomingEvent> events;
            for (int i = 0; i < 200; ++i) {
                core::Event event = make_event(core::EventType::FmotReaction, i % 3 == 0 ? "sku-2" : "sku-1");
                if (i % 10 == 0) event.data["misuse"] = true;
                events.push_back(incoming(event));
            }
            REQUIRE(store.store_events(sender, events, core::now_utc()));
        }
    }
    const auto manager = session_headers(open_session(store, "nina", hub::UserRole::Manager, "north"));
    const auto expected = [&](const hub::EventFilter& filter, hub::ExportFormat format) {
        std::ostringstream out;
        REQUIRE(hub::export_events(store, format, filter, out));
        return out.str();
    };

    SECTION("a manager gets their region's last 7 days, misuse left out, as the page counts them") {
        auto answer = hub.client()->Get("/api/v1/export?format=csv", manager);
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        CHECK(answer->get_header_value("Transfer-Encoding") == "chunked");
        CHECK(answer->get_header_value("Content-Type") == "text/csv; charset=utf-8");
        const std::string today = hub::utc_date(core::now_utc());
        const std::string week_ago = hub::add_days(today, -6);
        CHECK(answer->get_header_value("Content-Disposition") ==
              "attachment; filename=\"truthpoint_north_all-stores_all-products_" + week_ago + "_" + today + ".csv\"");
        hub::EventFilter filter;
        filter.region = "north";
        filter.from_day = week_ago;
        filter.to_day = today;
        filter.include_misuse = false;
        CHECK(answer->body == expected(filter, hub::ExportFormat::Csv));
        CHECK(split_lines(answer->body).size() == 1 + 10 * 180);
        CHECK_THAT(answer->body, !Catch::Contains("s-s"));
    }
    SECTION("the same filter as the dashboard's query: store, product, days, misuse") {
        const std::string today = core::format_rfc3339(core::now_utc()).substr(0, 10);
        auto answer = hub.client()->Get(
            "/api/v1/export?format=ndjson&region=north&store=s-n&sku=sku-2&period=today&misuse=1",
            manager);
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        CHECK(answer->get_header_value("Content-Type") == "application/x-ndjson");
        CHECK_THAT(answer->get_header_value("Content-Disposition"),
                   Catch::Contains("truthpoint_north_s-n_sku-2_" + today + "_" + today + "_with-misuse.ndjson"));
        const hub::EventFilter filter = hub::export_filter({"north", "s-n", "sku-2", today, today, true});
        CHECK(answer->body == expected(filter, hub::ExportFormat::Ndjson));
        CHECK(split_lines(answer->body).size() == 10 * 67);
    }
    SECTION("an admin sees every region") {
        auto answer = hub.client()->Get("/api/v1/export?misuse=1", hub.admin_headers());
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        CHECK(answer->body == expected({}, hub::ExportFormat::Csv));
    }
    SECTION("another region is forbidden to a manager") {
        auto answer = hub.client()->Get("/api/v1/export?region=south", manager);
        REQUIRE(answer);
        CHECK(answer->status == 403);
        CHECK_THAT(answer->body, Catch::Contains("south"));
    }
    SECTION("a bad parameter is a 400 that names it") {
        for (const auto& [query, named] : std::vector<std::pair<std::string, std::string>>{
                 {"format=xml", "format"}, {"from=2026-02-30&to=2026-03-01", "from"},
                 {"from=2026-03-01&to=yesterday", "to"}, {"from=2026-03-10&to=2026-03-09", "from"},
                 {"period=year", "period"}, {"misuse=yes", "misuse"}, {"store=s%20n", "store"}}) {
            INFO(query);
            auto answer = hub.client()->Get("/api/v1/export?" + query, manager);
            REQUIRE(answer);
            CHECK(answer->status == 400);
            CHECK_THAT(answer->body, Catch::StartsWith("{\"error\":\"" + named + ":"));
        }
    }
    SECTION("without a session: 401") {
        auto answer = hub.client()->Get("/api/v1/export");
        REQUIRE(answer);
        CHECK(answer->status == 401);
    }
    SECTION("a client that leaves half-way does not break the hub") {
        int cut = 0;
        auto client = hub.client();
        auto first = client->Get("/api/v1/export?misuse=1", hub.admin_headers(),
                                 [&](const char*, std::size_t) { return ++cut < 2; });
        CHECK(cut == 2);
        auto again = hub.client()->Get("/api/v1/export?misuse=1", hub.admin_headers());
        REQUIRE(again);
        CHECK(again->status == 200);
        CHECK(again->body == expected({}, hub::ExportFormat::Csv));
    }
}
