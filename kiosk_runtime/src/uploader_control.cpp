// UploaderControl: the uploader's snapshot turned into staff mode's view, off the UI thread.
#include "truthpoint/kiosk_runtime/uploader_control.hpp"

#include "truthpoint/app/status_report.hpp"

namespace truthpoint::kiosk_runtime {

app::SyncView sync_view_of(const sync::SyncSnapshot& snapshot, const app::KioskConfig& config) {
    app::SyncView view;
    view.running = snapshot.running;
    view.last_success = snapshot.last_success;
    view.next_attempt = snapshot.next_attempt;
    view.last_error = snapshot.last_error;
    if (snapshot.outbox) {
        view.pending = snapshot.outbox->pending;
        view.quarantined = snapshot.outbox->quarantined;
        app::LedgerStatus counts;
        counts.pending = snapshot.outbox->pending;
        counts.quarantined = snapshot.outbox->quarantined;
        view.warnings = app::outbox_warnings(counts, config);
    }
    return view;
}

UploaderControl::UploaderControl(const app::KioskConfig& config, sync::BackgroundSync& uploader)
    : uploader_(uploader),
      viewer_("tp-sync-view", core::Keep::Latest,
              [&config, &uploader](ViewRequest&) { return sync_view_of(uploader.snapshot(), config); }) {}

std::optional<app::SyncView> UploaderControl::take_view() {
    auto views = viewer_.take_results();
    if (views.empty()) return std::nullopt;
    return std::move(views.back());
}

}  // namespace truthpoint::kiosk_runtime
