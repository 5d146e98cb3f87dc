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

    staff.log_shelf("picked_up", t0 + 1s);
    CHECK(sink.events.size() == 1);  // no product chosen yet: nothing to log against
    staff.choose_product("8710398500103", t0 + 1s);
    staff.log_shelf("picked_up", t0 + 1s);
    REQUIRE(sink.events.size() == 2);
    CHECK(sink.events[0].type == core::EventType::StaffPin);  // the audit of the unlock, never the digits
    CHECK(sink.events[0].data == nlohmann::json{{"outcome", "correct"}});
    CHECK(sink.events[0].data.dump().find("2469") == std::string::npos);
    CHECK(sink.events[1].type == core::EventType::StaffShelf);
    CHECK(sink.events[1].data["observation"] == "picked_up");
    for (const auto& event : sink.events) CHECK_FALSE(core::validate_event(event));

    SECTION("exit asks first: staying goes back to the menu, confirming ends the kiosk") {
        staff.request_exit(t0 + 2s);
        CHECK(staff.step() == StaffStep::ConfirmExit);
        CHECK_FALSE(staff.exit_requested());
        staff.cancel_exit(t0 + 3s);
        CHECK(staff.step() == StaffStep::Menu);
        CHECK_FALSE(staff.exit_requested());
        staff.request_exit(t0 + 4s);
        staff.confirm_exit(t0 + 5s);
        CHECK(staff.exit_requested());
    }
    SECTION("the menu, or the question to exit, locks itself when left alone") {
        CHECK(staff.tick(t0 + 62s));
        CHECK(staff.step() == StaffStep::Locked);
        staff.open_pin_pad(t0 + 70s);
        for (char digit : std::string("2469")) staff.press_digit(digit, t0 + 70s);
        REQUIRE(staff.submit(t0 + 70s));
        staff.pin_checked(true, t0 + 70s);
        staff.request_exit(t0 + 71s);
        REQUIRE(staff.step() == StaffStep::ConfirmExit);
        CHECK_FALSE(staff.tick(t0 + 100s));
        CHECK(staff.tick(t0 + 131s));
        CHECK(staff.step() == StaffStep::Locked);
        CHECK_FALSE(staff.exit_requested());
    }
}

