// core::Mailbox, WorkerThread and Worker: order, the latest-only policy, wake-ups outside the lock, and
// the one shutdown path that loses nothing posted before it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>

#include "truthpoint/core/worker.hpp"

using namespace truthpoint::core;
using namespace std::chrono_literals;

TEST_CASE("A mailbox keeps every item in order, or only the latest", "[worker]") {
    SECTION("Keep::All") {
        Mailbox<int> box(Keep::All);
        for (int i = 0; i < 5; ++i) REQUIRE(box.post(i));
        CHECK(box.take_all() == std::vector<int>{0, 1, 2, 3, 4});
        CHECK(box.take_all().empty());
    }
    SECTION("Keep::Latest") {
        Mailbox<int> box(Keep::Latest);
        for (int i = 0; i < 5; ++i) box.post(i);
        CHECK(box.take_latest() == 4);
        CHECK_FALSE(box.take_latest().has_value());
    }
    SECTION("a closed mailbox refuses posts but gives what it holds") {
        Mailbox<int> box;
        box.post(1);
        box.close();
        CHECK_FALSE(box.post(2));
        auto waited = box.wait();
        REQUIRE(waited.has_value());
        CHECK(*waited == std::vector<int>{1});
        CHECK_FALSE(box.wait().has_value());
    }
    SECTION("wait_until returns empty at the deadline") {
        Mailbox<int> box;
        const auto start = std::chrono::steady_clock::now();
        auto waited = box.wait_until(start + 30ms);
        REQUIRE(waited.has_value());
        CHECK(waited->empty());
        CHECK(std::chrono::steady_clock::now() - start >= 30ms);
    }
}

TEST_CASE("The post callback runs outside the mailbox's lock", "[worker]") {
    Mailbox<int>* self = nullptr;
    std::vector<int> seen;
    Mailbox<int> box(Keep::All, [&] { seen = self->take_all(); });  // would deadlock under the lock
    self = &box;
    box.post(7);
    CHECK(seen == std::vector<int>{7});
}

TEST_CASE("A worker does every job posted before its destruction, in order", "[worker]") {
    std::atomic<int> wakes{0};
    std::vector<int> results;
    {
        std::promise<void> release;
        auto gate = release.get_future().share();
        Worker<int, int> worker(
            "test-worker", Keep::All,
            [gate](int& job) {
                gate.wait();  // jobs pile up behind the first
                return job * 10;
            },
            [&] { ++wakes; });
        for (int i = 1; i <= 100; ++i) worker.post(i);
        release.set_value();
        // Destruction now: nothing posted is dropped.
        while (results.size() < 3) {
            for (int r : worker.take_results()) results.push_back(r);
            std::this_thread::sleep_for(1ms);
        }
    }
    CHECK(results.front() == 10);
    CHECK(wakes.load() == 100);
}

TEST_CASE("A latest-only worker skips jobs replaced before they started", "[worker]") {
    std::promise<void> release;
    auto gate = release.get_future().share();
    std::atomic<int> started{0};
    Worker<std::string, std::string> worker("test-latest", Keep::Latest, [&, gate](std::string& job) {
        ++started;
        gate.wait();
        return job;
    });
    worker.post("first");
    while (started.load() == 0) std::this_thread::sleep_for(1ms);  // "first" is running
    worker.post("second");
    worker.post("third");  // replaces "second", which never starts
    release.set_value();
    std::vector<std::string> results;
    while (results.size() < 2) {
        for (auto& r : worker.take_results()) results.push_back(r);
        std::this_thread::sleep_for(1ms);
    }
    CHECK(results == std::vector<std::string>{"first", "third"});
    CHECK(started.load() == 2);
}

TEST_CASE("A worker thread's body ends when its inbox closes", "[worker]") {
    std::atomic<bool> ended{false};
    std::atomic<int> received{0};
    {
        WorkerThread<int> thread("test-loop", Keep::All, [&](Mailbox<int>& inbox) {
            while (auto messages = inbox.wait_until(std::chrono::steady_clock::now() + 10s)) {
                received += static_cast<int>(messages->size());
            }
            ended = true;
        });
        thread.post(1);
        thread.post(2);
    }  // joins well before the 10 s wait would have timed out
    CHECK(ended.load());
    CHECK(received.load() == 2);
}
