// The kiosk under systemd (Type=notify, WatchdogSec): READY=1 once the window has drawn its first frame,
// then WATCHDOG=1 only while the window loop keeps answering with drawn frames (app::LoopHeartbeat).
// A frozen screen is restarted like a crashed process. Outside systemd (no NOTIFY_SOCKET) it does nothing.
#pragma once

#include <memory>

#include "truthpoint/app/kiosk_services.hpp"

namespace truthpoint::kiosk_runtime {

class ServiceWatchdog {
public:
    explicit ServiceWatchdog(app::LoopHeartbeat& heartbeat);  // `heartbeat` must outlive it
    ~ServiceWatchdog();
    ServiceWatchdog(const ServiceWatchdog&) = delete;
    ServiceWatchdog& operator=(const ServiceWatchdog&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::kiosk_runtime
