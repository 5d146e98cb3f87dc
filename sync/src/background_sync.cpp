// BackgroundSync's loop: wait (interval, retry schedule or a request) → [probe] → heartbeat → push → purge → repeat.
#include "truthpoint/sync/background_sync.hpp"

#include <exception>

namespace truthpoint::sync {

BackgroundSync::BackgroundSync(OutboxOpener open_outbox, HubEndpoint endpoint, TransportOptions transport,
                               BackgroundSyncOptions options, std::function<void()> on_change)
    : open_outbox_(std::move(open_outbox)),
      endpoint_(std::move(endpoint)),
      transport_(std::move(transport)),
      options_(std::move(options)),
      on_change_(std::move(on_change)),
      boot_id_(core::UuidV7Generator().next()),
      worker_("truthpoint-sync", core::Keep::Latest, [this](core::Mailbox<SyncRequest>& inbox) { run(inbox); }) {}

// Cancel first, so that a push or probe in flight returns at once; then worker_'s destructor closes the
// inbox (waking the wait) and joins.
BackgroundSync::~BackgroundSync() { cancel_ = true; }

void BackgroundSync::sync_now() { worker_.post(SyncRequest{}); }

SyncSnapshot BackgroundSync::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

core::Status BackgroundSync::write_heartbeat(core::Outbox& outbox, core::Timestamp now) {
    const auto counted = outbox.stats();
    if (!counted) return counted.error();
    const core::OutboxStats& stats = counted.value();
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
    return outbox.append(heartbeat);
}

namespace {

// A probe's answer, for staff mode: why the kiosk is still waiting.
std::string describe_probe(const HubClient& client, const HttpResult& answer) {
    if (!answer) return describe_unreached(client.endpoint().url, answer.error());
    return "the hub at " + client.endpoint().url + " is still unavailable (GET /healthz answered HTTP " +
           std::to_string(answer->status) + "); the events stay pending";
}

bool hub_up(const HttpResult& answer) { return answer && answer->status != 429 && answer->status < 500; }

}  // namespace

void BackgroundSync::run(core::Mailbox<SyncRequest>& inbox) {
    auto opened_outbox = open_outbox_();
    std::unique_ptr<core::Outbox> outbox;
    std::optional<core::Error> open_error;
    if (opened_outbox) {
        outbox = std::move(opened_outbox).value();
    } else {
        open_error = opened_outbox.error();
    }
    if (outbox) {
        if (const auto opened = outbox->stats()) {
            std::lock_guard lock(mutex_);
            snapshot_.outbox = opened.value();
        }
    }
    HubClient client(endpoint_, transport_, &cancel_);
    RetrySchedule schedule(Backoff(options_.backoff_base, options_.backoff_cap), options_.retry);
    std::optional<core::Timestamp> last_heartbeat;
    std::optional<IdentityCheck> identity;
    if (options_.expected_kiosk) identity.emplace(*options_.expected_kiosk);
    IdentityCheck* const checked_identity = identity ? &*identity : nullptr;

    auto next_contact = core::now_utc();  // a first push at start-up: the backlog of a restart
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            snapshot_.next_attempt = next_contact;
        }
        const auto requests = inbox.wait_until(next_contact);
        if (!requests || cancel_) return;  // shutdown
        const bool asked = !requests->empty();  // a person (or the app) asked: push now, whatever the schedule

        if (!asked && schedule.contact_at(core::now_utc()) == Contact::Probe) {
            const HttpResult answer = client.get_health();
            if (cancel_) return;
            const bool up = hub_up(answer);
            next_contact = schedule.probe_answered(core::now_utc(), up, answer ? answer->retry_after : std::nullopt);
            if (!up) {
                {
                    std::lock_guard lock(mutex_);
                    snapshot_.last_error = describe_probe(client, answer);
                    snapshot_.problem = answer ? core::SyncProblem::HubBusy : unreached_problem(answer.error());
                    snapshot_.next_attempt = next_contact;
                }
                if (on_change_) on_change_();
            }
            if (next_contact > core::now_utc()) continue;  // still down, or up but the backoff is not over
        }

        {
            std::lock_guard lock(mutex_);
            snapshot_.running = true;
            snapshot_.last_attempt = core::now_utc();
        }
        if (on_change_) on_change_();

        SyncReport report;
        std::optional<core::OutboxStats> stats;  // unknown when the ledger failed: never shown as zeros
        const auto now = core::now_utc();
        if (!outbox) {
            report.stop = StopReason::Refused;
            report.problem = core::SyncProblem::LedgerFailed;
            report.error = *open_error;
        } else {
            core::Status heartbeat = core::Ok{};
            if (!last_heartbeat || now - *last_heartbeat >= options_.heartbeat_every) {
                heartbeat = write_heartbeat(*outbox, now);
                if (heartbeat) last_heartbeat = now;
            }
            if (!heartbeat) {  // a disk fault: the events stay where they are
                report.stop = StopReason::Retryable;
                report.problem = core::SyncProblem::LedgerFailed;
                report.error = heartbeat.error();
            } else {
                report = push_pending(*outbox, client, options_.limits, &cancel_, checked_identity);
                if (report.ok()) {
                    if (auto purged = outbox->purge_delivered_before(now - options_.retention); !purged) {
                        report.stop = StopReason::Retryable;
                        report.problem = core::SyncProblem::LedgerFailed;
                        report.error = purged.error();
                    }
                }
            }
            if (auto counted = outbox->stats()) {
                stats = counted.value();
            } else if (report.stop != StopReason::Cancelled) {
                report.stop = StopReason::Retryable;
                report.problem = core::SyncProblem::LedgerFailed;
                report.error = counted.error();
            }
        }

        if (options_.after_push && report.stop != StopReason::Cancelled) {
            // The hub serves the configuration of the token's store: only once it is this kiosk's. The push
            // asked already, unless the ledger failed first; a known mismatch is not asked twice.
            if (identity && !identity->confirmed() && report.problem != core::SyncProblem::WrongKiosk) {
                (void)identity->check(client);
            }
            if (!identity || identity->confirmed()) options_.after_push(client);
        }

        switch (report.stop) {
            case StopReason::None:
                schedule.push_succeeded();
                next_contact = core::now_utc() + std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval);
                break;
            case StopReason::Retryable:
                next_contact = schedule.push_failed(core::now_utc(), report.error.retry_after);
                break;
            case StopReason::Refused:  // a person must act; keep trying, slowly, in case they did
                next_contact = schedule.push_refused(core::now_utc());
                break;
            case StopReason::Cancelled:
                return;
        }
        {
            std::lock_guard lock(mutex_);
            snapshot_.running = false;
            snapshot_.next_attempt = next_contact;  // before the wake-up: the panel reads it at once
            snapshot_.last_stop = report.stop;
            snapshot_.last_error = report.error.message;
            snapshot_.problem = report.problem;
            if (report.ok()) snapshot_.last_success = core::now_utc();
            if (stats) snapshot_.outbox = *stats;
        }
        if (on_change_) on_change_();
    }
}

}  // namespace truthpoint::sync
