// Staff mode's state machine, the argon2id PIN helpers and the PIN checker thread.
#include "truthpoint/app/staff_mode.hpp"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "truthpoint/app/atomic_file.hpp"

namespace truthpoint::app {

using core::Timestamp;

namespace {

constexpr std::size_t kMaxPinDigits = 12;

void ensure_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise (no entropy source?)");
}

}  // namespace

StaffMode::StaffMode(EventSink& sink, core::UuidV7Generator& ids, bool pin_configured, StaffTimings timings)
    : sink_(sink), ids_(ids), pin_configured_(pin_configured), timings_(timings) {}

void StaffMode::lock() {
    step_ = StaffStep::Locked;
    digits_.clear();
    message_.clear();
    visit_id_.clear();
    page_ = StaffPage::ShelfLog;
    chosen_sku_.clear();
    tallies_.clear();
    last_tap_.reset();
}

void StaffMode::open_pin_pad(Timestamp now) {
    if (step_ != StaffStep::Locked) return;
    step_ = StaffStep::PinEntry;
    pad_id_ = ids_.next_at(now);
    digits_.clear();
    message_ = pin_configured_ ? "" : "No staff PIN is set on this kiosk";
    last_activity_ = now;
}

void StaffMode::press_digit(char digit, Timestamp now) {
    if (step_ != StaffStep::PinEntry || digit < '0' || digit > '9') return;
    last_activity_ = now;
    if (digits_.size() < kMaxPinDigits) digits_ += digit;
}

void StaffMode::erase_digit(Timestamp now) {
    if (step_ != StaffStep::PinEntry) return;
    last_activity_ = now;
    if (!digits_.empty()) digits_.pop_back();
}

std::optional<std::string> StaffMode::submit(Timestamp now) {
    if (step_ != StaffStep::PinEntry) return std::nullopt;
    last_activity_ = now;
    if (!pin_configured_) {
        message_ = "No staff PIN is set on this kiosk";
        return std::nullopt;
    }
    if (locked_out_for(now)) {
        message_ = kLockedOutMessage;
        digits_.clear();
        record_pin_attempt("locked_out", now, std::nullopt);
        return std::nullopt;
    }
    if (digits_.empty()) return std::nullopt;
    step_ = StaffStep::Checking;
    message_.clear();
    return std::exchange(digits_, {});
}

void StaffMode::pin_checked(bool correct, Timestamp now) {
    if (step_ != StaffStep::Checking) return;
    last_activity_ = now;
    if (correct) {
        record_pin_attempt("correct", now, std::nullopt);
        failed_attempts_ = 0;
        lockouts_ = 0;
        locked_out_until_.reset();
        step_ = StaffStep::Menu;
        visit_id_ = ids_.next_at(now);
        return;
    }
    step_ = StaffStep::PinEntry;
    if (++failed_attempts_ >= timings_.max_attempts) {
        // 1 minute, then 2, 4, 8 … up to the cap, until a right PIN.
        auto lockout = timings_.lockout;
        for (int i = 0; i < lockouts_ && lockout < timings_.max_lockout; ++i) lockout *= 2;
        lockout = std::min(lockout, timings_.max_lockout);
        ++lockouts_;
        record_pin_attempt("wrong", now, lockout);
        failed_attempts_ = 0;
        locked_out_until_ = now + lockout;
        message_ = kLockedOutMessage;
    } else {
        record_pin_attempt("wrong", now, std::nullopt);
        message_ = "Wrong PIN";
    }
}

std::optional<std::chrono::milliseconds> StaffMode::locked_out_for(Timestamp now) const {
    if (!locked_out_until_ || now >= *locked_out_until_) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*locked_out_until_ - now);
}

// Staff events are in English: they are read at the hub, not shown to a shopper.
core::Event StaffMode::make_event(core::EventType type, const std::string& session_id, Timestamp now) {
    core::Event event;
    event.id = ids_.next_at(now);
    event.type = type;
    event.occurred_at = now;
    event.session_id = session_id;
    event.locale = "en";
    return event;
}

