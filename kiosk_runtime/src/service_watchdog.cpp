// The kiosk's proof of life for systemd (see service_watchdog.hpp).
#include "service_watchdog.hpp"

#include <systemd/sd-daemon.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "truthpoint/core/worker.hpp"

namespace truthpoint::kiosk_runtime {
namespace {

struct Stop {};

// Without a watchdog, only READY=1 is owed; the loop is asked once a second until it has drawn.
constexpr std::chrono::seconds kReadyQuestionInterval{1};

void watch(app::LoopHeartbeat& heartbeat, std::optional<std::chrono::microseconds> watchdog,
           core::Mailbox<Stop>& inbox) {
    const auto period = watchdog ? std::chrono::duration_cast<std::chrono::milliseconds>(*watchdog) / 3
                                 : std::chrono::milliseconds(kReadyQuestionInterval);
    bool ready = false;
    heartbeat.ask();
    while (inbox.wait_until(std::chrono::steady_clock::now() + period)) {
        if (!heartbeat.answered()) continue;  // no frame since the question: say nothing, systemd will act
        if (!ready) {
            sd_notify(0, "READY=1\nSTATUS=showing the attract screen");
            ready = true;
            if (!watchdog) return;
        }
        sd_notify(0, "WATCHDOG=1");
        heartbeat.ask();
    }
}

}  // namespace

struct ServiceWatchdog::Impl {
    std::optional<core::WorkerThread<Stop>> watcher;
};

ServiceWatchdog::ServiceWatchdog(app::LoopHeartbeat& heartbeat) : impl_(std::make_unique<Impl>()) {
    if (!std::getenv("NOTIFY_SOCKET")) return;
    std::optional<std::chrono::microseconds> watchdog;
    std::uint64_t interval_us = 0;
    if (sd_watchdog_enabled(0, &interval_us) > 0) watchdog = std::chrono::microseconds(interval_us);
    impl_->watcher.emplace("kiosk-watchdog", core::Keep::Latest,
                           [&heartbeat, watchdog](core::Mailbox<Stop>& inbox) { watch(heartbeat, watchdog, inbox); });
}

ServiceWatchdog::~ServiceWatchdog() {
    impl_->watcher.reset();
    if (std::getenv("NOTIFY_SOCKET")) sd_notify(0, "STOPPING=1");
}

}  // namespace truthpoint::kiosk_runtime
