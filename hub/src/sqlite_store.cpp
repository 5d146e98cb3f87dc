// SqliteStore: the hub's embedded storage. One writer connection behind a mutex (SQLite allows one
// writer at a time anyway) and a pool of read-only connections, each used by one thread at a time.
// store_batches writes many requests' batches in one transaction (a SAVEPOINT each): the group commit
// that the ingest queue's writer thread drives.
#include "truthpoint/hub/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include <pthread.h>

#include "alert_rules.hpp"
#include "incoming_columns.hpp"
#include "migrations.hpp"
#include "rollups.hpp"
#include "sql.hpp"
#include "truthpoint/core/sqlite.hpp"

namespace truthpoint::hub {
namespace {

using core::sqlite::Connection;
using core::sqlite::Statement;
using core::sqlite::Transaction;
using SqliteError = core::sqlite::Error;

int read_user_version(Connection& connection) {
    Statement statement(connection, "PRAGMA user_version");
    statement.step();
    return static_cast<int>(statement.column_int(0));
}

// Counts the events already held into the tables schema `kLocalRollupsSchema` added (below the seam).
void fill_local_rollups(Connection& connection);

// Runs the pending migrations, each in its own transaction with its version bump. The version is
// read again inside the write lock so that two hubs starting at once do not both migrate.
void migrate(Connection& connection) {
    for (;;) {
        Transaction transaction(connection, Transaction::Mode::Immediate);
        const int version = read_user_version(connection);
        if (version >= kLatestSchemaVersion) return;  // rolls back the empty transaction
        connection.execute(kMigrations[version].sqlite);
        if (version + 1 == kLocalRollupsSchema) fill_local_rollups(connection);
        const std::string bump = "PRAGMA user_version = " + std::to_string(version + 1);
        connection.execute(bump.c_str());
        transaction.commit();
    }
}

// raise_ingest_alerts through a seam connection borrowing the writer's (defined below, beside the seam).
void raise_alerts_in_transaction(Connection& db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                 const std::vector<EventOutcome>& outcomes, core::Timestamp received_at);

core::Timestamp parse_stored_time(const std::string& text) {
    return core::parse_rfc3339(text).value_or(core::Timestamp{});
}

// The statements a group of batches reuses, prepared once per group on the writer connection.
struct BatchWriter {
    Connection& db;
    Statement insert;
    Statement earlier;
    Statement receipt_held;
    Statement seen;
    // Prepared once per group rather than parsed for every batch by execute().
    Statement savepoint;
    Statement release;

