// The hub under systemd (Type=notify): READY=1 once it listens, then WATCHDOG=1 only while its own
// HTTP server answers a request, so a server whose event loop hangs is restarted, not just a dead process.
#pragma once

#include <memory>
#include <string>

namespace truthpoint::hub {

class ServiceWatchdog {
public:
    // `health_url`: the bound server's /healthz. Does nothing outside systemd (no NOTIFY_SOCKET).
    explicit ServiceWatchdog(std::string health_url);
    ~ServiceWatchdog();  // says STOPPING=1 and stops asking
    ServiceWatchdog(const ServiceWatchdog&) = delete;
    ServiceWatchdog& operator=(const ServiceWatchdog&) = delete;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
