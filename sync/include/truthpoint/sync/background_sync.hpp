// The kiosk's uploader thread: its own outbox connection, pushes every interval (sooner on request),
// after failures backs off with jitter and probes the hub to be back soon after it (RetrySchedule),
// writes heartbeats, purges old delivered events. The UI never waits on it: it reads a snapshot and may
// ask for a sync now. Shutdown cancels a transfer in flight.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/worker.hpp"
#include "truthpoint/sync/backoff.hpp"
#include "truthpoint/sync/hub_client.hpp"
#include "truthpoint/sync/kiosk_identity.hpp"
#include "truthpoint/sync/uploader.hpp"

namespace truthpoint::sync {

struct BackgroundSyncOptions {
    std::chrono::milliseconds interval{30000};
    std::chrono::milliseconds backoff_base{1000};
    std::chrono::milliseconds backoff_cap{300000};
    RetryOptions retry;  // how often a kiosk probes a hub that is down (see RetrySchedule)
    std::chrono::milliseconds heartbeat_every{300000};
    std::chrono::hours retention{24 * 30};  // delivered events are kept this long, then purged
    std::string version = "unknown";        // reported in heartbeats
    BatchLimits limits;
    // The kiosk the configuration names: nothing is sent, nor any configuration pulled, until the hub says
    // the token is its (IdentityCheck). Unset: no check (tests, benches).
    std::optional<ExpectedKiosk> expected_kiosk;
    // Runs on the sync thread after every push attempt (not on shutdown), with the same HubClient: e.g. a
    // sync::ConfigPoller. It must not throw; the client's transfers are cancelled at shutdown. Skipped while
    // the hub has not confirmed expected_kiosk: another kiosk's configuration is never applied.
    std::function<void(HubClient&)> after_push;
};

// What the UI (staff mode) and `status` may show. Copied out under a lock.
struct SyncSnapshot {
    bool running = false;  // a push is under way
    std::optional<core::Timestamp> last_attempt;
    std::optional<core::Timestamp> last_success;
    // When the kiosk next contacts the hub: a push, or while pushes fail, a probe (GET /healthz) that is
    // followed at once by a push when the hub is back.
    std::optional<core::Timestamp> next_attempt;
    std::string last_error;  // the last push's, or a later probe's that found the hub still down
    core::SyncProblem problem = core::SyncProblem::None;  // what last_error means for a person
    StopReason last_stop = StopReason::None;
    std::optional<core::OutboxStats> outbox;  // as of the last pass that could read the ledger
};

class BackgroundSync {
public:
    using OutboxOpener = std::function<core::Result<std::unique_ptr<core::Outbox>>()>;  // runs on the sync thread

    BackgroundSync(OutboxOpener open_outbox, HubEndpoint endpoint, TransportOptions transport,
                   BackgroundSyncOptions options, std::function<void()> on_change = {});
    ~BackgroundSync();  // cancels a transfer in flight, then the worker's destructor closes its inbox and joins
    BackgroundSync(const BackgroundSync&) = delete;
    BackgroundSync& operator=(const BackgroundSync&) = delete;

    void sync_now();  // staff "sync now", or new events worth sending early
    SyncSnapshot snapshot() const;

private:
    struct SyncRequest {};  // "sync now": only whether one is waiting matters (Keep::Latest)

    void run(core::Mailbox<SyncRequest>& inbox);
    core::Status write_heartbeat(core::Outbox& outbox, core::Timestamp now);

    OutboxOpener open_outbox_;
    HubEndpoint endpoint_;
    TransportOptions transport_;
    BackgroundSyncOptions options_;
    std::function<void()> on_change_;
    std::string boot_id_;

    mutable std::mutex mutex_;  // guards snapshot_ only
    SyncSnapshot snapshot_;
    std::atomic<bool> cancel_{false};          // aborts a transfer in flight (libcurl's progress callback)
    core::WorkerThread<SyncRequest> worker_;  // last: its thread starts once everything above exists
};

}  // namespace truthpoint::sync
