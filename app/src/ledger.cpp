// The ledger's schema, its migrations and the outbox operations over it.
#include "truthpoint/app/ledger.hpp"

#include <array>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {
namespace {

// Migration N takes the schema from version N-1 to N. Append only; never edit a released one.
constexpr std::array kMigrations{
    R"sql(
    CREATE TABLE events (
        seq               INTEGER PRIMARY KEY AUTOINCREMENT,
        id                TEXT    NOT NULL UNIQUE,
        type              TEXT    NOT NULL,
        occurred_at       TEXT    NOT NULL,
        payload           TEXT    NOT NULL,             -- frozen wire JSON, resent byte for byte
        state             TEXT    NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'delivered', 'quarantined')),
        delivered_at      TEXT,
        quarantine_reason TEXT
    );
    CREATE INDEX events_by_state ON events (state, seq);
    CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql",
};

constexpr const char* kLastSyncAt = "last_sync_at";
constexpr const char* kLastError = "last_error";
constexpr const char* kLastErrorAt = "last_error_at";

// The outbox boundary: whatever SQLite (or memory) throws inside `body` comes back as an error value.
template <typename Body>
auto returning_errors(Body&& body) -> core::Result<decltype(body())> {
    try {
        return body();
    } catch (const core::sqlite::Error& error) {
        return core::sqlite::to_error(error, "the kiosk's ledger failed");
    } catch (const std::exception& error) {
        return core::make_error(core::ErrorCode::Internal, std::string("the kiosk's ledger failed: ") + error.what());
    }
}

}  // namespace

core::Result<Ledger> Ledger::open(const std::string& path) {
    return returning_errors([&] {
        Ledger ledger(std::make_unique<core::sqlite::Connection>(path));
        ledger.migrate();
        return ledger;
    });
}

core::Result<Ledger> Ledger::open_existing(const std::string& path) {
    std::error_code ignored;
    if (!std::filesystem::exists(path, ignored)) {
        return core::make_error(core::ErrorCode::NotFound,
                                "there is no ledger at " + path + " ([kiosk] db): the kiosk makes it when it first "
                                "runs; if it has run, the path is mistyped");
    }
    return open(path);
}

core::Status Ledger::prove_writable(core::Timestamp now) {
    return returning_errors([&] {
        core::sqlite::Transaction transaction(*db_);
        set_meta("last_write_check_at", core::format_rfc3339(now));
        transaction.commit();
        return core::Ok{};
    });
}

core::Result<std::unique_ptr<core::Outbox>> open_ledger_outbox(const std::string& path) {
    auto ledger = Ledger::open(path);
    if (!ledger) return ledger.error();
    return std::unique_ptr<core::Outbox>(std::make_unique<Ledger>(std::move(ledger).value()));
}

Ledger::Ledger(std::unique_ptr<core::sqlite::Connection> db) : db_(std::move(db)) {}

int Ledger::schema_version() {
    auto query = db_->prepare("PRAGMA user_version");
    query.step();
    return static_cast<int>(query.column_int(0));
}

