// The dashboard's query string read into a filter (defaults, periods, refusals naming the parameter, a
// manager's region), and its JSON views served by a real hub: 400s, 401, 403, and 200s with the numbers.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"
#include "truthpoint/hub/dashboard_request.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::RunningHub;

namespace {

const UserRecord kAdmin{"ada", UserRole::Admin, "", "", {}};
const UserRecord kManager{"nina", UserRole::Manager, "north", "", {}};
constexpr std::string_view kToday = "2026-11-07";

Result<DashboardQuery> parse(const QueryParameters& parameters, const UserRecord& viewer = kAdmin) {
    return parse_dashboard_query(parameters, viewer, kToday);
}

// The refusal's code and message; REQUIREs a refusal.
Error refusal(const QueryParameters& parameters, const UserRecord& viewer = kAdmin) {
    auto query = parse(parameters, viewer);
    REQUIRE_FALSE(query);
    return query.error();
}

}  // namespace

TEST_CASE("the dashboard's query string becomes a filter", "[hub][dashboard]") {
    SECTION("nothing: the last 7 days up to today, every region, misuse left out") {
        auto query = parse({});
        REQUIRE(query);
        CHECK(query->period == "7d");
        CHECK(query->filter.from == "2026-11-01");
        CHECK(query->filter.to == "2026-11-07");
        CHECK_FALSE(query->filter.region);
        CHECK_FALSE(query->filter.store_id);
        CHECK_FALSE(query->filter.sku);
        CHECK_FALSE(query->filter.include_misuse);
        CHECK_FALSE(query->pain_topic);
    }
    SECTION("today and 30 days") {
        CHECK(parse({{"period", "today"}})->filter.from == "2026-11-07");
        CHECK(parse({{"period", "today"}})->filter.to == "2026-11-07");
        CHECK(parse({{"period", "30d"}})->filter.from == "2026-10-09");
    }
    SECTION("a custom period, also implied by its days") {
        auto query = parse({{"period", "custom"}, {"from", "2026-01-01"}, {"to", "2026-02-04"}});
        REQUIRE(query);
        CHECK(query->filter.from == "2026-01-01");
        CHECK(query->filter.to == "2026-02-04");
        CHECK(parse({{"from", "2026-01-01"}, {"to", "2026-01-01"}})->period == "custom");
        CHECK(parse({{"from", "2025-01-01"}, {"to", "2026-02-04"}}));  // exactly 400 days
    }
    SECTION("the other parameters; empty ones count as absent") {
        auto query = parse({{"region", "north"}, {"store", "s-1"}, {"sku", "p 1"}, {"misuse", "1"}, {"pain", "checkout"},
                            {"period", ""}, {"from", ""}});
        REQUIRE(query);
        CHECK(query->filter.region == "north");
        CHECK(query->filter.store_id == "s-1");
        CHECK(query->filter.sku == "p 1");
        CHECK(query->filter.include_misuse);
        CHECK(query->pain_topic == "checkout");
        CHECK(query->period == "7d");
        CHECK(parse({{"region", ""}})->filter.region == std::nullopt);
    }
    SECTION("refusals name the parameter") {
        const auto says = [](const Error& error, const std::string& start) {
            CHECK(error.code == ErrorCode::InvalidArgument);
            CHECK_THAT(error.message, Catch::StartsWith(start));
        };
        says(refusal({{"from", "2026-13-01"}, {"to", "2026-12-01"}}), "from: '2026-13-01' is not a date");
        says(refusal({{"from", "2026-11-01"}, {"to", "2026-02-30"}}), "to: '2026-02-30' is not a date");
        says(refusal({{"from", "2026-11-02"}, {"to", "2026-11-01"}}), "from: 2026-11-02 is after to=2026-11-01");
        says(refusal({{"from", "2025-01-01"}, {"to", "2026-02-05"}}), "to: the period from 2025-01-01 to 2026-02-05 is longer than 400 days");
        says(refusal({{"period", "year"}}), "period: 'year' is not a period");
        says(refusal({{"period", "custom"}, {"to", "2026-11-01"}}), "from: a custom period needs its first day");
        says(refusal({{"misuse", "yes"}}), "misuse: 'yes' must be 1");
        says(refusal({{"store", "s/1"}}), "store: 's/1' is not a store id");
        says(refusal({{"pain", "a,b"}}), "pain: 'a,b' is not a topic name");
        says(refusal({{"sku", "a\nb"}}), "sku:");
    }
    SECTION("a manager sees their own region only") {
        auto query = parse({}, kManager);
        REQUIRE(query);
        CHECK(query->filter.region == "north");
        CHECK(parse({{"region", "north"}}, kManager));
        const Error other = refusal({{"region", "south"}}, kManager);
        CHECK(other.code == ErrorCode::Unauthorized);
        CHECK_THAT(other.message, Catch::StartsWith("region: 'south' is not yours"));
    }
}

