// Unit tests for render-on-demand: frames after input, a slow animation clock, sleeping until deadlines.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/redraw_scheduler.hpp"

using namespace std::chrono_literals;
using truthpoint::core::Timestamp;
using truthpoint::kiosk_ui::RedrawScheduler;

namespace {
const Timestamp t0{std::chrono::milliseconds{1'700'000'000'000}};

void drain(RedrawScheduler& scheduler, Timestamp now) {
    while (scheduler.frame_due(now)) scheduler.frame_drawn(now);
}
}  // namespace

TEST_CASE("a still screen sleeps until input once the first frames are drawn", "[kiosk_ui][redraw]") {
    RedrawScheduler scheduler;
    CHECK(scheduler.frame_due(t0));
    CHECK(scheduler.wait_time(t0, std::nullopt) == 0ms);
    int frames = 0;
    while (scheduler.frame_due(t0)) {
        scheduler.frame_drawn(t0);
        ++frames;
    }
    CHECK(frames == RedrawScheduler::kSettleFrames);
    CHECK_FALSE(scheduler.wait_time(t0, std::nullopt).has_value());  // block until input

    SECTION("input asks for a few frames so ImGui sees the press and the release") {
        scheduler.request_frames();
        drain(scheduler, t0);
        CHECK_FALSE(scheduler.frame_due(t0 + 1h));
    }
    SECTION("the flow's deadline bounds the sleep") {
        CHECK(scheduler.wait_time(t0, t0 + 2500ms) == 2500ms);
    }
    SECTION("a deadline already past does not make the loop spin") {
        CHECK(scheduler.wait_time(t0, t0 - 10ms) > 0ms);
    }
}

TEST_CASE("the attract animation draws at most four frames a second", "[kiosk_ui][redraw]") {
    RedrawScheduler scheduler;
    scheduler.set_animation_interval(250ms);
    drain(scheduler, t0);
    CHECK_FALSE(scheduler.frame_due(t0 + 249ms));
    CHECK(scheduler.frame_due(t0 + 250ms));
    CHECK(scheduler.wait_time(t0 + 100ms, std::nullopt) == 150ms);
    CHECK(scheduler.wait_time(t0 + 100ms, t0 + 120ms) == 20ms);  // the earlier of the two

    int frames = 0;
    for (Timestamp now = t0; now < t0 + 10s; now += 10ms) {
        if (scheduler.frame_due(now)) {
            scheduler.frame_drawn(now);
            ++frames;
        }
    }
    CHECK(frames <= 40);
    CHECK(frames >= 38);

    scheduler.set_animation_interval(std::nullopt);
    drain(scheduler, t0 + 20s);
    CHECK_FALSE(scheduler.frame_due(t0 + 1h));
}
