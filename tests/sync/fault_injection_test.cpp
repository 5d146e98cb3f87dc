// The sync engine under faults: 20,000 events pushed through a proxy that resets, stalls, drips,
// answers 500 and 429, and restarts the hub mid-batch. Each time: 0 lost, 0 duplicated at the hub,
// quarantine empty, every duplicate the hub reported accounted for, and the fault really happened.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "fault_proxy.hpp"
#include "fault_support.hpp"
#include "hub_fixture.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/sync/background_sync.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::Fault;
using truthpoint::testing::FaultProxy;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::ProxiedRequest;
using truthpoint::testing::ProxyLogEntry;
using truthpoint::testing::TempDir;

namespace {

constexpr int kEvents = 20000;  // 40 batches of 500
using Clock = std::chrono::steady_clock;

struct Outcome {
    testing::DrainTotals totals;
    std::vector<ProxyLogEntry> log;
    int requests = 0;
    int injected = 0;  // of the fault under test
    int injected_total = 0;
    int withheld_accepted = 0;
    int refused_upstream = 0;
    std::vector<std::string> proxy_errors;
    double seconds = 0;
};

// Drains the ledger through a proxy applying `rule`, stops the proxy (its threads and any hub
// restart finish), and reports what happened.
Outcome drain_through(LoopbackHub& hub, const std::string& ledger_path, testing::FaultRule rule, Fault fault,
                      bool restarts = false) {
    std::function<std::string()> restart;
    if (restarts) restart = [&hub] { return hub.restart(150ms); };
    FaultProxy proxy(hub.port(), std::move(rule), restart);
    auto endpoint = hub.endpoint();
    endpoint.url = proxy.url();
    auto ledger = app::Ledger::open(ledger_path).value();

    Outcome outcome;
    const auto started = Clock::now();
    outcome.totals = testing::drain(ledger, endpoint);
    outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    proxy.stop();
    outcome.log = proxy.log();
    outcome.requests = proxy.requests();
    outcome.injected = proxy.injected(fault);
    outcome.injected_total = proxy.injected_total();
    outcome.withheld_accepted = proxy.withheld_accepted();
    outcome.refused_upstream = proxy.refused_upstream();
    outcome.proxy_errors = proxy.errors();
    std::cout << "[faults] " << testing::to_string(fault) << ": " << kEvents << " events, " << outcome.requests
              << " requests, " << outcome.injected_total << " faults injected (" << outcome.injected << " "
              << testing::to_string(fault) << "), " << outcome.totals.failures << " pushes failed, "
              << outcome.totals.duplicates << " duplicates, " << outcome.refused_upstream << " refused while down, "
              << outcome.seconds << " s\n";
    return outcome;
}

// What every fault test asserts once the ledger is drained.
void check_exactly_once(const Outcome& outcome, LoopbackHub& hub, const std::string& ledger_path,
                        const std::vector<std::string>& ids) {
    INFO("first kiosk errors: " << (outcome.totals.errors.empty() ? "-" : outcome.totals.errors.front()));
    for (const auto& error : outcome.proxy_errors) FAIL_CHECK("proxy: " << error);
    CHECK(outcome.injected > 0);  // the fault under test really happened
    CHECK(outcome.totals.quarantined == 0);
    CHECK(outcome.totals.delivered == kEvents);
    // Every event the hub stored whose answer the kiosk never saw came back once, as a duplicate.
    CHECK(outcome.totals.duplicates == outcome.withheld_accepted);
    testing::require_exactly_once(hub.store(), ledger_path, ids);
}

}  // namespace

