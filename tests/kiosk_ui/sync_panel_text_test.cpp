// Staff mode's sync panel: relative times.
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
