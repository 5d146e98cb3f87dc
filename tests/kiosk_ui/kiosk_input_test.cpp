// Unit tests for input the kiosk interprets itself: barcode scans, the staff corner hold, and taps
// shorter than a frame.
#include <catch2/catch.hpp>

#include <utility>
#include <vector>

#include "truthpoint/kiosk_ui/kiosk_input.hpp"

using namespace truthpoint::kiosk_ui;
using namespace std::chrono_literals;
using truthpoint::core::Timestamp;

namespace {
Timestamp at(int ms) { return Timestamp{std::chrono::milliseconds{1'700'000'000'000LL + ms}}; }

std::optional<std::string> type(BarcodeReader& reader, const std::string& digits, int start_ms, int per_key_ms) {
    int t = start_ms;
    for (const char d : digits) {
        reader.digit(d, at(t));
        t += per_key_ms;
    }
    return reader.enter(at(t));
}
}  // namespace

TEST_CASE("a scanner's fast digits and Enter make a barcode", "[kiosk_ui][input]") {
    BarcodeReader reader;
    SECTION("an EAN-13 typed at scanner speed") { CHECK(type(reader, "4006381333931", 0, 8) == "4006381333931"); }
    SECTION("a person typing slowly is not a scanner") { CHECK_FALSE(type(reader, "4006381333931", 0, 250)); }
    SECTION("too few digits are not a barcode") { CHECK_FALSE(type(reader, "123", 0, 5)); }
    SECTION("a pause starts a new code: stray digits before a scan are dropped") {
        reader.digit('9', at(0));
        reader.digit('9', at(10));
        CHECK(type(reader, "12345670", 2000, 5) == "12345670");
    }
    SECTION("another key in between spoils the code") {
        reader.digit('1', at(0));
        reader.other_key();
        CHECK_FALSE(reader.enter(at(5)));
    }
    SECTION("Enter alone, or twice, gives nothing") {
        CHECK_FALSE(reader.enter(at(0)));
        CHECK(type(reader, "12345670", 100, 5) == "12345670");
        CHECK_FALSE(reader.enter(at(160)));
    }
}

TEST_CASE("holding the staff corner fires once after the hold time", "[kiosk_ui][input]") {
    CornerHold hold(Rect{0, 0, 50, 50});
    SECTION("held long enough") {
        hold.press(Point{10, 10}, at(0));
        REQUIRE(hold.deadline());
        CHECK(*hold.deadline() == at(3000));
        CHECK(hold.progress(at(0)) == 0.0f);  // the corner shows the hold filling
        CHECK(hold.progress(at(1500)) == Approx(0.5f));
        CHECK(hold.progress(at(9000)) == 1.0f);
        CHECK_FALSE(hold.fired(at(2999)));
        CHECK(hold.fired(at(3000)));
        CHECK_FALSE(hold.fired(at(4000)));  // once per hold
        CHECK_FALSE(hold.deadline());
    }
    SECTION("released early") {
        hold.press(Point{10, 10}, at(0));
        hold.release();
        CHECK_FALSE(hold.fired(at(5000)));
        CHECK_FALSE(hold.progress(at(500)));
    }
    SECTION("a press elsewhere, or sliding out of the corner") {
        hold.press(Point{100, 10}, at(0));
        CHECK_FALSE(hold.deadline());
        hold.press(Point{10, 10}, at(0));
        hold.move(Point{80, 10});
        CHECK_FALSE(hold.fired(at(5000)));
    }
}

TEST_CASE("a tap shorter than a frame is a press in one frame and a release in the next", "[kiosk_ui][input]") {
    PointerTracker pointer;
    SECTION("press and release between two frames") {
        pointer.press(Point{100, 200});
        pointer.release(Point{101, 201});
        CHECK(pointer.has_pending());
        const PointerFrame first = pointer.next_frame();
        CHECK(first.down);
        CHECK(first.position.x == 100);
        const PointerFrame second = pointer.next_frame();
        CHECK_FALSE(second.down);
        CHECK(second.position.x == 101);
        CHECK_FALSE(pointer.has_pending());
    }
    SECTION("a held press stays down until released") {
        pointer.press(Point{5, 5});
        CHECK(pointer.next_frame().down);
        CHECK(pointer.next_frame().down);
        pointer.move(Point{6, 6});
        CHECK(pointer.next_frame().position.x == 6);
        pointer.release(Point{7, 7});
        const PointerFrame released = pointer.next_frame();
        CHECK_FALSE(released.down);
        CHECK(released.position.x == 7);
    }
    SECTION("two taps between two frames are two taps, in order") {
        pointer.press(Point{1, 1});
        pointer.release(Point{1, 1});
        pointer.move(Point{2, 2});  // on to the next target before a frame was drawn
        pointer.press(Point{2, 2});
        pointer.release(Point{2, 2});
        std::vector<std::pair<float, bool>> seen;
        while (pointer.has_pending()) {
            const PointerFrame frame = pointer.next_frame();
            seen.emplace_back(frame.position.x, frame.down);
        }
        CHECK(seen == std::vector<std::pair<float, bool>>{{1, true}, {1, false}, {2, true}, {2, false}});
    }
}
