// "What shoppers just said" for staff mode: the pains reported at this kiosk today, read from the
// kiosk's own ledger on a worker thread (the UI never waits on disk), newest first.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/result.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::app {

// One shopper's pains: the session's pain.reported events (a low rating and pain topics may come apart).
struct ShopperReport {
    std::string event_id;  // the session's first pain.reported event: what a staff.seen names
    std::vector<std::string> pain_event_ids;  // all of them; a staff.seen of any marks the report seen
    std::string sku;
    std::string locale;  // the shopper's language: the comment's direction
    core::Timestamp at{};
    std::optional<int> rating;
    std::vector<std::string> pain_topics;
    std::string comment;  // only when the shopper agreed to share it (umot.consent true in the same session)
    bool seen = false;    // a staff.seen in the ledger names it
};

// The pains recorded at or after `since`, newest first, at most `limit`, from the ledger file at `ledger_path`.
core::Result<std::vector<ShopperReport>> read_shopper_reports(const std::string& ledger_path, core::Timestamp since,
                                                               std::size_t limit = 50);

// The start of `now`'s day on this machine's clock (the store's local time).
core::Timestamp start_of_local_day(core::Timestamp now);

// read_shopper_reports on its own thread. A newer request replaces one not yet started; `wake` runs on
// that thread when a result is ready.
class ShopperReportReader {
public:
    explicit ShopperReportReader(std::string ledger_path, std::function<void()> wake = {});
    void request(core::Timestamp since) { worker_.post(since); }
    // The newest result since the last call.
    std::optional<core::Result<std::vector<ShopperReport>>> take_result();
    void set_wake(std::function<void()> wake) { worker_.set_on_result(std::move(wake)); }

private:
    core::Worker<core::Timestamp, core::Result<std::vector<ShopperReport>>> worker_;
};

}  // namespace truthpoint::app