    explicit BatchWriter(Connection& connection)
        : db(connection),
          insert(db,
                 "INSERT INTO events (id, kiosk_id, store_id, type, occurred_at, received_at, session_id, locale, sku, "
                 "data, payload_hash, misuse, receipt_hash, verified_purchase) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                 "?13 IS NOT NULL AND ?9 IS NOT NULL AND EXISTS (SELECT 1 FROM receipt_items "
                 "WHERE store_id = ?3 AND receipt_hash = ?13 AND sku = ?9)) "
                 "ON CONFLICT (id) DO NOTHING"),
          earlier(db, "SELECT kiosk_id, payload_hash FROM events WHERE id = ?1"),
          receipt_held(db, "SELECT 1 FROM receipts WHERE store_id = ?1 AND receipt_hash = ?2"),
          seen(db, "UPDATE kiosks SET last_seen_at = ?1, clock_skew_ms = ?2 WHERE id = ?3"),
          savepoint(db, "SAVEPOINT batch"),
          release(db, "RELEASE batch") {}

    // Writes one batch; throws on a database error (the caller rolls its savepoint back).
    std::vector<EventOutcome> write(const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                    core::Timestamp received_at) {
        std::vector<EventOutcome> outcomes;
        outcomes.reserve(events.size());
        const std::string received = core::format_rfc3339(received_at);
        std::string dumped;
        core::Timestamp newest = events.front().event.occurred_at;
        for (const IncomingEvent& incoming : events) {
            const core::Event& event = incoming.event;
            newest = std::max(newest, event.occurred_at);
            // Formatted and dumped on the request threads when they could be: every batch waits for this thread.
            const std::string occurred = occurred_at_text(incoming);
            const EventFacts facts = event_facts(event);
            insert.bind(1, event.id)
                .bind(2, sender.kiosk_id)
                .bind(3, sender.store_id)
                .bind(4, core::to_string(event.type))
                .bind(5, occurred)
                .bind(6, received)
                .bind(7, event.session_id)
                .bind(8, event.locale)
                .bind(10, data_text(incoming, dumped))
                .bind(11, incoming.payload_hash)
                .bind(12, static_cast<std::int64_t>(facts.misuse ? 1 : 0));
            if (event.sku.empty()) {
                insert.bind_null(9);
            } else {
                insert.bind(9, event.sku);
            }
            if (facts.receipt_hash.empty()) {
                insert.bind_null(13);
            } else {
                insert.bind(13, filed_receipt_hash(facts, [&](const std::string& hash) {
                    receipt_held.bind(1, sender.store_id).bind(2, hash);
                    const bool held = receipt_held.step();
                    receipt_held.reset();
                    return held;
                }));
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
        // Clock skew, as seen now: positive when the kiosk's newest event is older than its arrival (a slow
        // clock, or delivery delay after an outage), negative when the kiosk's clock runs ahead.
        const auto skew = std::chrono::duration_cast<std::chrono::milliseconds>(received_at - newest).count();
        seen.bind(1, received).bind(2, static_cast<std::int64_t>(skew)).bind(3, sender.kiosk_id);
        seen.step();
        seen.reset();
        if (may_raise_alerts(events)) raise_alerts_in_transaction(db, sender, events, outcomes, received_at);
        return outcomes;
    }
};

// Runs `body`, turning exceptions into an Error value: the module boundary.
template <typename T, typename Body>
Result<T> guarded(const char* what, Body&& body) {
    try {
        return body();
    } catch (const SqliteError& error) {
        return core::sqlite::to_error(error, what);
    } catch (const std::exception& error) {
        return make_error(ErrorCode::Internal, std::string(what) + ": " + error.what());
    }
}

}  // namespace

namespace {

// Copies the WAL back into the database file on a thread of its own. SQLite would otherwise do it inside
// the commit that crosses 1,000 WAL pages, on the ingest writer's thread: ~13 ms, with every batch of the
// group commit waiting behind it (measured). PASSIVE never blocks the writer or readers; the writer
// restarts the WAL from its start once a checkpoint has caught up.
class Checkpointer {
public:
    static constexpr int kPagesBeforeCheckpoint = 1000;  // SQLite's own autocheckpoint threshold

    Checkpointer(const std::string& path, Connection& writer) : connection_(path) {
        sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, this);  // replaces the autocheckpoint
        thread_ = std::thread([this] { run(); });
    }
    ~Checkpointer() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
    }
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

private:
    static int on_commit(void* self, sqlite3*, const char*, int pages) {
        if (pages >= kPagesBeforeCheckpoint) {
            auto* checkpointer = static_cast<Checkpointer*>(self);
            {
                std::lock_guard lock(checkpointer->mutex_);
                checkpointer->due_ = true;
            }
            checkpointer->wake_.notify_one();
        }
        return SQLITE_OK;
    }

    void run() {
        // Signals are for the threads that wait for them (serve's SIGTERM waiter), never this one.
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, nullptr);
        pthread_setname_np(pthread_self(), "wal-checkpoint");
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return due_ || stopping_; });
            if (stopping_) return;
            due_ = false;
            lock.unlock();
            // A failure (e.g. SQLITE_BUSY) leaves the WAL as it is: the next commit asks again.
            sqlite3_wal_checkpoint_v2(connection_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            lock.lock();
        }
    }

    Connection connection_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool due_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace

namespace {

// SQLite's side of the SQL seam (sql.hpp): its errors become sql::Error.
template <typename Body>
auto translated(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const SqliteError& error) {
        if (error.is_busy()) throw sql::Busy(error.what());
        throw sql::Error(error.what());
    }
}

void bind_all(Statement& statement, std::span<const sql::Value> parameters) {
    int index = 1;
    for (const sql::Value& parameter : parameters) {
        std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, sql::Null>) {
                    statement.bind_null(index);
                } else if constexpr (std::is_same_v<T, core::Timestamp>) {
                    statement.bind(index, core::format_rfc3339(value));
                } else {
                    statement.bind(index, value);
                }
            },
            parameter);
        ++index;
    }
}

class SqliteRows final : public sql::Rows {
public:
    explicit SqliteRows(Statement statement) : statement_(std::move(statement)) {}
    bool next() override {
        return translated([&] { return statement_.step(); });
    }
    bool is_null(int column) const override { return statement_.column_is_null(column); }
    std::string text(int column) const override { return statement_.column_text(column); }
    std::int64_t integer(int column) const override { return statement_.column_int(column); }
    bool boolean(int column) const override { return statement_.column_int(column) != 0; }
    core::Timestamp time(int column) const override { return parse_stored_time(statement_.column_text(column)); }
    std::string time_text(int column) const override { return statement_.column_text(column); }  // as stored

private:
    Statement statement_;
};

