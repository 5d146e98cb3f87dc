// SqliteStore: the hub's embedded storage. One writer connection behind a mutex (SQLite allows one
// writer at a time anyway) and a pool of read-only connections, each used by one thread at a time.
#include "truthpoint/hub/sqlite_store.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "sqlite_support.hpp"

namespace truthpoint::hub {
namespace {

using sqlite::Connection;
using sqlite::SqliteError;
using sqlite::Statement;
using sqlite::Transaction;

// Numbered migrations: index i takes the schema from user_version i to i + 1. Append only; never edit
// one that has shipped. STRICT tables make SQLite refuse a value of the wrong type.
constexpr const char* kMigrations[] = {
    // 1: kiosks and events.
    R"sql(
CREATE TABLE kiosks (
    id          TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL,
    region      TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

-- A rowid table on purpose: rowids grow with every insert and nothing is deleted, so rowid order is
-- the order received. (A PostgreSQL store will need an explicit sequence column for the same.)
CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    kiosk_id      TEXT NOT NULL REFERENCES kiosks(id),
    store_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    locale        TEXT NOT NULL,
    sku           TEXT,
    data          TEXT NOT NULL CHECK (json_valid(data)),
    payload_hash  TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_received ON events(received_at);
CREATE INDEX events_by_store_received ON events(store_id, received_at);
CREATE INDEX events_by_store_type ON events(store_id, type);
)sql",
    // 2: taps the kiosk flagged as misuse (bursts, faster than anyone can look) are kept but left out of
    // the dashboard's counts by default.
    R"sql(
ALTER TABLE events ADD COLUMN misuse INTEGER NOT NULL DEFAULT 0;
UPDATE events SET misuse = 1 WHERE json_extract(data, '$.misuse') = 1;
)sql",
    // 3: the kiosk configuration documents served at GET /api/v1/config: one per store that has its own,
    // and one chain-wide ('*') for the others.
    R"sql(
CREATE TABLE kiosk_configs (
    scope       TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    document    TEXT NOT NULL CHECK (json_valid(document)),
    etag        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
)sql",
};

constexpr int kLatestSchemaVersion = static_cast<int>(std::size(kMigrations));

int read_user_version(Connection& connection) {
    Statement statement(connection, "PRAGMA user_version");
    statement.step();
    return static_cast<int>(statement.column_int(0));
}

// WAL lets readers (dashboard, export, token checks) run while a batch is being written.
// synchronous=FULL, not NORMAL: a kiosk marks its events delivered as soon as we answer 200, so a
// committed batch must survive a power cut. In WAL mode NORMAL may lose the last commits on power
// loss; the fsync per commit that FULL costs is paid once per batch, not once per event.
void configure(Connection& connection) {
    connection.execute("PRAGMA synchronous = FULL");
}

void enable_wal(Connection& connection) {
    Statement statement(connection, "PRAGMA journal_mode = WAL");
    statement.step();
    if (statement.column_text(0) != "wal") {
        throw SqliteError(SQLITE_ERROR, "the database refused WAL mode (journal_mode is " + statement.column_text(0) +
                                            "); is it on a network file system?");
    }
}

// Runs the pending migrations, each in its own transaction with its version bump. The version is
// read again inside the write lock so that two hubs starting at once do not both migrate.
void migrate(Connection& connection) {
    for (;;) {
        Transaction transaction(connection, Transaction::Mode::Immediate);
        const int version = read_user_version(connection);
        if (version >= kLatestSchemaVersion) return;  // rolls back the empty transaction
        connection.execute(kMigrations[version]);
        const std::string bump = "PRAGMA user_version = " + std::to_string(version + 1);
        connection.execute(bump.c_str());
        transaction.commit();
    }
}

core::Timestamp parse_stored_time(const std::string& text) {
    return core::parse_rfc3339(text).value_or(core::Timestamp{});
}

KioskRecord read_kiosk(const Statement& row) {
    // Columns: id, store_id, region, created_at, revoked_at
    KioskRecord record;
    record.kiosk_id = row.column_text(0);
    record.store_id = row.column_text(1);
    record.region = row.column_text(2);
    record.created_at = parse_stored_time(row.column_text(3));
    if (!row.column_is_null(4)) record.revoked_at = parse_stored_time(row.column_text(4));
    return record;
}

constexpr const char* kKioskColumns = "id, store_id, region, created_at, revoked_at";

std::optional<std::size_t> type_index(const std::string& name) {
    const auto type = core::parse_event_type(name);
    if (!type) return std::nullopt;
    return static_cast<std::size_t>(*type);
}

// Runs `body`, turning exceptions into an Error value: the module boundary.
template <typename T, typename Body>
Result<T> guarded(const char* what, Body&& body) {
    try {
        return body();
    } catch (const SqliteError& error) {
        return make_error(ErrorCode::Unavailable, std::string(what) + ": " + error.what());
    } catch (const std::exception& error) {
        return make_error(ErrorCode::Internal, std::string(what) + ": " + error.what());
    }
}

}  // namespace