void Ledger::migrate() {
    core::sqlite::Transaction transaction(*db_);
    const int current = schema_version();
    if (current > static_cast<int>(kMigrations.size())) {
        throw core::sqlite::Error(SQLITE_ERROR, db_->path() + " was written by a newer Truthpoint (schema " +
                                                    std::to_string(current) + "); upgrade this kiosk");
    }
    for (int version = current; version < static_cast<int>(kMigrations.size()); ++version) {
        db_->execute(kMigrations[static_cast<std::size_t>(version)]);
        db_->execute(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
    }
    transaction.commit();
}

core::Status Ledger::append(const core::Event& event) {
    if (auto reason = core::validate_event(event)) {
        return core::make_error(core::ErrorCode::InvalidArgument, "refusing to record an invalid " +
                                                                      std::string(core::to_string(event.type)) +
                                                                      " event: " + *reason);
    }
    return returning_errors([&] {
        const std::string payload = core::encode_event(event);
        core::sqlite::Transaction transaction(*db_);
        db_->prepare("INSERT INTO events (id, type, occurred_at, payload) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, event.id)
            .bind(2, core::to_string(event.type))
            .bind(3, core::format_rfc3339(event.occurred_at))
            .bind(4, payload)
            .run();
        transaction.commit();
        return core::Ok{};
    });
}

core::Result<LedgerStatus> Ledger::status() {
    return returning_errors([&] {
        LedgerStatus status;
        auto counts = db_->prepare("SELECT state, count(*) FROM events GROUP BY state");
        while (counts.step()) {
            const std::string state = counts.column_text(0);
            const std::int64_t count = counts.column_int(1);
            if (state == "pending") status.pending = count;
            if (state == "delivered") status.delivered = count;
            if (state == "quarantined") status.quarantined = count;
        }
        auto oldest = db_->prepare("SELECT min(occurred_at) FROM events WHERE state = 'pending'");
        if (oldest.step() && !oldest.column_is_null(0)) status.oldest_pending_at = oldest.column_text(0);
        status.last_sync_at = meta(kLastSyncAt);
        status.last_error = meta(kLastError);
        auto quarantined = db_->prepare(
            "SELECT id, quarantine_reason FROM events WHERE state = 'quarantined' ORDER BY seq DESC LIMIT 5");
        while (quarantined.step()) status.latest_quarantined.push_back({quarantined.column_text(0), quarantined.column_text(1)});
        return status;
    });
}

core::Result<std::vector<core::PendingEvent>> Ledger::next_batch(std::size_t max_events, std::size_t max_bytes,
                                                                 std::int64_t after_seq) {
    return returning_errors([&] {
        std::vector<core::PendingEvent> batch;
        auto query = db_->prepare(
            "SELECT seq, id, payload FROM events WHERE state = 'pending' AND seq > ?2 ORDER BY seq LIMIT ?1");
        query.bind(1, static_cast<std::int64_t>(max_events)).bind(2, after_seq);
        std::size_t bytes = 0;
        while (query.step()) {
            core::PendingEvent event{query.column_int(0), query.column_text(1), query.column_text(2)};
            if (!batch.empty() && bytes + event.payload.size() > max_bytes) break;
            bytes += event.payload.size();
            batch.push_back(std::move(event));
        }
        return batch;
    });
}

core::Status Ledger::settle(const std::vector<std::string>& delivered_ids,
                            const std::vector<core::Quarantined>& quarantined, core::Timestamp at) {
    return returning_errors([&] {
        const std::string when = core::format_rfc3339(at);
        core::sqlite::Transaction transaction(*db_);
        auto deliver = db_->prepare(
            "UPDATE events SET state = 'delivered', delivered_at = ?2 WHERE id = ?1 AND state = 'pending'");
        for (const auto& id : delivered_ids) {
            deliver.bind(1, id).bind(2, when).run();
            deliver.reset();
        }
        auto quarantine = db_->prepare(
            "UPDATE events SET state = 'quarantined', quarantine_reason = ?2 WHERE id = ?1 AND state = 'pending'");
        for (const auto& item : quarantined) {
            quarantine.bind(1, item.id).bind(2, item.reason).run();
            quarantine.reset();
        }
        set_meta(kLastSyncAt, when);
        clear_meta(kLastError);
        clear_meta(kLastErrorAt);
        transaction.commit();
        return core::Ok{};
    });
}

core::Status Ledger::record_failure(const std::string& error, core::Timestamp at) {
    return returning_errors([&] {
        core::sqlite::Transaction transaction(*db_);
        set_meta(kLastError, error);
        set_meta(kLastErrorAt, core::format_rfc3339(at));
        transaction.commit();
        return core::Ok{};
    });
}

core::Result<core::OutboxStats> Ledger::stats() {
    return returning_errors([&] {
        core::OutboxStats stats;
        auto query = db_->prepare(
            "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'quarantined'), "
            "min(occurred_at) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered') "
            "FROM events");
        query.step();
        stats.pending = query.column_int(0);
        stats.quarantined = query.column_int(1);
        if (!query.column_is_null(2)) stats.oldest_pending_at = core::parse_rfc3339(query.column_text(2));
        stats.delivered = query.column_int(3);
        return stats;
    });
}

core::Result<std::int64_t> Ledger::purge_delivered_before(core::Timestamp cutoff) {
    return returning_errors([&] {
        core::sqlite::Transaction transaction(*db_);
        db_->prepare("DELETE FROM events WHERE state = 'delivered' AND delivered_at < ?1")
            .bind(1, core::format_rfc3339(cutoff))
            .run();
        const std::int64_t purged = db_->changes();
        transaction.commit();
        return purged;
    });
}

void Ledger::set_meta(const char* key, const std::string& value) {
    db_->prepare("INSERT INTO sync_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")
        .bind(1, key)
        .bind(2, value)
        .run();
}

void Ledger::clear_meta(const char* key) { db_->prepare("DELETE FROM sync_meta WHERE key = ?1").bind(1, key).run(); }

std::optional<std::string> Ledger::meta(const char* key) {
    auto query = db_->prepare("SELECT value FROM sync_meta WHERE key = ?1");
    query.bind(1, key);
    if (query.step()) return query.column_text(0);
    return std::nullopt;
}

}  // namespace truthpoint::app
