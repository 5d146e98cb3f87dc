// The dashboard page (GET /) and the stats (GET /api/v1/stats) show the stored counts.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "truthpoint/hub/dashboard.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

TEST_CASE("html_escape neutralises markup", "[hub][dashboard]") {
    CHECK(hub::html_escape(R"(<script>alert("x") & 'y'</script>)") ==
          "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
}

TEST_CASE("the dashboard counts stored events per type and store", "[hub][dashboard][http]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const auto s2 = enrol(hub.store(), "k-2", "s-<2>");  // a store id a browser must not take for markup
    (void)s2;
    std::vector<core::Event> events;
    for (int i = 0; i < 3; ++i) events.push_back(make_event(core::EventType::FmotReaction));
    events.push_back(make_event(core::EventType::SmotFeedback));
    auto posted = hub.post_batch(batch_body(events));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);

    SECTION("GET / is the regional manager's page of the last 7 days, every text escaped") {
        auto page = hub.client()->Get("/", hub.admin_headers());
        REQUIRE(page);
        CHECK(page->status == 200);
        CHECK_THAT(page->get_header_value("Content-Type"), Catch::StartsWith("text/html"));
        CHECK(page->get_header_value("Content-Security-Policy") == hub::kPageSecurityPolicy);
        const std::string& html = page->body;
        CHECK_THAT(html, Catch::Contains("<div class=\"figure\" id=\"fmot-answers\"><div class=\"value\">3</div>"));
        CHECK_THAT(html, Catch::Contains("s-&lt;2&gt;"));  // offered in the store filter
        CHECK_THAT(html, !Catch::Contains("s-<2>"));
        CHECK_THAT(html, !Catch::Contains("http://") && !Catch::Contains("https://"));  // no external assets
    }
    SECTION("a filter the page cannot show is a 400 naming it") {
        auto page = hub.client()->Get("/?period=year", hub.admin_headers());
        REQUIRE(page);
        CHECK(page->status == 400);
        CHECK_THAT(page->body, Catch::Contains("period"));
    }
    SECTION("GET /api/v1/stats has the same counts as JSON") {
        auto stats = hub.client()->Get("/api/v1/stats", hub.admin_headers());
        REQUIRE(stats);
        CHECK(stats->status == 200);
        const auto json = nlohmann::json::parse(stats->body);
        CHECK(json["total_events"] == 4);
        CHECK(json["kiosks"]["total"] == 2);
        CHECK(json["kiosks"]["active"] == 2);
        CHECK(json["by_type"].size() == core::kAllEventTypes.size());  // every type, zeros included
        CHECK(json["by_type"]["fmot.reaction"] == 3);
        CHECK(json["by_type"]["smot.feedback"] == 1);
        CHECK(json["by_type"]["staff.shelf"] == 0);
        REQUIRE(json["by_store"].size() == 2);
        CHECK(json["by_store"][0]["store_id"] == "s-1");
        CHECK(json["by_store"][0]["total"] == 4);
        CHECK(json["by_store"][1]["store_id"] == "s-<2>");
        CHECK(json["by_store"][1]["total"] == 0);
    }
}

TEST_CASE("events flagged as misuse are stored but left out of the dashboard's counts", "[hub][dashboard][misuse]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    std::vector<core::Event> events;
    events.push_back(make_event(core::EventType::FmotReaction));
    for (int i = 0; i < 2; ++i) {
        auto hammered = make_event(core::EventType::FmotReaction);
        hammered.data["misuse"] = true;
        events.push_back(hammered);
    }
    auto posted = hub.post_batch(batch_body(events));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);

    auto stats = hub.client()->Get("/api/v1/stats", hub.admin_headers());
    REQUIRE(stats);
    const auto json = nlohmann::json::parse(stats->body);
    CHECK(json["total_events"] == 3);  // never dropped
    CHECK(json["misuse_events"] == 2);
    CHECK(json["by_type"]["fmot.reaction"] == 1);
    CHECK(json["by_store"][0]["total"] == 1);

    const auto answers_on = [&](const std::string& path) {
        auto page = hub.client()->Get(path, hub.admin_headers());
        REQUIRE(page);
        REQUIRE(page->status == 200);
        const std::string start = "id=\"fmot-answers\"><div class=\"value\">";
        const auto at = page->body.find(start);
        REQUIRE(at != std::string::npos);
        return page->body.substr(at + start.size(), page->body.find('<', at + start.size()) - at - start.size());
    };
    CHECK(answers_on("/") == "1");
    CHECK(answers_on("/?misuse=1") == "3");  // the page's toggle counts them in
}