void StaffMode::record_pin_attempt(const char* outcome, Timestamp now, std::optional<std::chrono::milliseconds> lockout) {
    core::Event event = make_event(core::EventType::StaffPin, pad_id_, now);
    event.data = {{"outcome", outcome}};
    if (std::string_view(outcome) == "wrong") event.data["failures"] = failed_attempts_;
    if (lockout) event.data["lockout_s"] = std::chrono::duration_cast<std::chrono::seconds>(*lockout).count();
    sink_.record(std::move(event));
}

void StaffMode::cancel(Timestamp) {
    if (step_ == StaffStep::Checking) return;  // the check finishes first; its result is then ignored
    lock();
}

void StaffMode::show_page(StaffPage page, Timestamp now) {
    if (step_ != StaffStep::Menu) return;
    last_activity_ = now;
    page_ = page;
}

void StaffMode::choose_product(const std::string& sku, Timestamp now) {
    if (step_ != StaffStep::Menu || sku.empty()) return;
    last_activity_ = now;
    page_ = StaffPage::ShelfLog;
    if (sku != chosen_sku_) last_tap_.reset();  // an undo names the product on screen
    chosen_sku_ = sku;
}

void StaffMode::change_product(Timestamp now) {
    if (step_ != StaffStep::Menu) return;
    last_activity_ = now;
    chosen_sku_.clear();
    last_tap_.reset();
}

void StaffMode::log_shelf(const char* observation, Timestamp now) {
    if (step_ != StaffStep::Menu || chosen_sku_.empty()) return;
    last_activity_ = now;
    core::Event event = make_event(core::EventType::StaffShelf, visit_id_, now);
    event.sku = chosen_sku_;
    event.data = {{"observation", observation}};
    last_tap_ = ShelfTap{event.id, chosen_sku_, observation, now};
    sink_.record(std::move(event));
    ++tallies_[{chosen_sku_, observation}];
}

int StaffMode::tally(const std::string& sku, std::string_view observation) const {
    const auto found = tallies_.find(std::make_pair(sku, std::string(observation)));
    return found == tallies_.end() ? 0 : found->second;
}

std::optional<std::string> StaffMode::undoable(Timestamp now) const {
    if (step_ != StaffStep::Menu || !last_tap_ || now - last_tap_->at > timings_.undo_window) return std::nullopt;
    return last_tap_->observation;
}

void StaffMode::undo_last(Timestamp now) {
    if (!undoable(now)) return;
    last_activity_ = now;
    core::Event event = make_event(core::EventType::StaffUndo, visit_id_, now);
    event.sku = last_tap_->sku;
    event.data = {{"undoes", last_tap_->event_id}, {"observation", last_tap_->observation}};
    sink_.record(std::move(event));
    --tallies_[{last_tap_->sku, last_tap_->observation}];
    last_tap_.reset();
}

void StaffMode::mark_seen(const std::string& pain_event_id, const std::string& sku, Timestamp now) {
    if (step_ != StaffStep::Menu || sku.empty() || !seen_.insert(pain_event_id).second) return;
    last_activity_ = now;
    core::Event event = make_event(core::EventType::StaffSeen, visit_id_, now);
    event.sku = sku;
    event.data = {{"seen", pain_event_id}};
    sink_.record(std::move(event));
}

void StaffMode::request_exit(Timestamp now) {
    if (step_ != StaffStep::Menu) return;
    last_activity_ = now;
    step_ = StaffStep::ConfirmExit;
}

void StaffMode::confirm_exit(Timestamp) {
    if (step_ == StaffStep::ConfirmExit) exit_requested_ = true;
}

void StaffMode::cancel_exit(Timestamp now) {
    if (step_ != StaffStep::ConfirmExit) return;
    last_activity_ = now;
    step_ = StaffStep::Menu;
}