struct SqliteStore::Impl {
    std::string path;

    std::mutex writer_mutex;  // guards `writer`
    std::unique_ptr<Connection> writer;

    std::mutex readers_mutex;  // guards `idle_readers`
    std::vector<std::unique_ptr<Connection>> idle_readers;

    // A read-only connection lent to one thread for the duration of one call.
    class ReaderLease {
    public:
        explicit ReaderLease(Impl& impl) : impl_(impl) {
            {
                std::lock_guard lock(impl_.readers_mutex);
                if (!impl_.idle_readers.empty()) {
                    connection_ = std::move(impl_.idle_readers.back());
                    impl_.idle_readers.pop_back();
                }
            }
            if (!connection_) {
                connection_ = std::make_unique<Connection>(impl_.path);
                configure(*connection_);
                connection_->execute("PRAGMA query_only = ON");
            }
        }
        ~ReaderLease() {
            std::lock_guard lock(impl_.readers_mutex);
            impl_.idle_readers.push_back(std::move(connection_));
        }
        ReaderLease(const ReaderLease&) = delete;
        ReaderLease& operator=(const ReaderLease&) = delete;
        Connection& operator*() { return *connection_; }

    private:
        Impl& impl_;
        std::unique_ptr<Connection> connection_;
    };
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

int SqliteStore::latest_schema_version() { return kLatestSchemaVersion; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path) {
    return guarded<std::unique_ptr<SqliteStore>>("opening the database", [&]() -> Result<std::unique_ptr<SqliteStore>> {
        auto impl = std::make_unique<Impl>();
        impl->path = path.string();
        impl->writer = std::make_unique<Connection>(impl->path);
        configure(*impl->writer);
        const int found = read_user_version(*impl->writer);
        if (found > kLatestSchemaVersion) {
            return make_error(ErrorCode::Unsupported,
                              "the database " + impl->path + " has schema version " + std::to_string(found) +
                                  " but this truthpoint-hub knows only up to " +
                                  std::to_string(kLatestSchemaVersion) + ": run a newer truthpoint-hub");
        }
        enable_wal(*impl->writer);
        migrate(*impl->writer);
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
    });
}

Status SqliteStore::add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) {
    return guarded<Ok>("enrolling a kiosk", [&]() -> Status {
        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        Statement existing(db, "SELECT store_id FROM kiosks WHERE id = ?1");
        existing.bind(1, kiosk.kiosk_id);
        if (existing.step()) {
            return make_error(ErrorCode::AlreadyExists,
                              "kiosk '" + kiosk.kiosk_id + "' is already enrolled (store '" + existing.column_text(0) +
                                  "'); choose another kiosk id, or see `truthpoint-hub kiosk list`");
        }
        Statement insert(db,
                         "INSERT INTO kiosks (id, store_id, region, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
        insert.bind(1, kiosk.kiosk_id)
            .bind(2, kiosk.store_id)
            .bind(3, kiosk.region)
            .bind(4, kiosk.token_hash)
            .bind(5, core::format_rfc3339(created_at));
        insert.step();
        transaction.commit();
        return Ok{};
    });
}

Result<std::vector<KioskRecord>> SqliteStore::list_kiosks() {
    return guarded<std::vector<KioskRecord>>("listing kiosks", [&]() -> Result<std::vector<KioskRecord>> {
        Impl::ReaderLease db(*impl_);
        Statement select(*db, std::string("SELECT ") + kKioskColumns + " FROM kiosks ORDER BY id");
        std::vector<KioskRecord> kiosks;
        while (select.step()) kiosks.push_back(read_kiosk(select));
        return kiosks;
    });
}

Result<KioskRecord> SqliteStore::revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) {
    return guarded<KioskRecord>("revoking a kiosk", [&]() -> Result<KioskRecord> {
        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        Statement update(db, "UPDATE kiosks SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL");
        update.bind(1, core::format_rfc3339(revoked_at)).bind(2, kiosk_id);
        update.step();
        Statement select(db, std::string("SELECT ") + kKioskColumns + " FROM kiosks WHERE id = ?1");
        select.bind(1, kiosk_id);
        if (!select.step()) {
            return make_error(ErrorCode::NotFound, "no kiosk with id '" + std::string(kiosk_id) +
                                                       "' is enrolled (see `truthpoint-hub kiosk list`)");
        }
        KioskRecord record = read_kiosk(select);
        transaction.commit();
        return record;
    });
}

