// What the kiosk window may use from the threads beside it without knowing them: the uploader's
// state and its "sync now", and new shelf configurations pulled from the hub. cmd/truthpoint-kiosk
// wires these to sync/; the window only reads snapshots and takes from a mailbox — never blocks.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/core/time.hpp"

namespace truthpoint::app {

// The uploader as staff mode shows it.
struct SyncView {
    bool running = false;
    std::optional<core::Timestamp> last_success;
    std::optional<core::Timestamp> next_attempt;
    std::string last_error;                    // empty when the last pass delivered everything
    std::optional<std::int64_t> pending;       // unknown until the uploader has read the ledger
    std::optional<std::int64_t> quarantined;
    std::vector<std::string> warnings;         // backlog past its limit, disk low (outbox_warnings)
};

class SyncControl {
public:
    virtual ~SyncControl() = default;
    virtual SyncView view() const = 0;  // cheap: a copy under a lock
    virtual void sync_now() = 0;        // returns at once; the uploader wakes
};

// A one-slot mailbox: the sync thread posts the newest configuration, the UI takes it at the start of
// a frame (and applies it when no shopper is mid-session). A newer post replaces an untaken one.
class ShelfInbox {
public:
    void post(HubConfig config) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex_);
            latest_ = std::move(config);
            wake = wake_;
        }
        if (wake) wake();
    }
    std::optional<HubConfig> take() {
        std::lock_guard lock(mutex_);
        return std::exchange(latest_, std::nullopt);
    }
    // The UI installs how to wake its loop (an SDL user event).
    void set_wake(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }

private:
    std::mutex mutex_;
    std::optional<HubConfig> latest_;
    std::function<void()> wake_;
};

struct KioskServices {
    SyncControl* sync = nullptr;           // null: staff mode shows no sync panel
    ShelfInbox* shelf_updates = nullptr;   // null: the shelf stays as started
};

}  // namespace truthpoint::app
