// Staff mode's sync panel: relative times and the once-a-second refresh of the uploader's state.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

using namespace truthpoint;
using namespace truthpoint::kiosk_ui;
using namespace std::chrono_literals;

TEST_CASE("the last sync reads as a relative time", "[kiosk_ui][sync_panel]") {
    const core::Timestamp now = core::Timestamp{} + 1000h;
    CHECK(relative_time(std::nullopt, now) == "never");
    CHECK(relative_time(now, now) == "just now");
    CHECK(relative_time(now - 9s, now) == "just now");
    CHECK(relative_time(now + 5min, now) == "just now");  // a clock set back
    CHECK(relative_time(now - 40s, now) == "40 s ago");
    CHECK(relative_time(now - 2min - 30s, now) == "2 min ago");
    CHECK(relative_time(now - 3h, now) == "3 h ago");
    CHECK(relative_time(now - 47h, now) == "47 h ago");
    CHECK(relative_time(now - 24h * 5, now) == "5 days ago");
}

TEST_CASE("the uploader's state is read at most once an interval, or when forced", "[kiosk_ui][sync_panel]") {
    RefreshTimer timer(1000ms);
    const core::Timestamp start = core::Timestamp{} + 1000h;
    CHECK(timer.due(start));
    CHECK_FALSE(timer.due(start + 10ms));
    CHECK_FALSE(timer.due(start + 999ms));
    CHECK(timer.due(start + 1000ms));
    CHECK_FALSE(timer.due(start + 1500ms));
    SECTION("forced after Sync now") {
        timer.force();
        CHECK(timer.due(start + 1500ms));
    }
    SECTION("a clock set back refreshes rather than waiting") {
        CHECK(timer.due(start - 1h));
    }
}
