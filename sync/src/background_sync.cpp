// BackgroundSync's loop: wait (interval, backoff or a request) → heartbeat → push → purge → repeat.
#include "truthpoint/sync/background_sync.hpp"

#include <exception>

namespace truthpoint::sync {

using Clock = std::chrono::system_clock;

BackgroundSync::BackgroundSync(OutboxOpener open_outbox, HubEndpoint endpoint, TransportOptions transport,
                               BackgroundSyncOptions options, std::function<void()> on_change)
    : open_outbox_(std::move(open_outbox)),
      endpoint_(std::move(endpoint)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      on_change_(std::move(on_change)) {
    boot_id_ = core::UuidV7Generator().next();
    worker_ = std::thread([this] { run(); });
}

BackgroundSync::~BackgroundSync() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cancel_ = true;  // aborts a transfer in flight through libcurl's progress callback
    wake_.notify_one();
    worker_.join();
}

void BackgroundSync::sync_now() {
    {
        std::lock_guard lock(mutex_);
        requested_ = true;
    }
    wake_.notify_one();
}

SyncSnapshot BackgroundSync::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

void BackgroundSync::write_heartbeat(core::Outbox& outbox, core::Timestamp now) {
    const core::OutboxStats stats = outbox.stats();
    core::Event heartbeat;
    core::UuidV7Generator ids;
    heartbeat.id = ids.next_at(now);
    heartbeat.type = core::EventType::KioskHeartbeat;
    heartbeat.occurred_at = now;
    heartbeat.session_id = boot_id_;  // one "session" per kiosk start: restarts show in the data
    heartbeat.locale = "en";
    heartbeat.data = {{"pending", stats.pending},
                      {"quarantined", stats.quarantined},
                      {"oldest_pending_s",
                       stats.oldest_pending_at
                           ? std::chrono::duration_cast<std::chrono::seconds>(now - *stats.oldest_pending_at).count()
                           : 0},
                      {"version", options_.version}};
    outbox.append(heartbeat);
}

void BackgroundSync::run() {
    std::unique_ptr<core::Outbox> outbox;
    std::string open_error;
    try {
        outbox = open_outbox_();
        const core::OutboxStats opened = outbox->stats();
        std::lock_guard lock(mutex_);
        snapshot_.outbox = opened;
    } catch (const std::exception& error) {
        open_error = std::string("cannot open the kiosk's ledger: ") + error.what();
    }
    HubClient client(endpoint_, transport_, &cancel_);
    Backoff backoff(options_.backoff_base, options_.backoff_cap);
    std::optional<core::Timestamp> last_heartbeat;

    auto next_attempt = core::now_utc();  // a first push at start-up: the backlog of a restart
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            snapshot_.next_attempt = next_attempt;
            wake_.wait_until(lock, next_attempt, [this] { return stopping_ || requested_; });
            if (stopping_) return;
            requested_ = false;
            snapshot_.running = true;
            snapshot_.last_attempt = core::now_utc();
        }
        if (on_change_) on_change_();

        SyncReport report;
        std::optional<core::OutboxStats> stats;  // unknown when the ledger failed: never shown as zeros
        const auto now = core::now_utc();
        if (!outbox) {
            report.stop = StopReason::Refused;
            report.error = open_error;
        } else {
            try {
                if (!last_heartbeat || now - *last_heartbeat >= options_.heartbeat_every) {
                    write_heartbeat(*outbox, now);
                    last_heartbeat = now;
                }
                report = push_pending(*outbox, client, options_.limits, &cancel_);
                if (report.ok()) outbox->purge_delivered_before(now - options_.retention);
                stats = outbox->stats();
            } catch (const std::exception& error) {  // a disk fault: the events stay where they are
                report.stop = StopReason::Retryable;
                report.error = std::string("the kiosk's ledger failed: ") + error.what();
            }
        }

        if (options_.after_push && report.stop != StopReason::Cancelled) options_.after_push(client);

        switch (report.stop) {
            case StopReason::None:
                backoff.reset();
                next_attempt = core::now_utc() + std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval);
                break;
            case StopReason::Retryable:
                next_attempt = core::now_utc() + backoff.next_delay(report.retry_after);
                break;
            case StopReason::Refused:  // a person must act; keep trying, slowly, in case they did
                next_attempt = core::now_utc() + backoff.cap();
                break;
            case StopReason::Cancelled:
                return;
        }
        {
            std::lock_guard lock(mutex_);
            snapshot_.running = false;
            snapshot_.last_stop = report.stop;
            snapshot_.last_error = report.error;
            if (report.ok()) snapshot_.last_success = core::now_utc();
            if (stats) snapshot_.outbox = *stats;
        }
        if (on_change_) on_change_();
    }
}

}  // namespace truthpoint::sync
