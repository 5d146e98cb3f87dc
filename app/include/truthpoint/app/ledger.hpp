// The kiosk's local ledger: every captured event, durably, with its outbox state
// (pending → delivered, or quarantined with a reason). One Ledger per thread: it owns a connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/outbox.hpp"

namespace truthpoint::app {

struct LedgerStatus {
    std::int64_t pending = 0;
    std::int64_t delivered = 0;
    std::int64_t quarantined = 0;
    std::optional<std::string> oldest_pending_at;  // RFC 3339
    std::optional<std::string> last_sync_at;       // the last attempt that reached the hub
    std::optional<std::string> last_error;         // cleared by the next successful sync
    std::vector<core::Quarantined> latest_quarantined;  // the most recent few, newest first
};

class Ledger final : public core::Outbox {
public:
    // Opens or creates the file and runs the numbered migrations; a file it cannot use, or one written by a
    // newer Truthpoint, comes back as an error naming it.
    static core::Result<Ledger> open(const std::string& path);
    // As open(), but a missing file is an error naming it instead of a new, empty ledger: for the commands
    // that read what the kiosk wrote (status, sync, check), where a new file would hide a mistyped path.
    static core::Result<Ledger> open_existing(const std::string& path);
    // Commits a small write, so that a ledger SQLite opened read-only (file or directory permissions, a
    // read-only mount, a full disk) is found before a shopper's first tap, not at it.
    core::Status prove_writable(core::Timestamp now);

    // The outbox: a SQLite error comes back as Unavailable with SQLite's message, never as an exception.
    // append validates, freezes the wire text and commits it (BEGIN IMMEDIATE … COMMIT) before returning.
    core::Status append(const core::Event& event) override;
    core::Result<std::vector<core::PendingEvent>> next_batch(std::size_t max_events, std::size_t max_bytes,
                                                             std::int64_t after_seq = 0) override;
    core::Status settle(const std::vector<std::string>& delivered_ids, const std::vector<core::Quarantined>& quarantined,
                        core::Timestamp at) override;
    core::Status record_failure(const std::string& error, core::Timestamp at) override;
    core::Result<core::OutboxStats> stats() override;
    core::Result<std::int64_t> purge_delivered_before(core::Timestamp cutoff) override;

    // For `status` and `sync`.
    core::Result<LedgerStatus> status();
    // For the tests; throws core::sqlite::Error.
    int schema_version();

private:
    explicit Ledger(std::unique_ptr<core::sqlite::Connection> db);
    void migrate();
    void set_meta(const char* key, const std::string& value);
    void clear_meta(const char* key);
    std::optional<std::string> meta(const char* key);

    std::unique_ptr<core::sqlite::Connection> db_;  // by pointer, so that open() can return a Ledger
};

// The ledger at `path` as the outbox sync::BackgroundSync opens on its thread.
core::Result<std::unique_ptr<core::Outbox>> open_ledger_outbox(const std::string& path);

}  // namespace truthpoint::app
