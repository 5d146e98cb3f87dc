// Staff mode's handle on the uploader: "sync now", and a view of it (the uploader's snapshot, the
// ledger's counts as they are now, the backlog and disk warnings) put together on a worker of its own,
// because those are disk reads and the UI thread never touches the disk.
#pragma once

#include <functional>
#include <optional>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/kiosk_services.hpp"
#include "truthpoint/core/worker.hpp"
#include "truthpoint/sync/background_sync.hpp"

namespace truthpoint::kiosk_runtime {

// The view staff mode shows for an uploader snapshot and the outbox's counts now (the snapshot's, as of
// its last pass, when the ledger could not be read); `warnings` from app::outbox_warnings (a statvfs).
app::SyncView sync_view_of(const sync::SyncSnapshot& snapshot, const std::optional<core::OutboxStats>& outbox_now,
                           const app::KioskConfig& config);

class UploaderControl final : public app::SyncControl {
public:
    UploaderControl(const app::KioskConfig& config, sync::BackgroundSync& uploader);

    void request_view() override { viewer_.post(ViewRequest{}); }
    std::optional<app::SyncView> take_view() override;
    void sync_now() override { uploader_.sync_now(); }
    void set_wake(std::function<void()> wake) override { viewer_.set_on_result(std::move(wake)); }

private:
    struct ViewRequest {};
    sync::BackgroundSync& uploader_;
    core::Worker<ViewRequest, app::SyncView> viewer_;
};

}  // namespace truthpoint::kiosk_runtime
