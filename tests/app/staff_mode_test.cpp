// Staff mode: PIN pad, lockout, shelf logs, the only way out; set-pin's hash and file edit.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/config.hpp"
#include "truthpoint/app/staff_mode.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using app::StaffStep;

namespace {

struct CapturingSink final : app::EventSink {
    std::vector<core::Event> events;
    void record(core::Event event) override { events.push_back(std::move(event)); }
};

}  // namespace

TEST_CASE("a right PIN opens the staff menu, whose exit is the way out", "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, true);
    const auto t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    CHECK_FALSE(staff.active());
    staff.request_exit(t0);
    CHECK_FALSE(staff.exit_requested());  // not without a PIN

    staff.open_pin_pad(t0);
    for (char digit : std::string("2468")) staff.press_digit(digit, t0);
    staff.erase_digit(t0);
    staff.press_digit('9', t0);
    const auto pin = staff.submit(t0);
    REQUIRE(pin);
    CHECK(*pin == "2469");
    CHECK(staff.step() == StaffStep::Checking);
    staff.pin_checked(true, t0 + 200ms);
    CHECK(staff.step() == StaffStep::Menu);

    staff.log_shelf("picked_up", "8710398500103", t0 + 1s);
    REQUIRE(sink.events.size() == 1);
    CHECK(sink.events[0].type == core::EventType::StaffShelf);
    CHECK(sink.events[0].data["observation"] == "picked_up");
    CHECK_FALSE(core::validate_event(sink.events[0]));

    SECTION("exit") {
        staff.request_exit(t0 + 2s);
        CHECK(staff.exit_requested());
    }
    SECTION("the menu locks itself when left alone") {
        CHECK(staff.tick(t0 + 62s));
        CHECK(staff.step() == StaffStep::Locked);
    }
}

TEST_CASE("wrong PINs are refused, then locked out for a minute", "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, true);
    const auto t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    staff.open_pin_pad(t0);
    for (int attempt = 0; attempt < 5; ++attempt) {
        staff.press_digit('1', t0);
        REQUIRE(staff.submit(t0));
        staff.pin_checked(false, t0);
    }
    CHECK(staff.message() == "Too many tries; wait a minute");
    staff.press_digit('1', t0 + 30s);
    CHECK_FALSE(staff.submit(t0 + 30s));
    staff.press_digit('1', t0 + 61s);
    CHECK(staff.submit(t0 + 61s));
}

TEST_CASE("a kiosk without a PIN says so", "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, false);
    staff.open_pin_pad(core::now_utc());
    staff.press_digit('1', core::now_utc());
    CHECK_FALSE(staff.submit(core::now_utc()));
    CHECK(staff.message() == "No staff PIN is set on this kiosk");
}

TEST_CASE("PINs are stored as argon2id hashes and checked off the caller's thread", "[staff][pin]") {
    const std::string hash = app::hash_staff_pin("2469");
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(app::verify_staff_pin("2469", hash));
    CHECK_FALSE(app::verify_staff_pin("2468", hash));
    CHECK_FALSE(app::verify_staff_pin("2469", "plain-text"));
    CHECK(app::check_pin_rules("12"));
    CHECK(app::check_pin_rules("12ab"));
    CHECK_FALSE(app::check_pin_rules("2469"));

    std::atomic<int> wakes{0};
    app::StaffPinChecker checker(hash, [&] { ++wakes; });
    checker.check("2469");
    std::optional<bool> result;
    for (int i = 0; i < 500 && !result; ++i) {
        result = checker.take_result();
        std::this_thread::sleep_for(10ms);
    }
    CHECK(result == true);
    CHECK(wakes == 1);
}

TEST_CASE("set-pin writes [staff] pin_hash and keeps the rest of kiosk.toml", "[staff][pin]") {
    testing::TempDir dir;
    const std::string path = dir.file("kiosk.toml");
    std::ofstream(path) << "# my kiosk\n[kiosk]\nid = \"k-1\"\nstore = \"s-1\"\ndb = \"k.db\"\n\n"
                           "[hub]\nurl = \"http://127.0.0.1:1\"\ntoken = \"t\"\n";
    const std::string hash = app::hash_staff_pin("1357");
    app::store_pin_hash(path, hash);
    auto config = app::load_config(path);
    REQUIRE(config);
    CHECK(config.value().staff_pin_hash == hash);

    const std::string second = app::hash_staff_pin("8642");
    app::store_pin_hash(path, second);  // replaced, not duplicated
    config = app::load_config(path);
    REQUIRE(config);
    CHECK(config.value().staff_pin_hash == second);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().rfind("# my kiosk\n", 0) == 0);
}