// A connection for one call: `lease` keeps it lent (the writer's lock, or a reader lease) until destroyed;
// none when the writer borrows it inside its own transaction.
class SqliteSeamConnection final : public sql::Connection {
public:
    SqliteSeamConnection(core::sqlite::Connection& db, std::shared_ptr<void> lease) : db_(db), lease_(std::move(lease)) {}

    std::unique_ptr<sql::Rows> query(std::string_view text, std::span<const sql::Value> parameters) override {
        return answered([&] {
            Statement statement(db_, text);
            bind_all(statement, parameters);
            return std::unique_ptr<sql::Rows>(std::make_unique<SqliteRows>(std::move(statement)));
        });
    }
    // A statement's rows are stepped one at a time already.
    std::unique_ptr<sql::Rows> stream(std::string_view text, std::span<const sql::Value> parameters) override {
        return query(text, parameters);
    }
    // A statement run again on this connection (a rollup upsert once per key) is prepared once.
    std::int64_t execute(std::string_view text, std::span<const sql::Value> parameters) override {
        return answered([&] {
            auto prepared = prepared_.find(text);
            if (prepared == prepared_.end()) prepared = prepared_.emplace(std::string(text), Statement(db_, text)).first;
            Statement& statement = prepared->second;
            statement.reset();  // also after a run that threw
            bind_all(statement, parameters);
            statement.run();
            return db_.changes();
        });
    }
    // SQLite looks each numbered parameter up in a list while it parses, so a statement of thousands costs
    // quadratic time; one row re-bound is what it does best.
    std::size_t rows_per_statement() const override { return 1; }
    std::string time_column(std::string_view name) const override { return std::string(name); }  // RFC 3339 text
    std::string json_text(std::string_view column, std::string_view key) const override {
        return "json_extract(" + std::string(column) + ", '$." + std::string(key) + "')";
    }
    std::string byte_order() const override { return ""; }  // BINARY, the default
    std::string arrival_column() const override { return "rowid"; }
    // One writer assigns rowids in commit order, so a reader's snapshot holds every rowid up to its highest.
    std::optional<std::int64_t> arrival_horizon() override { return std::nullopt; }
    void hold_event_writers() override {}  // the writer's lock, held by every write transaction
    void begin() override {
        translated([&] { db_.execute("BEGIN IMMEDIATE"); });
    }
    void begin_snapshot() override {
        translated([&] { db_.execute("BEGIN DEFERRED"); });  // takes no write lock: ingest goes on
    }
    void commit() override {
        translated([&] { db_.execute("COMMIT"); });
    }
    void rollback() noexcept override { sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr); }

private:
    // A writer that borrowed the connection handles the engine's own errors (a batch's, a deadlock's).
    template <typename Body>
    auto answered(Body&& body) -> decltype(body()) {
        return lease_ ? translated(body) : body();
    }

    core::sqlite::Connection& db_;
    std::shared_ptr<void> lease_;
    // Declared after lease_, so finalized while this thread still holds the connection.
    std::map<std::string, Statement, std::less<>> prepared_;  // by SQL text
};

void fill_local_rollups(Connection& connection) {
    SqliteSeamConnection in_transaction(connection, nullptr);
    rebuild_local_rollups(in_transaction, std::nullopt);
}

void raise_alerts_in_transaction(Connection& db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                 const std::vector<EventOutcome>& outcomes, core::Timestamp received_at) {
    SqliteSeamConnection in_transaction(db, nullptr);
    raise_ingest_alerts(in_transaction, sender, events, outcomes, received_at);
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

    // The seam the storage roles are written over: the writer (under its lock) or a reader lease.
    class SeamDatabase final : public sql::Database {
    public:
        explicit SeamDatabase(Impl& impl) : impl_(impl) {}
        std::unique_ptr<sql::Connection> lend(sql::Access access) override {
            return translated([&]() -> std::unique_ptr<sql::Connection> {
                if (access == sql::Access::Write) {
                    auto lock = std::make_shared<std::unique_lock<std::mutex>>(impl_.writer_mutex);
                    return std::make_unique<SqliteSeamConnection>(*impl_.writer, std::move(lock));
                }
                auto lease = std::make_shared<ReaderLease>(impl_);
                return std::make_unique<SqliteSeamConnection>(**lease, lease);
            });
        }

    private:
        Impl& impl_;
    };
    SeamDatabase seam{*this};

    std::unique_ptr<Checkpointer> checkpointer;  // last: stopped before the connections close

    ~Impl() { checkpointer.reset(); }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { attach_roles(impl_->seam); }
SqliteStore::~SqliteStore() = default;

int SqliteStore::latest_schema_version() { return kLatestSchemaVersion; }

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path) {
    return guarded<std::unique_ptr<SqliteStore>>("opening the database", [&]() -> Result<std::unique_ptr<SqliteStore>> {
        auto impl = std::make_unique<Impl>();
        impl->path = path.string();
        impl->writer = std::make_unique<Connection>(impl->path);
        const int found = read_user_version(*impl->writer);
        if (found > kLatestSchemaVersion) {
            return make_error(ErrorCode::Unsupported,
                              "the database " + impl->path + " has schema version " + std::to_string(found) +
                                  " but this truthpoint-hub knows only up to " +
                                  std::to_string(kLatestSchemaVersion) + ": run a newer truthpoint-hub");
        }
        migrate(*impl->writer);
        impl->checkpointer = std::make_unique<Checkpointer>(impl->path, *impl->writer);
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
    });
}