TEST_CASE("connection resets before the hub sees a batch lose nothing", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    // Two attempts per faulted batch: libcurl silently resends once on a fresh connection when a
    // reused one dies before any answer, so the second reset is the one the kiosk sees.
    const auto outcome = drain_through(
        hub, path, [](const ProxiedRequest& r) { return r.batch % 2 == 0 && r.attempt <= 2 ? Fault::Reset : Fault::None; },
        Fault::Reset);
    CHECK(outcome.injected >= 20);
    CHECK(outcome.totals.failures > 0);  // seen by the kiosk, not only absorbed by libcurl
    CHECK(outcome.withheld_accepted == 0);
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("answers lost after the hub committed are resent and counted as duplicates", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    SECTION("the kiosk times out while the answer is held back") {
        // Stall: the hub has committed; the answer trickles a byte per 250 ms past the 2 s total timeout.
        const auto outcome = drain_through(
            hub, path, [](const ProxiedRequest& r) { return r.batch % 10 == 3 && r.attempt == 1 ? Fault::Stall : Fault::None; },
            Fault::Stall);
        CHECK(outcome.injected == 4);
        CHECK(outcome.totals.failures == 4);
        CHECK_THAT(outcome.totals.errors.front(), Catch::Contains("cannot reach the hub") && Catch::Contains("timed out"));
        CHECK(outcome.withheld_accepted == 4 * 500);
        check_exactly_once(outcome, hub, path, ids);
    }
    SECTION("the connection closes with no answer") {
        const auto outcome = drain_through(
            hub, path,
            [](const ProxiedRequest& r) { return r.batch % 3 == 1 && r.attempt <= 2 ? Fault::DropAnswer : Fault::None; },
            Fault::DropAnswer);
        CHECK(outcome.injected >= 13);
        CHECK(outcome.totals.failures > 0);
        CHECK(outcome.withheld_accepted >= 13 * 500);  // the second drop of a batch carried duplicates only
        check_exactly_once(outcome, hub, path, ids);
    }
}

TEST_CASE("a slow drip within the timeout is waited for, not resent", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    const auto outcome = drain_through(
        hub, path, [](const ProxiedRequest& r) { return r.batch % 4 == 0 ? Fault::SlowDrip : Fault::None; },
        Fault::SlowDrip);
    CHECK(outcome.injected == 10);
    CHECK(outcome.totals.failures == 0);
    CHECK(outcome.totals.duplicates == 0);
    CHECK(outcome.requests == 40);  // no resend at all
    for (const auto& entry : outcome.log) {
        if (entry.fault != Fault::SlowDrip) continue;
        CHECK(entry.answered);
        CHECK(entry.finished - entry.arrived >= 400ms);  // it really dripped
    }
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("500s, before or after the hub committed, are retried", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    const auto outcome = drain_through(
        hub, path,
        [](const ProxiedRequest& r) {
            if (r.batch % 3 == 0 && r.attempt <= 2) return Fault::Answer500;  // the proxy answers, the hub never sees it
            if (r.batch % 3 == 1 && r.attempt == 1) return Fault::Commit500;  // the hub committed, the gateway failed
            return Fault::None;
        },
        Fault::Answer500);
    const int committed_500s = static_cast<int>(std::count_if(
        outcome.log.begin(), outcome.log.end(), [](const ProxyLogEntry& e) { return e.fault == Fault::Commit500; }));
    CHECK(outcome.injected == 2 * 14);
    CHECK(committed_500s == 13);
    CHECK(outcome.totals.failures == 2 * 14 + 13);
    CHECK_THAT(outcome.totals.errors.front(), Catch::Contains("HTTP 500"));
    CHECK(outcome.withheld_accepted == 13 * 500);
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("429 with Retry-After: 1 is honoured", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    // The kiosk's own backoff is 10-200 ms: only Retry-After can explain a wait of a second.
    const auto outcome = drain_through(
        hub, path,
        [](const ProxiedRequest& r) {
            return (r.batch == 3 || r.batch == 17 || r.batch == 31) && r.attempt == 1 ? Fault::Answer429 : Fault::None;
        },
        Fault::Answer429);
    CHECK(outcome.injected == 3);
    CHECK(outcome.totals.failures == 3);
    CHECK_THAT(outcome.totals.errors.front(), Catch::Contains("HTTP 429"));
    auto log = outcome.log;
    std::sort(log.begin(), log.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    int checked = 0;
    for (std::size_t i = 0; i + 1 < log.size(); ++i) {
        if (log[i].fault != Fault::Answer429) continue;
        const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(log[i + 1].arrived - log[i].finished);
        INFO("wait after the 429 to request " << log[i + 1].index << ": " << waited.count() << " ms");
        CHECK(waited >= 1000ms);
        CHECK(waited < 1500ms);  // and not much more: the backoff cap is 200 ms
        CHECK(log[i + 1].batch == log[i].batch);
        ++checked;
    }
    CHECK(checked == 3);
    CHECK(outcome.seconds >= 3.0);
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("a hub restarted mid-batch loses nothing and stores nothing twice", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    // Restarts alternate: the hub dies while the body is on its way (nothing committed), or while it
    // handles the batch (it finishes or drops it, then goes away). Down 150 ms, database reopened.
    const auto outcome = drain_through(
        hub, path,
        [](const ProxiedRequest& r) { return r.batch % 8 == 2 && r.attempt == 1 ? Fault::HubRestart : Fault::None; },
        Fault::HubRestart, true);
    CHECK(outcome.injected == 5);
    CHECK(outcome.totals.failures > 0);
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("every fault mixed, in a seeded random order", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    const auto ids = testing::fill_ledger(path, kEvents);

    // A pure function of (batch, attempt) so that a failure replays the same way. About half of the
    // first attempts and a quarter of the second are faulted; later attempts pass.
    const auto rule = [](const ProxiedRequest& r) {
        if (r.attempt > 2) return Fault::None;
        std::uint64_t x = static_cast<std::uint64_t>(r.batch) * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(r.attempt);
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9ull;
        x ^= x >> 29;
        const int roll = static_cast<int>(x % 100);
        if (r.attempt == 2 && roll >= 25) return Fault::None;
        static constexpr Fault kFaults[] = {Fault::Reset,     Fault::DropAnswer, Fault::SlowDrip, Fault::Answer500,
                                            Fault::Commit500, Fault::Reset,      Fault::DropAnswer, Fault::HubRestart};
        if (roll < 50) return kFaults[roll % 8];
        if (roll == 97) return Fault::Stall;      // ~1 in 100: costs the 2 s timeout
        if (roll == 98) return Fault::Answer429;  // costs a second
        return Fault::None;
    };
    const auto outcome = drain_through(hub, path, rule, Fault::Reset, true);
    CHECK(outcome.injected_total >= 15);
    check_exactly_once(outcome, hub, path, ids);
}

TEST_CASE("BackgroundSync delivers through faults and shuts down at once mid-transfer", "[sync][faults]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    testing::fill_ledger(path, 5000);

    FaultProxy proxy(hub.port(), {}, [&hub] { return hub.restart(100ms); });
    proxy.set_rule([](const ProxiedRequest& r) {
        if (r.attempt > 2) return Fault::None;
        switch (r.batch % 5) {
            case 0: return Fault::Reset;
            case 1: return r.attempt == 1 ? Fault::DropAnswer : Fault::None;
            case 2: return Fault::Answer500;
            case 3: return r.attempt == 1 ? Fault::HubRestart : Fault::None;
            default: return r.batch == 4 && r.attempt == 1 ? Fault::Answer429 : Fault::None;
        }
    });
    auto endpoint = hub.endpoint();
    endpoint.url = proxy.url();
    sync::TransportOptions transport = testing::quick_transport();
    transport.total_timeout = 10s;  // longer than any shutdown below may take: only cancellation ends it early
    sync::BackgroundSyncOptions options;
    options.interval = 100ms;
    options.backoff_base = 10ms;
    options.backoff_cap = 200ms;
    options.retry.probe_gap = 10ms;
    options.retry.probe_jitter = 20ms;
    options.heartbeat_every = 1h;  // one heartbeat, at start
    const auto open_ledger = [path] { return app::open_ledger_outbox(path); };

    // Drained: the snapshot says so after a successful pass, and the ledger agrees.
    const auto wait_drained = [&](sync::BackgroundSync& uploader) {
        const auto deadline = Clock::now() + 60s;
        for (;;) {
            const auto snapshot = uploader.snapshot();
            if (snapshot.last_success && snapshot.last_stop == sync::StopReason::None && snapshot.outbox && snapshot.outbox->pending == 0 &&
                app::Ledger::open(path).value().status()->pending == 0) {
                return;
            }
            INFO("last error: " << snapshot.last_error);
            REQUIRE(Clock::now() < deadline);
            std::this_thread::sleep_for(20ms);
        }
    };

    auto uploader = std::make_unique<sync::BackgroundSync>(open_ledger, endpoint, transport, options);
    wait_drained(*uploader);
    CHECK(proxy.injected_total() >= 8);
    CHECK(proxy.injected(Fault::HubRestart) >= 1);
    CHECK(proxy.injected(Fault::Answer429) == 1);

    SECTION("destroyed while the proxy stalls an answer: returns in well under a second or two") {
        testing::fill_ledger(path, 500);
        proxy.set_rule([](const ProxiedRequest&) { return Fault::Stall; });
        uploader->sync_now();
        const auto deadline = Clock::now() + 10s;
        while (proxy.stalls_in_progress() == 0) {
            REQUIRE(Clock::now() < deadline);
            std::this_thread::sleep_for(5ms);
        }
        std::this_thread::sleep_for(100ms);  // well into the transfer
        const auto started = Clock::now();
        uploader.reset();
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        std::cout << "[faults] BackgroundSync destroyed mid-transfer in " << took.count() << " ms\n";
        CHECK(took < 2s);
        CHECK(app::Ledger::open(path).value().status()->pending == 500);  // the hub committed them, but the kiosk never heard

        // The next start resends them; the hub recognises them.
        proxy.set_rule({});
        uploader = std::make_unique<sync::BackgroundSync>(open_ledger, endpoint, transport, options);
        wait_drained(*uploader);
    }
    uploader.reset();
    proxy.stop();
    for (const auto& error : proxy.errors()) FAIL_CHECK("proxy: " << error);
    testing::require_exactly_once(hub.store(), path, testing::ledger_ids(path));
}
