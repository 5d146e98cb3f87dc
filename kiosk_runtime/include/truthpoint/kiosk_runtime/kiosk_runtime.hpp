// What runs beside the kiosk's window: the uploader on its own thread and ledger connection, pulling
// the hub's configuration after its pushes, and the services the session uses to reach it.
#pragma once

#include <memory>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/kiosk_services.hpp"
#include "truthpoint/sync/background_sync.hpp"
#include "truthpoint/kiosk_runtime/uploader_control.hpp"

namespace truthpoint::kiosk_runtime {

class ServiceWatchdog;

// libcurl's TLS settings from [hub] ca_file and pinned_public_key.
sync::TransportOptions transport_options(const app::KioskConfig& config);
// The kiosk the configuration names ([kiosk] id and store, and its file), for sync::IdentityCheck.
sync::ExpectedKiosk expected_kiosk(const app::KioskConfig& config);
// The uploader's settings from the configuration: interval, retention, version for heartbeats, and the
// kiosk it must be at the hub.
sync::BackgroundSyncOptions uploader_options(const app::KioskConfig& config, std::string version);

class KioskRuntime {
public:
    // Starts the uploader at once (its first push is the backlog of a restart). `config` must outlive it.
    KioskRuntime(const app::KioskConfig& config, std::string version);
    ~KioskRuntime();  // stops the uploader, cancelling a transfer in flight
    KioskRuntime(const KioskRuntime&) = delete;
    KioskRuntime& operator=(const KioskRuntime&) = delete;

    app::KioskServices services() { return {control_.get(), &shelf_updates_, &heartbeat_}; }

private:
    app::ShelfInbox shelf_updates_;
    app::LoopHeartbeat heartbeat_;
    std::unique_ptr<ServiceWatchdog> watchdog_;  // tells systemd the window loop draws
    std::unique_ptr<sync::BackgroundSync> uploader_;
    std::unique_ptr<UploaderControl> control_;  // before the uploader in destruction: it reads it
};

}  // namespace truthpoint::kiosk_runtime