Result<std::optional<KioskRecord>> SqliteStore::find_kiosk_by_token_hash(std::string_view token_hash) {
    return guarded<std::optional<KioskRecord>>("checking a token", [&]() -> Result<std::optional<KioskRecord>> {
        Impl::ReaderLease db(*impl_);
        Statement select(*db, std::string("SELECT ") + kKioskColumns + " FROM kiosks WHERE token_hash = ?1");
        select.bind(1, token_hash);
        if (!select.step()) return std::optional<KioskRecord>{};
        return std::optional<KioskRecord>(read_kiosk(select));
    });
}

Result<std::vector<EventOutcome>> SqliteStore::store_events(const KioskIdentity& sender,
                                                            const std::vector<IncomingEvent>& events,
                                                            core::Timestamp received_at) {
    return guarded<std::vector<EventOutcome>>("storing a batch", [&]() -> Result<std::vector<EventOutcome>> {
        std::vector<EventOutcome> outcomes;
        outcomes.reserve(events.size());
        if (events.empty()) return outcomes;
        const std::string received = core::format_rfc3339(received_at);

        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        Statement insert(db,
                         "INSERT INTO events (id, kiosk_id, store_id, type, occurred_at, received_at, session_id, "
                         "locale, sku, data, payload_hash, misuse) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                         "ON CONFLICT (id) DO NOTHING");
        Statement earlier(db, "SELECT kiosk_id, payload_hash FROM events WHERE id = ?1");
        for (const IncomingEvent& incoming : events) {
            const core::Event& event = incoming.event;
            insert.bind(1, event.id)
                .bind(2, sender.kiosk_id)
                .bind(3, sender.store_id)
                .bind(4, core::to_string(event.type))
                .bind(5, core::format_rfc3339(event.occurred_at))
                .bind(6, received)
                .bind(7, event.session_id)
                .bind(8, event.locale)
                .bind(10, event.data.dump())
                .bind(11, incoming.payload_hash)
                .bind(12, static_cast<std::int64_t>(event.data.value("misuse", false) == true ? 1 : 0));
            if (event.sku.empty()) {
                insert.bind_null(9);
            } else {
                insert.bind(9, event.sku);
            }
            insert.step();
            insert.reset();
            if (sqlite3_changes(db.handle()) == 1) {
                outcomes.push_back(EventOutcome::Stored);
                continue;
            }
            // The id is taken: the same event from the same kiosk is a resend; anything else is a conflict.
            earlier.bind(1, event.id);
            const bool found = earlier.step();
            const bool same = found && earlier.column_text(0) == sender.kiosk_id &&
                              earlier.column_text(1) == incoming.payload_hash;
            earlier.reset();
            outcomes.push_back(same ? EventOutcome::Duplicate : EventOutcome::Conflict);
        }
        transaction.commit();
        return outcomes;
    });
}

Status SqliteStore::for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    return guarded<Ok>("reading events", [&]() -> Status {
        Impl::ReaderLease db(*impl_);
        // Optional filters as bound parameters: a NULL parameter disables its condition.
        Statement select(*db,
                         "SELECT id, kiosk_id, store_id, type, occurred_at, received_at, session_id, locale, "
                         "ifnull(sku, ''), data FROM events "
                         "WHERE (?1 IS NULL OR received_at >= ?1) AND (?2 IS NULL OR received_at < ?2) "
                         "AND (?3 IS NULL OR store_id = ?3) ORDER BY rowid");
        if (filter.received_from) select.bind(1, core::format_rfc3339(*filter.received_from));
        if (filter.received_to) select.bind(2, core::format_rfc3339(*filter.received_to));
        if (filter.store_id) select.bind(3, *filter.store_id);
        // A read transaction so that the whole export sees one snapshot.
        Transaction snapshot(*db, Transaction::Mode::Deferred);
        StoredEvent event;
        while (select.step()) {
            event.id = select.column_text(0);
            event.kiosk_id = select.column_text(1);
            event.store_id = select.column_text(2);
            event.type = select.column_text(3);
            event.occurred_at = select.column_text(4);
            event.received_at = select.column_text(5);
            event.session_id = select.column_text(6);
            event.locale = select.column_text(7);
            event.sku = select.column_text(8);
            event.data = select.column_text(9);
            if (!visit(event)) break;
        }
        select.reset();
        snapshot.commit();
        return Ok{};
    });
}