TEST_CASE("the dashboard's JSON views answer a signed-in user for their region", "[hub][dashboard][http]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    hub_test::enrol(hub.store(), "k-n1", "s-n", "north");
    hub_test::enrol(hub.store(), "k-s1", "s-s", "south");
    const auto& database = hub.database();
    // Stored as ingest stores them, rollups included, on fixed days in the past: a custom period reads them
    // whatever today is. Neither store has a zone: days and hours are UTC's.
    const KioskIdentity north{"k-n1", "s-n", "north"};
    const KioskIdentity south{"k-s1", "s-s", "south"};
    std::vector<core::Event> sent;
    const auto answers = [&](const KioskIdentity& kiosk, core::EventType type, const std::string& sku,
                             const std::string& occurred_at, const nlohmann::json& data, int count) {
        std::vector<IncomingEvent> events;
        for (int i = 0; i < count; ++i) {
            core::Event event = hub_test::make_event(type, sku);
            event.occurred_at = core::parse_rfc3339(occurred_at).value();
            event.data.update(data);
            events.push_back(hub_test::incoming(event));
        }
        REQUIRE(hub.store().store_events(kiosk, events, core::now_utc()));
    };
    using core::EventType;
    answers(north, EventType::FmotReaction, "p-1", "2026-11-02T14:10:00.000Z", {{"reaction", "very_happy"}}, 6);
    answers(north, EventType::FmotReaction, "p-1", "2026-11-02T09:00:00.000Z", {{"reaction", "unhappy"}}, 3);
    answers(north, EventType::FmotReaction, "p-1", "2026-11-02T09:00:00.000Z", {{"reaction", "unhappy"}, {"misuse", true}},
            50);
    answers(north, EventType::FmotReaction, "p-1", "2026-10-30T12:00:00.000Z", {{"reaction", "happy"}}, 2);
    answers(north, EventType::SmotRecommend, "p-1", "2026-11-02T10:00:00.000Z", {{"score", 10}}, 1);
    answers(south, EventType::FmotReaction, "p-2", "2026-11-02T09:00:00.000Z", {{"reaction", "very_unhappy"}}, 40);
    database.execute("INSERT INTO feedback_sessions (store_id, session_id, sku, kiosk_id, local_date, occurred_at, locale, "
                     "rating, verified, pain_topics, comment, misuse) VALUES ('s-n', 'x', 'p-1', 'k-n1', '2026-11-02', "
                     "'2026-11-02T10:30:00.000Z', 'fa', 4, TRUE, 'checkout', '<script>alert(1)</script>', FALSE)");
    const httplib::Headers manager =
        hub_test::session_headers(hub_test::open_session(hub.store(), "nina", UserRole::Manager, "north"));
    const std::string week = "from=2026-11-01&to=2026-11-07";
    const auto get = [&](const std::string& target, const httplib::Headers& headers) {
        auto response = hub.client()->Get(target, headers);
        REQUIRE(response);
        return std::make_pair(response->status, response->body);
    };
    const auto view = [&](const std::string& target, const httplib::Headers& headers) {
        const auto [status, body] = get(target, headers);
        INFO(body);
        REQUIRE(status == 200);
        return nlohmann::json::parse(body);
    };

    SECTION("summary: the manager's region, this week and the week before") {
        const auto summary = view("/api/v1/dashboard/summary?" + week, manager);
        CHECK(summary["filter"]["region"] == "north");
        CHECK(summary["filter"]["period"] == "custom");
        CHECK(summary["filter"]["misuse"] == false);
        const auto& fmot = summary["current"]["fmot"];
        CHECK(fmot["answers"] == 9);  // the south's 40 and the misuse left out
        CHECK(fmot["reactions"]["very_happy"] == 6);
        CHECK(fmot["reactions"]["unhappy"] == 3);
        CHECK(fmot["index"].get<double>() == Approx(100.0 * (3 + 18) / 27));
        CHECK(summary["current"]["smot"]["recommend"]["score"].get<double>() == Approx(100));
        CHECK(summary["current"]["smot"]["average_rating"].is_null());
        CHECK(summary["previous"]["from"] == "2026-10-25");
        CHECK(summary["previous"]["fmot"]["answers"] == 2);
        const auto with_misuse = view("/api/v1/dashboard/summary?misuse=1&" + week, manager);
        CHECK(with_misuse["current"]["fmot"]["answers"] == 59);
        const auto everything = view("/api/v1/dashboard/summary?" + week, hub.admin_headers());
        CHECK(everything["filter"]["region"].is_null());
        CHECK(everything["current"]["fmot"]["answers"] == 49);
    }
    SECTION("every other view") {
        const auto trend = view("/api/v1/dashboard/trend?" + week, manager);
        CHECK(trend["step"] == "day");
        REQUIRE(trend["points"].size() == 7);
        CHECK(trend["points"][1]["starts"] == "2026-11-02");
        CHECK(trend["points"][1]["answers"] == 9);
        CHECK(trend["points"][0]["index"].is_null());

        const auto heat = view("/api/v1/dashboard/heatmap?" + week, manager);
        REQUIRE(heat["cells"].size() == 168);
        CHECK(heat["cells"][14]["weekday"] == 1);
        CHECK(heat["cells"][14]["hour"] == 14);
        CHECK(heat["cells"][14]["answers"] == 6);
        CHECK(heat["cells"][9]["answers"] == 3);
        // A whole month is read from the months' rows, and the days around it from the days'.
        for (const char* period : {"from=2026-11-01&to=2026-11-30", "from=2026-10-30&to=2026-12-02"}) {
            CAPTURE(period);
            const auto month = view(std::string("/api/v1/dashboard/heatmap?") + period, manager);
            CHECK(month["cells"][14]["answers"] == 6);
            CHECK(month["cells"][9]["answers"] == 3);
            const auto summary = view(std::string("/api/v1/dashboard/summary?") + period, manager);
            CHECK(summary["current"]["fmot"]["answers"] == (std::string(period).find("10-30") != std::string::npos ? 11 : 9));
        }

        const auto rankings = view("/api/v1/dashboard/rankings?" + week, manager);
        REQUIRE(rankings["stores"].size() == 1);
        CHECK(rankings["stores"][0]["id"] == "s-n");
        CHECK(rankings["stores"][0]["answers"] == 9);
        CHECK(rankings["prior_answers"] == 20);

        const auto feedback = view("/api/v1/dashboard/feedback?pain=checkout&" + week, manager);
        CHECK(feedback["pain"] == "checkout");
        REQUIRE(feedback["feedback"].size() == 1);
        CHECK(feedback["feedback"][0]["comment"] == "<script>alert(1)</script>");  // as sent; JSON is no HTML
        CHECK(feedback["feedback"][0]["occurred_at"] == "2026-11-02T10:30:00.000Z");
        CHECK(feedback["feedback"][0]["rating"] == 4);
        CHECK(feedback["feedback"][0]["verified"] == true);
        CHECK(view("/api/v1/dashboard/feedback?pain=price&" + week, manager)["feedback"].empty());

        const auto kiosks = view("/api/v1/dashboard/kiosks", manager);
        REQUIRE(kiosks["kiosks"].size() == 1);
        CHECK(kiosks["kiosks"][0]["kiosk_id"] == "k-n1");
        CHECK(kiosks["kiosks"][0]["silent"] == false);  // its batches above were its contact
        CHECK(kiosks["kiosks"][0]["last_contact"].is_string());

        const auto places = view("/api/v1/dashboard/places?" + week, manager);
        REQUIRE(places["regions"].size() == 1);
        CHECK(places["regions"][0]["id"] == "north");
        REQUIRE(places["stores"].size() == 1);
        CHECK(places["stores"][0]["time_zone"] == "UTC");
        REQUIRE(places["products"].size() == 1);
        CHECK(places["products"][0]["id"] == "p-1");
        CHECK(view("/api/v1/dashboard/places", hub.admin_headers())["regions"].size() == 2);
    }
    SECTION("refusals: 400 naming the parameter, 401 without a session, 403 outside the region") {
        const auto refused = [&](const std::string& target, const httplib::Headers& headers, int status,
                                 const std::string& start) {
            const auto [got, body] = get(target, headers);
            CHECK(got == status);
            CHECK_THAT(nlohmann::json::parse(body)["error"].get<std::string>(), Catch::StartsWith(start));
        };
        refused("/api/v1/dashboard/summary?from=2026-11-31&to=2026-12-01", manager, 400, "from:");
        refused("/api/v1/dashboard/trend?from=2026-12-02&to=2026-12-01", manager, 400, "from:");
        refused("/api/v1/dashboard/heatmap?from=2020-01-01&to=2026-12-01", manager, 400, "to:");
        refused("/api/v1/dashboard/rankings?period=forever", manager, 400, "period:");
        refused("/api/v1/dashboard/feedback?limit=0", manager, 400, "limit:");
        refused("/api/v1/dashboard/summary?region=south", manager, 403, "region:");
        refused("/api/v1/dashboard/kiosks?store=s-s", manager, 403, "store:");
        refused("/api/v1/dashboard/places", {}, 401, "sign in first");
        CHECK(get("/api/v1/dashboard/kiosks?store=s-s", hub.admin_headers()).first == 200);
    }
}

