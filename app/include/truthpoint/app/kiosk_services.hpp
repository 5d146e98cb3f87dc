// What the kiosk session may use from the threads beside it without knowing them: the uploader's
// state and its "sync now", and new shelf configurations pulled from the hub. The kiosk runtime
// (kiosk_runtime/) wires these to sync/; the session only asks, and takes from mailboxes — never blocks.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::app {

// The uploader as staff mode shows it.
struct SyncView {
    bool running = false;
    std::optional<core::Timestamp> last_attempt;  // the start of the last push
    std::optional<core::Timestamp> last_success;
    std::optional<core::Timestamp> next_attempt;
    std::string last_error;                    // empty when the last pass delivered everything
    core::SyncProblem problem = core::SyncProblem::None;  // what last_error means: staff read advice
    std::optional<std::int64_t> pending;       // unknown until the uploader has read the ledger
    std::optional<std::int64_t> delivered;
    std::optional<std::int64_t> quarantined;
    std::optional<std::uint64_t> free_disk_bytes;  // where the ledger is
    std::vector<std::string> warnings;         // backlog past its limit, disk low (outbox_warnings)
};

class SyncControl {
public:
    virtual ~SyncControl() = default;
    // Asks for a fresh view. It is put together off the caller's thread (the free-disk figure is a
    // statvfs) and arrives through take_view(); `wake` runs then. Returns at once.
    virtual void request_view() = 0;
    virtual std::optional<SyncView> take_view() = 0;
    virtual void sync_now() = 0;  // returns at once; the uploader wakes
    virtual void set_wake(std::function<void()> wake) = 0;
};

// A one-slot mailbox: the sync thread posts the newest configuration, the session takes it
// (take_latest) and applies it when no shopper is mid-session. A newer post replaces an untaken one.
class ShelfInbox : public core::Mailbox<HubConfig> {
public:
    ShelfInbox() : core::Mailbox<HubConfig>(core::Keep::Latest) {}
};

// The window loop's proof of life for the service watchdog: another thread asks, and the loop answers
// once it has drawn a frame after the question. A loop that hangs (or stops drawing) stops answering, so
// systemd restarts a kiosk whose screen froze, not only one whose process died.
class LoopHeartbeat {
public:
    // Any thread: asks anew and wakes the loop.
    void ask() {
        asked_.fetch_add(1);
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            wake = wake_;
        }
        if (wake) wake();
    }
    // Any thread: whether the loop has answered every question asked so far.
    bool answered() const { return answered_.load() == asked_.load(); }

    // The loop: the question to answer (0: none waits), and its answer after the next drawn frame.
    std::uint64_t question() const { return answered() ? 0 : asked_.load(); }
    void answer(std::uint64_t question) { answered_.store(question); }
    void set_wake(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }

private:
    std::atomic<std::uint64_t> asked_{0};
    std::atomic<std::uint64_t> answered_{0};
    std::mutex mutex_;
    std::function<void()> wake_;
};

struct KioskServices {
    SyncControl* sync = nullptr;           // null: staff mode shows no sync panel
    ShelfInbox* shelf_updates = nullptr;   // null: the shelf stays as started
    LoopHeartbeat* heartbeat = nullptr;    // null: nobody watches the loop
};

}  // namespace truthpoint::app
