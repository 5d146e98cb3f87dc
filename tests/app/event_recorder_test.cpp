// The recorder commits off the caller's thread and reports each commit back.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "support/temp_dir.hpp"
#include "truthpoint/app/event_recorder.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;

namespace {

core::Event heartbeat(core::UuidV7Generator& ids) {
    core::Event event;
    event.id = ids.next();
    event.type = core::EventType::KioskHeartbeat;
    event.occurred_at = core::now_utc();
    event.session_id = ids.next();
    event.locale = "en";
    event.data = {{"pending", 0}};
    return event;
}

}  // namespace

TEST_CASE("recorded events are committed and reported", "[recorder]") {
    TempDir dir;
    core::UuidV7Generator ids;
    std::atomic<int> wakes{0};
    std::vector<std::string> sent;
    {
        app::EventRecorder recorder(dir.file("kiosk.db"), [&] { ++wakes; });
        for (int i = 0; i < 50; ++i) {
            auto event = heartbeat(ids);
            sent.push_back(event.id);
            recorder.record(std::move(event));
        }
    }  // the destructor commits what is queued
    CHECK(wakes == 50);
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    CHECK(ledger.status()->pending == 50);
}

TEST_CASE("a commit failure comes back as a result, not a crash", "[recorder]") {
    TempDir dir;
    core::UuidV7Generator ids;
    app::EventRecorder recorder(dir.file("no-such-dir/kiosk.db"));
    const auto event = heartbeat(ids);
    recorder.record(event);
    std::vector<app::Commit> results;
    for (int i = 0; i < 200 && results.empty(); ++i) {
        results = recorder.take_results();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(results.size() == 1);
    CHECK(results[0].event_id == event.id);
    REQUIRE_FALSE(results[0].status);
    CHECK_THAT(results[0].status.error().message, Catch::Contains("cannot open"));
}

TEST_CASE("a ledger that could not be opened is tried again at the next event", "[recorder]") {
    TempDir dir;
    core::UuidV7Generator ids;
    const std::string folder = dir.file("later");
    app::EventRecorder recorder(folder + "/kiosk.db");
    const auto take_one = [&] {
        std::vector<app::Commit> results;
        for (int i = 0; i < 200 && results.empty(); ++i) {
            results = recorder.take_results();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        REQUIRE(results.size() == 1);
        return results[0];
    };
    recorder.record(heartbeat(ids));
    CHECK_FALSE(take_one().status);
    std::filesystem::create_directory(folder);  // the disk is back
    const auto event = heartbeat(ids);
    recorder.record(event);
    const app::Commit second = take_one();
    CHECK(second.event_id == event.id);
    CHECK(second.status);
    CHECK(app::Ledger::open(folder + "/kiosk.db").value().status()->pending == 1);
}