TEST_CASE("the dashboard page's data is filled for the filter", "[hub][dashboard]") {
    RunningHub hub;
    hub_test::enrol(hub.store(), "k-n1", "s-n", "north");
    std::vector<IncomingEvent> events;
    for (int i = 0; i < 5; ++i) {
        core::Event event = hub_test::make_event(i < 4 ? core::EventType::FmotReaction : core::EventType::SmotTopics, "p-1");
        event.occurred_at = core::parse_rfc3339("2026-11-02T12:00:00.000Z").value();
        event.data = i < 4 ? nlohmann::json{{"reaction", "happy"}} : nlohmann::json{{"pain", {"checkout"}}};
        events.push_back(hub_test::incoming(event));
    }
    REQUIRE(hub.store().store_events({"k-n1", "s-n", "north"}, events, core::now_utc()));
    auto query = dashboard_query(hub.store(), {{"from", "2026-11-01"}, {"to", "2026-11-30"}}, kManager, core::now_utc());
    REQUIRE(query);
    auto page = build_dashboard_page(hub.store(), kManager, *query, core::now_utc());
    REQUIRE(page);
    CHECK(page->viewer_name == "nina");
    CHECK_FALSE(page->viewer_is_admin);
    CHECK(page->period == "custom");
    CHECK(page->filter.region == "north");
    CHECK(page->current.fmot.answers == 4);
    CHECK(page->previous.from == "2026-10-02");
    CHECK(page->trend_step == "day");
    CHECK(page->trend.size() == 30);
    CHECK(page->heat.size() == 168);
    REQUIRE(page->store_ranking.size() == 1);
    CHECK(page->product_ranking.size() == 1);
    CHECK(page->pain_topics == std::vector<std::string>{"checkout"});
    CHECK(page->kiosks.size() == 1);
    REQUIRE(page->regions.size() == 1);
    CHECK(page->stores.size() == 1);
    CHECK(page->products.size() == 1);

    auto outside = dashboard_query(hub.store(), {{"store", "s-1"}}, kManager, core::now_utc());
    REQUIRE_FALSE(outside);
    CHECK(outside.error().code == ErrorCode::Unauthorized);
}

