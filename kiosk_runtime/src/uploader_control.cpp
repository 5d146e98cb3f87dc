// UploaderControl: the uploader's snapshot turned into staff mode's view, off the UI thread.
#include "truthpoint/kiosk_runtime/uploader_control.hpp"

#include <memory>

#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/status_report.hpp"

namespace truthpoint::kiosk_runtime {

app::SyncView sync_view_of(const sync::SyncSnapshot& snapshot, const std::optional<core::OutboxStats>& outbox_now,
                           const app::KioskConfig& config) {
    app::SyncView view;
    view.running = snapshot.running;
    view.last_attempt = snapshot.last_attempt;
    view.last_success = snapshot.last_success;
    view.next_attempt = snapshot.next_attempt;
    view.last_error = snapshot.last_error;
    view.problem = snapshot.problem;
    view.free_disk_bytes = app::free_disk_bytes(config);
    if (const auto& outbox = outbox_now ? outbox_now : snapshot.outbox) {
        view.pending = outbox->pending;
        view.delivered = outbox->delivered;
        view.quarantined = outbox->quarantined;
        app::LedgerStatus counts;
        counts.pending = outbox->pending;
        counts.quarantined = outbox->quarantined;
        view.warnings = app::outbox_warnings(counts, config);
    }
    return view;
}

UploaderControl::UploaderControl(const app::KioskConfig& config, sync::BackgroundSync& uploader)
    : uploader_(uploader),
      viewer_("tp-sync-view", core::Keep::Latest,
              [&config, &uploader, ledger = std::shared_ptr<app::Ledger>()](ViewRequest&) mutable {
                  // Its own connection, opened on this thread at the first view. When the ledger fails, the
                  // snapshot's counts and the uploader's error tell the rest.
                  std::optional<core::OutboxStats> now;
                  if (!ledger) {
                      auto opened = app::Ledger::open(config.db_path);
                      if (opened) ledger = std::make_shared<app::Ledger>(std::move(opened).value());
                  }
                  if (ledger) {
                      if (auto counted = ledger->stats()) now = counted.value();
                  }
                  return sync_view_of(uploader.snapshot(), now, config);
              }) {}

std::optional<app::SyncView> UploaderControl::take_view() {
    auto views = viewer_.take_results();
    if (views.empty()) return std::nullopt;
    return std::move(views.back());
}

}  // namespace truthpoint::kiosk_runtime