Result<std::vector<EventOutcome>> SqliteStore::store_events(const KioskIdentity& sender,
                                                            const std::vector<IncomingEvent>& events,
                                                            core::Timestamp received_at) {
    return guarded<std::vector<EventOutcome>>("storing a batch", [&]() -> Result<std::vector<EventOutcome>> {
        if (events.empty()) return std::vector<EventOutcome>{};
        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        BatchWriter writer(db);
        auto outcomes = writer.write(sender, events, received_at);
        transaction.commit();
        return outcomes;
    });
}

std::vector<Result<std::vector<EventOutcome>>> SqliteStore::store_batches(std::vector<BatchToStore>& batches) {
    std::vector<Result<std::vector<EventOutcome>>> results;
    results.reserve(batches.size());
    auto group = guarded<Ok>("storing a group of batches", [&]() -> Status {
        std::lock_guard lock(impl_->writer_mutex);
        Connection& db = *impl_->writer;
        Transaction transaction(db);
        BatchWriter writer(db);
        for (const BatchToStore& batch : batches) {
            if (batch.events.empty()) {
                results.emplace_back(std::vector<EventOutcome>{});
                continue;
            }
            // A savepoint per batch: a batch that fails is undone alone; the others of the group still commit.
            writer.savepoint.step();
            writer.savepoint.reset();
            try {
                auto outcomes = writer.write(batch.sender, batch.events, batch.received_at);
                writer.release.step();
                writer.release.reset();
                results.emplace_back(std::move(outcomes));
            } catch (const std::exception& error) {
                writer.insert.reset();
                writer.earlier.reset();
                writer.seen.reset();
                writer.release.reset();
                db.execute("ROLLBACK TO batch");
                db.execute("RELEASE batch");
                results.emplace_back(make_error(ErrorCode::Unavailable,
                                                std::string("storing a batch of kiosk ") + batch.sender.kiosk_id +
                                                    ": " + error.what()));
            }
        }
        transaction.commit();
        return Ok{};
    });
    if (!group) {
        // The group's transaction failed as a whole: nothing of it was stored.
        results.assign(batches.size(), group.error());
    }
    return results;
}

Status SqliteStore::read_rows(std::string_view table, std::size_t chunk_rows,
                              const std::function<Status(const TableRows&)>& sink) {
    if (auto known = check_copied_table(table); !known) return known.error();
    return guarded<Ok>("reading rows to copy", [&]() -> Status {
        Impl::ReaderLease db(*impl_);
        Transaction snapshot(*db, Transaction::Mode::Deferred);  // one consistent picture of the table
        // rowid order is the order received; WITHOUT ROWID tables come in key order.
        const bool by_rowid = table != "receipts" && table != "receipt_items" && table != "rollup_answers" &&
                              table != "rollup_local_hours" && table != "rollup_tiers";
        Statement select(*db, "SELECT * FROM " + std::string(table) + (by_rowid ? " ORDER BY rowid" : ""));
        TableRows chunk;
        for (int i = 0; i < select.column_count(); ++i) chunk.columns.push_back(select.column_name(i));
        while (select.step()) {
            auto& row = chunk.rows.emplace_back();
            row.reserve(chunk.columns.size());
            for (int i = 0; i < select.column_count(); ++i) {
                if (select.column_is_null(i)) {
                    row.emplace_back(std::nullopt);
                } else {
                    row.emplace_back(select.column_text(i));
                }
            }
            if (chunk.rows.size() >= chunk_rows) {
                if (auto taken = sink(chunk); !taken) return taken;
                chunk.rows.clear();
            }
        }
        if (!chunk.rows.empty()) {
            if (auto taken = sink(chunk); !taken) return taken;
        }
        select.reset();
        snapshot.commit();
        return Ok{};
    });
}

}  // namespace truthpoint::hub
