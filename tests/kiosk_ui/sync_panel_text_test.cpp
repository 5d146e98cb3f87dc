// Staff mode's health page: relative times, as msgids with their number.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

using namespace truthpoint;
using namespace truthpoint::kiosk_ui;
using namespace std::chrono_literals;

namespace {

std::string english(const RelativeTime& time) {
    std::string text = time.msgid;
    if (const auto at = text.find("%d"); at != std::string::npos) text.replace(at, 2, std::to_string(time.count));
    return text;
}

}  // namespace

TEST_CASE("the last sync reads as a relative time", "[kiosk_ui][sync_panel]") {
    const core::Timestamp now = core::Timestamp{} + 1000h;
    CHECK(english(relative_time(std::nullopt, now)) == "never");
    CHECK(english(relative_time(now, now)) == "just now");
    CHECK(english(relative_time(now - 9s, now)) == "just now");
    CHECK(english(relative_time(now + 5min, now)) == "just now");  // a clock set back
    CHECK(english(relative_time(now - 40s, now)) == "40 s ago");
    CHECK(english(relative_time(now - 2min - 30s, now)) == "2 min ago");
    CHECK(english(relative_time(now - 3h, now)) == "3 h ago");
    CHECK(english(relative_time(now - 47h, now)) == "47 h ago");
    CHECK(english(relative_time(now - 24h * 5, now)) == "5 days ago");
}