TEST_CASE("five wrong PINs lock the pad for a minute, then two, four … until a right PIN, each try audited",
          "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, true, {.pin_entry = std::chrono::hours(24)});
    auto now = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    staff.open_pin_pad(now);
    const auto five_wrong = [&] {
        for (int attempt = 0; attempt < 5; ++attempt) {
            staff.press_digit('7', now);
            REQUIRE(staff.submit(now));
            staff.pin_checked(false, now);
        }
    };
    five_wrong();
    CHECK(staff.message() == std::string(app::kLockedOutMessage));
    REQUIRE(staff.locked_out_for(now));
    CHECK(*staff.locked_out_for(now) == 60s);
    staff.press_digit('7', now + 30s);
    CHECK_FALSE(staff.submit(now + 30s));  // refused unchecked, and audited
    CHECK(*staff.locked_out_for(now + 30s) == 30s);

    SECTION("the audit: wrong tries counted, the lockout's length, a try during it; never the digits") {
        REQUIRE(sink.events.size() == 6);
        for (int i = 0; i < 5; ++i) {
            CHECK(sink.events[static_cast<std::size_t>(i)].type == core::EventType::StaffPin);
            CHECK(sink.events[static_cast<std::size_t>(i)].data["outcome"] == "wrong");
            CHECK(sink.events[static_cast<std::size_t>(i)].data["failures"] == i + 1);
        }
        CHECK_FALSE(sink.events[3].data.contains("lockout_s"));
        CHECK(sink.events[4].data["lockout_s"] == 60);
        CHECK(sink.events[5].data == nlohmann::json{{"outcome", "locked_out"}});
        for (const auto& event : sink.events) {
            CHECK_FALSE(core::validate_event(event));
            CHECK(event.session_id == sink.events[0].session_id);  // one opening of the pad
            for (const auto& [field, value] : event.data.items()) {
                CHECK_FALSE((value.is_string() && value.get<std::string>().find('7') != std::string::npos));
            }
        }
    }
    SECTION("each lockout doubles, up to an hour") {
        now += 61s;
        CHECK_FALSE(staff.locked_out_for(now));
        five_wrong();
        CHECK(*staff.locked_out_for(now) == 120s);
        now += 121s;
        five_wrong();
        CHECK(*staff.locked_out_for(now) == 240s);
        for (int lockout = 0; lockout < 6; ++lockout) {
            now += *staff.locked_out_for(now) + 1s;
            five_wrong();
        }
        CHECK(*staff.locked_out_for(now) == 3600s);
    }
    SECTION("a right PIN after a lockout starts the count again") {
        now += 61s;
        for (char digit : std::string("2469")) staff.press_digit(digit, now);
        REQUIRE(staff.submit(now));
        staff.pin_checked(true, now);
        CHECK(staff.step() == StaffStep::Menu);
        staff.cancel(now);
        staff.open_pin_pad(now);
        five_wrong();
        CHECK(*staff.locked_out_for(now) == 60s);
    }
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
    CHECK_FALSE(app::check_pin_rules("2580"));
    CHECK_FALSE(app::check_pin_rules("1233"));
    // Guessed first: one digit repeated, straight runs up or down.
    for (const char* trivial : {"0000", "1111", "999999", "1234", "0123456789", "6789", "4321", "987654"}) {
        INFO(trivial);
        const auto why = app::check_pin_rules(trivial);
        REQUIRE(why);
        CHECK(why->find("among the first guessed") != std::string::npos);
    }

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

namespace {

// A staff member past the PIN, on the menu.
void unlock(app::StaffMode& staff, core::Timestamp at) {
    staff.open_pin_pad(at);
    for (char digit : std::string("4826")) staff.press_digit(digit, at);
    REQUIRE(staff.submit(at));
    staff.pin_checked(true, at);
    REQUIRE(staff.step() == StaffStep::Menu);
}

}  // namespace

TEST_CASE("the shelf log counts taps per product, and takes back the last one within 10 s", "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, true);
    const auto t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    unlock(staff, t0);
    CHECK(staff.page() == app::StaffPage::ShelfLog);
    CHECK(staff.chosen_sku().empty());  // the grid first: staff say which product they watch

    const std::string jam = "8710398500103";
    const std::string spread = "8000500310427";
    staff.choose_product(jam, t0 + 1s);
    for (const char* observation : {"picked_up", "put_back", "picked_up", "added_to_basket"}) {
        staff.log_shelf(observation, t0 + 2s);
    }
    CHECK(staff.tally(jam, "picked_up") == 2);
    CHECK(staff.tally(jam, "put_back") == 1);
    CHECK(staff.tally(jam, "added_to_basket") == 1);
    CHECK(staff.tally(spread, "picked_up") == 0);

    SECTION("within 10 s: an undo event names the tap, and the tally drops") {
        REQUIRE(staff.undoable(t0 + 11s) == std::optional<std::string>("added_to_basket"));
        staff.undo_last(t0 + 11s);
        CHECK(staff.tally(jam, "added_to_basket") == 0);
        CHECK_FALSE(staff.undoable(t0 + 11s));  // once: the tap before is not taken back
        const core::Event& undo = sink.events.back();
        CHECK(undo.type == core::EventType::StaffUndo);
        CHECK(undo.sku == jam);
        CHECK(undo.data["undoes"] == sink.events[sink.events.size() - 2].id);
        CHECK(undo.data["observation"] == "added_to_basket");
        CHECK(undo.session_id == sink.events[sink.events.size() - 2].session_id);  // the same visit
    }
    SECTION("after 10 s the tap stands") {
        const auto events_before = sink.events.size();
        CHECK_FALSE(staff.undoable(t0 + 12s + 1ms));
        staff.undo_last(t0 + 12s + 1ms);
        CHECK(sink.events.size() == events_before);
        CHECK(staff.tally(jam, "added_to_basket") == 1);
        CHECK(staff.tick(t0 + 12s + 1ms));  // the Undo button goes: a redraw
    }
    SECTION("another product: its own tallies; the first's stay") {
        staff.choose_product(spread, t0 + 3s);
        CHECK_FALSE(staff.undoable(t0 + 3s));  // an undo only on the product on screen
        staff.log_shelf("compared", t0 + 4s);
        CHECK(sink.events.back().sku == spread);
        CHECK(staff.tally(spread, "compared") == 1);
        CHECK(staff.tally(jam, "picked_up") == 2);
    }
    SECTION("a new visit starts new tallies, with no product chosen") {
        staff.cancel(t0 + 5s);
        unlock(staff, t0 + 6s);
        CHECK(staff.chosen_sku().empty());
        CHECK(staff.tally(jam, "picked_up") == 0);
    }
    for (const auto& event : sink.events) CHECK_FALSE(core::validate_event(event));
}

TEST_CASE("a pain marked seen is an event, once", "[staff]") {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::StaffMode staff(sink, ids, true);
    const auto t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    const std::string pain_id = ids.next_at(t0 - 1h);
    staff.mark_seen(pain_id, "8710398500103", t0);
    CHECK(sink.events.empty());  // not without the PIN
    unlock(staff, t0);
    staff.show_page(app::StaffPage::ShoppersSaid, t0);
    staff.mark_seen(pain_id, "8710398500103", t0 + 1s);
    staff.mark_seen(pain_id, "8710398500103", t0 + 2s);
    REQUIRE(sink.events.size() == 2);  // the unlock's audit, one seen
    CHECK(sink.events[1].type == core::EventType::StaffSeen);
    CHECK(sink.events[1].data == nlohmann::json{{"seen", pain_id}});
    CHECK(staff.marked_seen(pain_id));
    CHECK_FALSE(core::validate_event(sink.events[1]));
}
