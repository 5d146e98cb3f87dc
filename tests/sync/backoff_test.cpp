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

// RetrySchedule: times are given, not read from a clock, so these cases are exact and instant.
using truthpoint::sync::Contact;
using truthpoint::sync::RetrySchedule;

namespace {
const truthpoint::core::Timestamp t0{std::chrono::hours(24 * 365 * 50)};
}

TEST_CASE("after a failed push a kiosk probes a hub that is down, and pushes the moment it is back",
          "[sync][backoff][retry]") {
    RetrySchedule schedule(Backoff(1s, 5min, 3), {}, 4);
    CHECK(schedule.contact_at(t0) == Contact::Push);  // nothing failed yet

    auto at = t0;
    auto next = schedule.push_failed(at, std::nullopt);
    for (int probe = 0; probe < 14; ++probe) {  // under a minute of outage (see the next cases for more)
        INFO("probe " << probe);
        CHECK(next - at >= 2s);  // about one request per 3 s, however long the outage
        CHECK(next - at <= 4s);
        at = next;
        CHECK(schedule.contact_at(at) == Contact::Probe);
        next = schedule.probe_answered(at, /*hub_up=*/false, std::nullopt);
    }
    CHECK(schedule.backoff().failures() == 1);  // probes do not grow the push backoff
    CHECK(schedule.probe_answered(next, /*hub_up=*/true, std::nullopt) == next);  // push now

    SECTION("a clean push ends the retrying") {
        schedule.push_succeeded();
        CHECK_FALSE(schedule.retrying());
        CHECK(schedule.contact_at(next) == Contact::Push);
        CHECK(schedule.backoff().failures() == 0);
    }
}

TEST_CASE("a hub's Retry-After spaces the probes too", "[sync][backoff][retry]") {
    RetrySchedule schedule(Backoff(1s, 5min, 5), {}, 6);
    const auto first = schedule.push_failed(t0, 7s);
    CHECK(first - t0 >= 7s);
    CHECK(first - t0 <= 9s);  // and not much later: a little jitter keeps kiosks out of step
    const auto second = schedule.probe_answered(first, false, 5s);
    CHECK(second - first >= 5s);
    CHECK(second - first <= 7s);
    CHECK(schedule.probe_answered(second, false, 1s) - second >= 2s);  // never under the probe gap
}

TEST_CASE("a hub that answers probes but fails batches gets the backoff, not a push per probe",
          "[sync][backoff][retry]") {
    RetrySchedule schedule(Backoff(1s, 5min, 7), {}, 8);
    auto at = t0;
    for (int failure = 1; failure <= 8; ++failure) {
        INFO("failure " << failure);
        const auto probe_at = schedule.push_failed(at, std::nullopt);
        CHECK(schedule.contact_at(probe_at) == Contact::Probe);
        const auto push_at = schedule.probe_answered(probe_at, /*hub_up=*/true, std::nullopt);
        CHECK(push_at >= probe_at);  // the backoff's time, or now if it is over
        CHECK(schedule.contact_at(push_at) == Contact::Push);
        at = push_at;
    }
    CHECK(schedule.backoff().failures() == 8);
    CHECK(at - t0 >= 20s);  // full jitter up to 1, 2, 4 … 128 s: far more than eight probe gaps' worth
}

TEST_CASE("a probe that keeps saying down is trusted for a minute, then a due push goes anyway",
          "[sync][backoff][retry]") {
    RetrySchedule schedule(Backoff(1s, 5min, 9), {}, 10);
    auto at = t0;
    auto next = schedule.push_failed(at, std::nullopt);
    while (schedule.contact_at(next) == Contact::Probe) {
        REQUIRE(next - t0 < 70s);
        at = next;
        next = schedule.probe_answered(at, false, std::nullopt);
    }
    CHECK(next - t0 >= 60s);  // in case /healthz alone is broken
}

TEST_CASE("a refusal is retried slowly, as a push, without probes", "[sync][backoff][retry]") {
    RetrySchedule schedule(Backoff(1s, 5min, 11), {}, 12);
    schedule.push_failed(t0, std::nullopt);
    const auto next = schedule.push_refused(t0 + 3s);
    CHECK(next == t0 + 3s + 5min);
    CHECK(schedule.contact_at(next) == Contact::Push);
}

TEST_CASE("kiosks that lost the hub together probe out of step", "[sync][backoff][retry]") {
    std::set<long long> tenth_probe;
    for (std::uint64_t kiosk = 0; kiosk < 50; ++kiosk) {
        RetrySchedule schedule(Backoff(1s, 5min, kiosk), {}, kiosk);
        auto at = schedule.push_failed(t0, 1s);
        for (int probe = 0; probe < 10; ++probe) at = schedule.probe_answered(at, false, 1s);
        tenth_probe.insert((at - t0).count());
    }
    CHECK(tenth_probe.size() > 45);
}
