// Staff mode: a PIN unlocks it; its menu has three pages — the shelf log (what staff see shoppers do
// with a product they choose), what shoppers just said (today's pains, each markable as seen) and the
// kiosk's health — and holds the only way out of the kiosk. A state machine like FmotFlow: no I/O, time passed in. The PIN is checked
// against its argon2id hash off the UI thread (StaffPinChecker), because argon2id is slow on purpose.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "truthpoint/app/event_sink.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::app {

enum class StaffStep {
    Locked,
    PinEntry,
    Checking,
    Menu,
    ConfirmExit,  // "Exit kiosk" asks first: shoppers would face the desktop until someone starts it again
};

// The staff menu's pages; the shelf log shows first.
enum class StaffPage { ShelfLog, ShoppersSaid, Health };

struct StaffTimings {
    std::chrono::milliseconds auto_lock{60000};   // the menu locks itself when left alone
    std::chrono::milliseconds pin_entry{20000};   // an abandoned PIN pad closes
    int max_attempts = 5;                         // wrong PINs before a lockout
    std::chrono::milliseconds lockout{60000};     // the first; each further lockout doubles it
    std::chrono::milliseconds max_lockout{3600000};
    std::chrono::milliseconds undo_window{10000};  // a shelf tap can be taken back for this long
};

// The lockout message (assets/i18n): %d is the minutes left, from StaffMode::locked_out_for().
inline constexpr const char* kLockedOutMessage = "Too many tries; locked for %d min";

class StaffMode {
public:
    StaffMode(EventSink& sink, core::UuidV7Generator& ids, bool pin_configured, StaffTimings timings = {});

    StaffStep step() const { return step_; }
    bool active() const { return step_ != StaffStep::Locked; }
    const std::string& entered_digits() const { return digits_; }  // the UI shows dots, never digits
    const std::string& message() const { return message_; }        // "wrong PIN", "no PIN set", ...
    bool exit_requested() const { return exit_requested_; }

    // The hidden gesture (held corner) opens the PIN pad.
    void open_pin_pad(core::Timestamp now);
    // How long the pad still refuses PINs after too many wrong ones; nullopt when it takes them.
    std::optional<std::chrono::milliseconds> locked_out_for(core::Timestamp now) const;
    void press_digit(char digit, core::Timestamp now);
    void erase_digit(core::Timestamp now);
    // Returns the PIN to check (the UI hands it to StaffPinChecker) or nothing if not ready/locked out.
    // Every verdict, and every PIN refused during a lockout, is a staff.pin audit event (never the digits).
    std::optional<std::string> submit(core::Timestamp now);
    void pin_checked(bool correct, core::Timestamp now);
    void cancel(core::Timestamp now);  // back to the shoppers

    // Menu actions.
    StaffPage page() const { return page_; }
    void show_page(StaffPage page, core::Timestamp now);
    void request_exit(core::Timestamp now);  // the menu's "Exit kiosk": asks first (ConfirmExit)
    void confirm_exit(core::Timestamp now);  // the kiosk ends
    void cancel_exit(core::Timestamp now);   // back to the menu

    // The shelf log. Staff choose the product (the grid, or its barcode) and it stays chosen for the
    // visit, whatever the attract screen shows meanwhile; empty until chosen.
    const std::string& chosen_sku() const { return chosen_sku_; }
    void choose_product(const std::string& sku, core::Timestamp now);
    void change_product(core::Timestamp now);  // back to the grid; the tallies stay
    void log_shelf(const char* observation, core::Timestamp now);
    // Taps of `observation` on `sku` this visit, undone ones taken off.
    int tally(const std::string& sku, std::string_view observation) const;
    // The observation an Undo would take back now: the last tap, within StaffTimings::undo_window, once.
    std::optional<std::string> undoable(core::Timestamp now) const;
    void undo_last(core::Timestamp now);  // a staff.undo event naming the tap; nothing is deleted

    // What shoppers just said: marks a pain.reported event (of `sku`) as seen, with a staff.seen event.
    void mark_seen(const std::string& pain_event_id, const std::string& sku, core::Timestamp now);
    bool marked_seen(const std::string& pain_event_id) const { return seen_.count(pain_event_id) > 0; }

    bool tick(core::Timestamp now);
    std::optional<core::Timestamp> next_deadline() const;

private:
    void lock();
    core::Event make_event(core::EventType type, const std::string& session_id, core::Timestamp now);
    void record_pin_attempt(const char* outcome, core::Timestamp now, std::optional<std::chrono::milliseconds> lockout);

    EventSink& sink_;
    core::UuidV7Generator& ids_;
    bool pin_configured_;
    StaffTimings timings_;
    StaffStep step_ = StaffStep::Locked;
    std::string digits_;
    std::string message_;
    std::string visit_id_;  // session_id of this staff visit's events
    core::Timestamp last_activity_{};
    std::string pad_id_;  // session_id of the audit events of this opening of the PIN pad
    int failed_attempts_ = 0;
    int lockouts_ = 0;  // since the last right PIN: each doubles the next
    std::optional<core::Timestamp> locked_out_until_;
    StaffPage page_ = StaffPage::ShelfLog;
    std::string chosen_sku_;
    std::map<std::pair<std::string, std::string>, int, std::less<>> tallies_;  // (sku, observation): this visit
    struct ShelfTap {
        std::string event_id;
        std::string sku;
        std::string observation;
        core::Timestamp at;
    };
    std::optional<ShelfTap> last_tap_;  // until undone, or the next tap
    std::set<std::string> seen_;        // pains marked seen while the kiosk runs
    bool exit_requested_ = false;
};

// argon2id (libsodium) in the "$argon2id$..." string form.
std::string hash_staff_pin(const std::string& pin);
bool verify_staff_pin(const std::string& pin, const std::string& pin_hash);
// 4 to 12 digits, not one digit repeated (1111) nor a straight run (1234, 9876): those are guessed first.
// Returns why not, or nullopt.
std::optional<std::string> check_pin_rules(const std::string& pin);
// Writes [staff] pin_hash into the kiosk.toml at `config_path`, keeping the rest of the file.
void store_pin_hash(const std::string& config_path, const std::string& pin_hash);

// Checks PINs on its own thread (argon2id takes a while on purpose). A newer PIN replaces one not yet
// started. `wake` runs on that thread when a result is ready.
class StaffPinChecker {
public:
    StaffPinChecker(std::string pin_hash, std::function<void()> wake = {});
    void check(std::string pin) { worker_.post(std::move(pin)); }
    // The verdict of the last PIN checked since the last call.
    std::optional<bool> take_result();
    void set_wake(std::function<void()> wake) { worker_.set_on_result(std::move(wake)); }

private:
    core::Worker<std::string, bool> worker_;
};

}  // namespace truthpoint::app
