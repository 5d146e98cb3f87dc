// The server's thread pool: a thread per job in progress up to the maximum, the rest queued in order,
// idle threads let go down to the minimum, and queued jobs still run on shutdown.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "../../hub/src/elastic_pool.hpp"

using namespace std::chrono_literals;
using truthpoint::hub::ElasticThreadPool;

namespace {

// Polls `condition` for up to two seconds.
template <typename Condition>
bool eventually(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return condition();
}

}  // namespace

TEST_CASE("the elastic pool grows with the jobs in progress and shrinks when idle", "[hub][server]") {
    ElasticThreadPool pool(1, 3, 100ms);
    CHECK(pool.threads().first == 1);

    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> started{0}, finished{0};
    for (int i = 0; i < 4; ++i) {
        pool.enqueue([&, released] {
            ++started;
            released.wait();
            ++finished;
        });
    }
    CHECK(eventually([&] { return started == 3; }));  // the maximum; the fourth waits its turn
    std::this_thread::sleep_for(50ms);
    CHECK(started == 3);
    CHECK(pool.threads().first == 3);

    release.set_value();
    CHECK(eventually([&] { return finished == 4; }));
    CHECK(eventually([&] { return pool.threads().first == 1; }));  // idle for 100 ms: back to the minimum

    pool.enqueue([&] { ++finished; });  // the remaining thread still serves
    CHECK(eventually([&] { return finished == 5; }));
}

TEST_CASE("the elastic pool runs what is queued before it shuts down", "[hub][server]") {
    std::atomic<int> done{0};
    {
        ElasticThreadPool pool(0, 1, 10s);
        for (int i = 0; i < 5; ++i) {
            pool.enqueue([&] {
                std::this_thread::sleep_for(5ms);
                ++done;
            });
        }
        pool.shutdown();
        CHECK(done == 5);
    }
    CHECK(done == 5);
}
