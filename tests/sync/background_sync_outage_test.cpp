// BackgroundSync with the options a kiosk runs by default, through a hub outage: what a person watching the
// hub and the staff panel would check. It honours Retry-After, sends about one request per two seconds at
// most while the hub is down, pushes no batch into it after the first, is back within seconds of its return,
// and a refusal stays slow. Bounds are generous (a loaded machine only makes waits longer); exact speed is
// bench/sync_outage.cpp's business.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "fault_proxy.hpp"
#include "fault_support.hpp"
#include "truthpoint/sync/background_sync.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using testing::Fault;
using testing::FaultProxy;
using testing::LoopbackHub;
using testing::ProxyLogEntry;
using testing::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

std::vector<ProxyLogEntry> answered_with(const FaultProxy& proxy, Fault fault) {
    std::vector<ProxyLogEntry> out;
    for (const auto& entry : proxy.log()) {
        if (entry.fault == fault) out.push_back(entry);
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    return out;
}

}  // namespace

TEST_CASE("after an outage the uploader is back within seconds, having asked the hub gently", "[sync][outage]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    testing::fill_ledger(path, 300);
    FaultProxy proxy(hub.port());
    auto endpoint = hub.endpoint();
    endpoint.url = proxy.url();
    const auto open_ledger = [path] { return app::open_ledger_outbox(path); };

    std::chrono::seconds retry_after{0};
    Fault outage = Fault::Answer503;
    SECTION("503 with Retry-After: 3") {
        retry_after = 3s;
    }
    SECTION("connections reset, no answer at all") {
        outage = Fault::Reset;
    }
    proxy.set_retry_after(static_cast<int>(retry_after.count()));
    proxy.set_rule([outage](const testing::ProxiedRequest&) { return outage; });

    constexpr auto kOutage = 9s;
    const auto started = Clock::now();
    sync::BackgroundSync uploader(open_ledger, endpoint, {}, {});  // the defaults: nothing shortened

    // The staff panel tells the truth meanwhile: the failure, and a next attempt seconds away, not minutes.
    REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::Retryable; }, 5s));
    const auto during = uploader.snapshot();
    CHECK_THAT(during.last_error, Catch::Contains(outage == Fault::Reset ? "cannot reach the hub" : "HTTP 503"));
    REQUIRE(during.next_attempt);
    REQUIRE(during.last_attempt);
    CHECK(*during.next_attempt - *during.last_attempt >= std::max<std::chrono::milliseconds>(retry_after, 2s));
    CHECK(*during.next_attempt - *during.last_attempt <= 15s);
    CHECK(during.outbox->pending == 301);  // with the heartbeat

    std::this_thread::sleep_until(started + kOutage);
    proxy.set_rule({});
    const auto returned = Clock::now();
    REQUIRE(eventually([&] { return app::Ledger::open(path).value().status()->pending == 0; }, 25s));
    const auto back_after = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - returned);
    std::cout << "[outage] " << testing::to_string(outage) << ": back " << back_after.count()
              << " ms after the hub's return\n";

    const auto requests = answered_with(proxy, outage);
    INFO(requests.size() << " requests during the outage");
    CHECK(requests.size() >= 2);  // it did probe
    CHECK(requests.size() <= 1 + kOutage / 2s);  // about one per two seconds at most
    int pushes = 0;
    for (const auto& request : requests) pushes += request.target.rfind("POST", 0) == 0;
    CHECK(pushes == 1);  // the first one only: the rest were GET /healthz
    for (std::size_t i = 0; i + 1 < requests.size(); ++i) {
        const auto gap = requests[i + 1].arrived - requests[i].finished;
        INFO("between requests " << requests[i].index << " and " << requests[i + 1].index << ": "
                                 << std::chrono::duration_cast<std::chrono::milliseconds>(gap).count() << " ms");
        CHECK(gap >= std::max<std::chrono::milliseconds>(retry_after, 2s) - 50ms);  // Retry-After honoured
    }

    REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::None; }, 5s));
    const auto after = uploader.snapshot();
    CHECK(after.last_error.empty());
    REQUIRE(after.last_success);
    CHECK(*after.next_attempt - *after.last_success >= 25s);  // back to the normal interval
    proxy.stop();
    for (const auto& error : proxy.errors()) FAIL_CHECK("proxy: " << error);
    testing::require_exactly_once(hub.store(), path, testing::ledger_ids(path));
}

TEST_CASE("a refusal stays slow: no probes, the next attempt minutes away", "[sync][outage]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto path = dir.file("kiosk.db");
    testing::fill_ledger(path, 20);
    FaultProxy proxy(hub.port(), [](const testing::ProxiedRequest&) { return Fault::Answer403; });
    auto endpoint = hub.endpoint();
    endpoint.url = proxy.url();
    sync::BackgroundSync uploader([path] { return app::open_ledger_outbox(path); }, endpoint, {}, {});

    REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::Refused; }, 10s));
    std::this_thread::sleep_for(5s);
    CHECK(proxy.requests() == 1);
    const auto snapshot = uploader.snapshot();
    CHECK_THAT(snapshot.last_error, Catch::Contains("HTTP 403"));
    CHECK(*snapshot.next_attempt - *snapshot.last_attempt >= 4min);
    CHECK(app::Ledger::open(path).value().status()->pending == 21);
}
