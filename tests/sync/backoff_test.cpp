// Backoff: grows, stays under its cap, spreads retries, and never undercuts Retry-After.
#include <catch2/catch.hpp>

#include <set>

#include "truthpoint/sync/backoff.hpp"

using namespace std::chrono_literals;
using truthpoint::sync::Backoff;

TEST_CASE("full jitter stays within the doubling ceiling and the cap", "[sync][backoff]") {
    Backoff backoff(100ms, 5s, 42);
    for (int failure = 0; failure < 12; ++failure) {
        const auto ceiling = std::min<std::chrono::milliseconds>(5s, 100ms * (1LL << failure));
        const auto delay = backoff.next_delay();
        CHECK(delay >= 0ms);
        CHECK(delay <= ceiling);
    }
    CHECK(backoff.failures() == 12);
    backoff.reset();
    CHECK(backoff.next_delay() <= 100ms);
}

TEST_CASE("retries of many kiosks are spread, not synchronised", "[sync][backoff]") {
    std::set<long long> delays;
    for (std::uint64_t kiosk = 0; kiosk < 50; ++kiosk) {
        Backoff backoff(1s, 5min, kiosk);
        for (int i = 0; i < 5; ++i) backoff.next_delay();
        delays.insert(backoff.next_delay().count());
    }
    CHECK(delays.size() > 40);
}

TEST_CASE("a hub's Retry-After is honoured, even past the cap", "[sync][backoff]") {
    Backoff backoff(10ms, 100ms, 7);
    CHECK(backoff.next_delay(3s) == 3s);
    CHECK(backoff.next_delay(1s) >= 1s);
}