bool StaffMode::tick(Timestamp now) {
    if (step_ == StaffStep::Locked || step_ == StaffStep::Checking) return false;
    const auto limit = step_ == StaffStep::PinEntry ? timings_.pin_entry : timings_.auto_lock;
    if (now - last_activity_ >= limit) {
        lock();
        return true;
    }
    if (last_tap_ && now - last_tap_->at > timings_.undo_window) {  // the Undo button goes
        last_tap_.reset();
        return true;
    }
    return false;
}

std::optional<Timestamp> StaffMode::next_deadline() const {
    if (step_ == StaffStep::Locked || step_ == StaffStep::Checking) return std::nullopt;
    const Timestamp lock_at = last_activity_ + (step_ == StaffStep::PinEntry ? timings_.pin_entry : timings_.auto_lock);
    if (last_tap_) return std::min(lock_at, last_tap_->at + timings_.undo_window + std::chrono::milliseconds(1));
    return lock_at;
}

std::string hash_staff_pin(const std::string& pin) {
    ensure_sodium();
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("not enough memory to hash the PIN with argon2id");
    }
    return hash;
}

bool verify_staff_pin(const std::string& pin, const std::string& pin_hash) {
    ensure_sodium();
    if (pin_hash.rfind("$argon2id$", 0) != 0) return false;
    return crypto_pwhash_str_verify(pin_hash.c_str(), pin.data(), pin.size()) == 0;
}

std::optional<std::string> check_pin_rules(const std::string& pin) {
    if (pin.size() < 4 || pin.size() > kMaxPinDigits) return "a staff PIN has 4 to 12 digits";
    for (char c : pin) {
        if (c < '0' || c > '9') return "a staff PIN has digits only (the kiosk shows a number pad)";
    }
    const auto all_steps_are = [&](int step) {
        for (std::size_t i = 1; i < pin.size(); ++i) {
            if (pin[i] - pin[i - 1] != step) return false;
        }
        return true;
    };
    if (all_steps_are(0)) return "a staff PIN must not be one digit repeated (like 1111): it is among the first guessed";
    if (all_steps_are(1) || all_steps_are(-1)) {
        return "a staff PIN must not be a straight run of digits (like 1234 or 9876): it is among the first guessed";
    }
    return std::nullopt;
}

void store_pin_hash(const std::string& config_path, const std::string& pin_hash) {
    std::ifstream in(config_path);
    if (!in) throw std::runtime_error(config_path + ": cannot read the kiosk configuration");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    in.close();

    auto trimmed = [](const std::string& line) {
        const auto first = line.find_first_not_of(" \t");
        return first == std::string::npos ? std::string() : line.substr(first);
    };
    const std::string setting = "pin_hash = \"" + pin_hash + "\"";
    std::string table;
    int staff_table = -1;
    bool replaced = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string line = trimmed(lines[i]);
        if (!line.empty() && line[0] == '[') {
            table = line.substr(0, line.find(']') + 1);
            if (table == "[staff]") staff_table = static_cast<int>(i);
        } else if (table == "[staff]" && line.rfind("pin_hash", 0) == 0) {
            lines[i] = setting;
            replaced = true;
        }
    }
    if (!replaced) {
        if (staff_table >= 0) {
            lines.insert(lines.begin() + staff_table + 1, setting);
        } else {
            lines.push_back("");
            lines.push_back("[staff]");
            lines.push_back(setting);
        }
    }
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    if (auto written = replace_file_atomically(config_path, text); !written) {
        throw std::runtime_error(config_path + ": cannot replace the configuration: " + written.error().message);
    }
}

StaffPinChecker::StaffPinChecker(std::string pin_hash, std::function<void()> wake)
    : worker_("tp-pin-check", core::Keep::Latest,
              [pin_hash = std::move(pin_hash)](std::string& pin) {
                  const bool correct = verify_staff_pin(pin, pin_hash);
                  sodium_memzero(pin.data(), pin.size());
                  return correct;
              },
              std::move(wake)) {}

std::optional<bool> StaffPinChecker::take_result() {
    auto results = worker_.take_results();
    if (results.empty()) return std::nullopt;
    return results.back();
}

}  // namespace truthpoint::app