TEST_CASE("today ends on the stores' own date: a Tehran store's from its midnight, a mixed chain's on UTC's",
          "[hub][dashboard]") {
    RunningHub hub;
    hub_test::enrol(hub.store(), "k-t1", "s-teh", "iran");
    hub_test::enrol(hub.store(), "k-t2", "s-teh2", "iran");
    hub_test::enrol(hub.store(), "k-l1", "s-lon", "uk");
    for (const char* store_id : {"s-teh", "s-teh2"}) {
        REQUIRE(hub.store().set_store(store_id, "Asia/Tehran", std::nullopt, core::now_utc()));
    }
    REQUIRE(hub.store().set_store("s-lon", "Europe/London", std::nullopt, core::now_utc()));
    // 00:30 on 1 December in Tehran (UTC+03:30), still 30 November in London and UTC.
    const core::Timestamp now = core::parse_rfc3339("2026-11-30T21:00:00.000Z").value();
    const auto days = [&](const QueryParameters& parameters) {
        auto query = dashboard_query(hub.store(), parameters, kAdmin, now);
        REQUIRE(query);
        return query->filter.from + ".." + query->filter.to;
    };
    CHECK(days({{"store", "s-teh"}, {"period", "today"}}) == "2026-12-01..2026-12-01");
    CHECK(days({{"region", "iran"}, {"period", "7d"}}) == "2026-11-25..2026-12-01");  // one zone
    CHECK(days({{"store", "s-lon"}, {"period", "30d"}}) == "2026-11-01..2026-11-30");
    CHECK(days({{"period", "today"}}) == "2026-11-30..2026-11-30");  // Tehran and London: UTC's date
    CHECK(days({{"store", "s-teh"}, {"from", "2026-11-01"}, {"to", "2026-11-02"}}) == "2026-11-01..2026-11-02");
}