Result<Stats> SqliteStore::stats() {
    return guarded<Stats>("counting events", [&]() -> Result<Stats> {
        Impl::ReaderLease db(*impl_);
        Transaction snapshot(*db, Transaction::Mode::Deferred);
        Stats stats;
        std::map<std::string, StoreCounts> stores;

        {
            Statement kiosks(*db, "SELECT count(*), ifnull(sum(revoked_at IS NULL), 0) FROM kiosks");
            kiosks.step();
            stats.kiosks_total = kiosks.column_int(0);
            stats.kiosks_active = kiosks.column_int(1);
        }
        {
            // Stores with kiosks but no events yet still get a (zero) row.
            Statement store_ids(*db, "SELECT DISTINCT store_id FROM kiosks");
            while (store_ids.step()) {
                const std::string id = store_ids.column_text(0);
                stores[id].store_id = id;
            }
        }
        {
            Statement counts(*db,
                             "SELECT store_id, type, misuse, count(*) FROM events GROUP BY store_id, type, misuse");
            while (counts.step()) {
                const std::string store_id = counts.column_text(0);
                const std::int64_t count = counts.column_int(3);
                stats.total_events += count;
                StoreCounts& store = stores[store_id];
                store.store_id = store_id;
                if (counts.column_int(2) != 0) {
                    stats.misuse_events += count;
                    continue;
                }
                store.total += count;
                if (const auto index = type_index(counts.column_text(1))) {
                    store.by_type[*index] += count;
                    stats.by_type[*index] += count;
                }
            }
        }
        snapshot.commit();
        for (auto& [id, counts] : stores) stats.by_store.push_back(std::move(counts));
        return stats;
    });
}

namespace {

ConfigRecord read_config(const Statement& row) {
    // Columns: scope, version, document, etag, updated_at
    ConfigRecord record;
    record.scope = row.column_text(0);
    record.version = row.column_int(1);
    record.document = row.column_text(2);
    record.etag = row.column_text(3);
    record.updated_at = parse_stored_time(row.column_text(4));
    return record;
}

constexpr const char* kConfigColumns = "scope, version, document, etag, updated_at";

}  // namespace

Result<ConfigPut> SqliteStore::put_config(std::string_view scope, const std::string& document, const std::string& etag,
                                          core::Timestamp updated_at) {
    return guarded<ConfigPut>("storing a kiosk configuration", [&]() -> Result<ConfigPut> {
        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        Statement select(db, std::string("SELECT ") + kConfigColumns + " FROM kiosk_configs WHERE scope = ?1");
        select.bind(1, scope);
        std::int64_t version = 1;
        if (select.step()) {
            ConfigRecord stored = read_config(select);
            if (stored.etag == etag) return ConfigPut{std::move(stored), false};  // rolls back the empty transaction
            version = stored.version + 1;
        }
        select.reset();
        Statement upsert(db,
                         "INSERT INTO kiosk_configs (scope, version, document, etag, updated_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope) DO UPDATE SET version = excluded.version, "
                         "document = excluded.document, etag = excluded.etag, updated_at = excluded.updated_at");
        upsert.bind(1, scope).bind(2, version).bind(3, document).bind(4, etag).bind(5, core::format_rfc3339(updated_at));
        upsert.step();
        transaction.commit();
        return ConfigPut{ConfigRecord{std::string(scope), version, document, etag, updated_at}, true};
    });
}

Result<std::optional<ConfigRecord>> SqliteStore::get_config(std::string_view scope) {
    return guarded<std::optional<ConfigRecord>>("reading a kiosk configuration",
                                                [&]() -> Result<std::optional<ConfigRecord>> {
        Impl::ReaderLease db(*impl_);
        Statement select(*db, std::string("SELECT ") + kConfigColumns + " FROM kiosk_configs WHERE scope = ?1");
        select.bind(1, scope);
        if (!select.step()) return std::optional<ConfigRecord>{};
        return std::optional<ConfigRecord>(read_config(select));
    });
}

Status SqliteStore::check_health() {
    return guarded<Ok>("checking the database", [&]() -> Status {
        Impl::ReaderLease db(*impl_);
        Statement probe(*db, "SELECT count(*) FROM kiosks");
        probe.step();
        return Ok{};
    });
}

}  // namespace truthpoint::hub
