// PostgresStore: the hub's storage for a chain. libpq with bound parameters only; a small pool of
// connections, each lent to one thread for one call; numbered migrations in schema_migrations taken
// under an advisory lock; one multi-row INSERT ... ON CONFLICT (id) DO NOTHING per batch, so that
// several hub processes on one database store each event exactly once.
#include "truthpoint/hub/postgres_store.hpp"

#include "alert_rules.hpp"
#include "incoming_columns.hpp"
#include "migrations.hpp"
#include "rollups.hpp"
#include "sql.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <variant>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <libpq-fe.h>

namespace truthpoint::hub {
namespace {

// Any fixed number: every hub takes this transaction-scoped advisory lock before it reads the schema
// version, so two hubs starting together migrate one after the other ("truthpt1" in ASCII).
constexpr const char* kMigrationLockKey = "8391162063473750065";

// Event inserts hold this advisory lock shared until they commit; a reader of GET /api/v1/events takes
// it exclusively for an instant to learn the highest received_seq below which every row is committed
// (identity values are handed out before commit, so a higher one can commit before a lower one).
constexpr const char* kInsertHorizonLockKey = "8391162063473750066";

// Rows per INSERT statement: 9 parameters a row stays under PostgreSQL's 65,535 parameters.
constexpr std::size_t kRowsPerInsert = 5000;
constexpr std::size_t kMaxIdleConnections = 16;
constexpr int kAttemptsOnDeadlock = 4;

class PgError : public std::runtime_error {
public:
    PgError(std::string sqlstate, const std::string& message)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }

private:
    std::string sqlstate_;
};

// The server could not be reached: the message is complete and goes to the person as it is.
class ConnectError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The URL itself cannot be understood: the person must fix --db.
class UrlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// libpq's messages end in a newline and sometimes hold "\n\t" between sentences: one line for a log.
std::string tidy(const char* message) {
    std::string text = message ? message : "";
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' || text[i] == '\t') {
            while (i + 1 < text.size() && (text[i + 1] == '\n' || text[i + 1] == '\t')) ++i;
            if (i + 1 == text.size() || out.empty()) continue;
            const char last = out.back();
            out += (last == '.' || last == ':' || last == '?' || last == ';') ? " " : ". ";
        } else {
            out += text[i];
        }
    }
    return out;
}

struct ConnectionCloser {
    void operator()(PGconn* connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultFreer {
    void operator()(PGresult* result) const { PQclear(result); }
};

// Parameters, all sent as text; nullopt is SQL NULL.
class Params {
public:
    Params& add(std::string value) {
        values_.emplace_back(std::move(value));
        return *this;
    }
    Params& add(std::optional<std::string> value) {
        values_.push_back(std::move(value));
        return *this;
    }
    const std::vector<std::optional<std::string>>& values() const { return values_; }
    std::size_t size() const { return values_.size(); }

private:
    std::vector<std::optional<std::string>> values_;
};

// The rows of one statement's result.
class Rows {
public:
    explicit Rows(PGresult* result) : result_(result) {}
    int size() const { return PQntuples(result_.get()); }
    bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
    std::string text(int row, int column) const { return PQgetvalue(result_.get(), row, column); }
    std::int64_t integer(int row, int column) const { return std::stoll(text(row, column)); }
    core::Timestamp time(int row, int column) const {
        return core::Timestamp{std::chrono::milliseconds{integer(row, column)}};
    }

private:
    std::unique_ptr<PGresult, ResultFreer> result_;
};

Rows check(PGconn* connection, PGresult* result) {
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
    std::string sqlstate;
    std::string message;
    if (result) {
        if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) sqlstate = state;
        message = tidy(PQresultErrorMessage(result));
        PQclear(result);
    }
    if (message.empty()) message = tidy(PQerrorMessage(connection));
    throw PgError(sqlstate, message);
}

// One statement with bound parameters (never spliced into the SQL text).
Rows exec(PGconn* connection, const std::string& sql, const Params& params = {}) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& value : params.values()) values.push_back(value ? value->c_str() : nullptr);
    return check(connection, PQexecParams(connection, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                          values.data(), nullptr, nullptr, 0));
}

// Several statements without parameters (migrations, BEGIN/COMMIT).
void exec_script(PGconn* connection, const char* sql) { check(connection, PQexec(connection, sql)); }

// Rolls back unless committed, like the SQLite store's Transaction.
class Transaction {
public:
    explicit Transaction(PGconn* connection, const char* begin = "BEGIN") : connection_(connection) {
        exec_script(connection_, begin);
    }
    ~Transaction() {
        if (!done_) PQclear(PQexec(connection_, "ROLLBACK"));
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        done_ = true;
        exec_script(connection_, "COMMIT");
    }

private:
    PGconn* connection_;
    bool done_ = false;
};

constexpr const char* kSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// A text[] literal for `= ANY($1::text[])`: each element quoted, with \ and " escaped.
std::string text_array(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (char c : items[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

// "host:port/database as user" from the URL, for messages; the password is never part of it.
std::string describe_server(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (!options) {
        // libpq's reason quotes the whole URL, password included: give our own.
        PQfreemem(error);
        throw UrlError("the PostgreSQL URL cannot be parsed: use postgresql://USER:PASSWORD@HOST:PORT/DATABASE, "
                       "with an IPv6 host in [brackets] and any special character of the password %-encoded");
    }
    std::map<std::string, std::string> found;
    for (PQconninfoOption* option = options; option->keyword; ++option) {
        if (option->val && *option->val) found[option->keyword] = option->val;
    }
    PQconninfoFree(options);
    std::string host = "the local socket";  // libpq's default when no host is given
    if (found.count("hostaddr")) host = found["hostaddr"];
    if (found.count("host")) host = found["host"];
    const std::string port = found.count("port") ? found["port"] : "5432";
    std::string where = host + ":" + port;
    if (found.count("dbname")) where += "/" + found["dbname"];
    if (found.count("user")) where += " as " + found["user"];
    return where;
}

Connection connect(const std::string& url, const std::string& where) {
    // Keywords before "dbname" are defaults: whatever the URL says wins over them.
    const char* keywords[] = {"application_name", "connect_timeout", "client_encoding", "dbname", nullptr};
    const char* values[] = {"truthpoint-hub", "10", "UTF8", url.c_str(), nullptr};
    Connection connection(PQconnectdbParams(keywords, values, 1));
    if (!connection) throw ConnectError("cannot connect to PostgreSQL at " + where + ": out of memory");
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        const std::string reason = tidy(PQerrorMessage(connection.get()));
        // libpq asks "Is the server running...?" itself when nothing answered.
        const std::string hint = reason.find("Is the server running") != std::string::npos
                                     ? " Check the host and port in --db."
                                     : " Check the user, password and database in --db.";
        throw ConnectError("cannot connect to PostgreSQL at " + where + ": " + reason + hint);
    }
    // Notices such as "relation already exists, skipping" are not for the hub's log.
    PQsetNoticeProcessor(connection.get(), [](void*, const char*) {}, nullptr);
    return connection;
}

// Counts the events already held into the tables schema `kLocalRollupsSchema` added (below the seam).
void fill_local_rollups(PGconn* connection);

// Runs the pending migrations in one transaction under the advisory lock.
Status migrate(PGconn* connection, const std::string& where) {
    Transaction transaction(connection);
    exec(connection, "SELECT pg_advisory_xact_lock($1::bigint)", Params().add(std::string(kMigrationLockKey)));
    exec_script(connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    const int version = static_cast<int>(
        exec(connection, "SELECT coalesce(max(version), 0) FROM schema_migrations").integer(0, 0));
    if (version > kLatestSchemaVersion) {
        return make_error(ErrorCode::Unsupported,
                          "the PostgreSQL database at " + where + " has schema version " + std::to_string(version) +
                              " but this truthpoint-hub knows only up to " + std::to_string(kLatestSchemaVersion) +
                              ": run a newer truthpoint-hub");
    }
    for (int next = version; next < kLatestSchemaVersion; ++next) {
        exec_script(connection, kMigrations[next].postgresql);
        if (next + 1 == kLocalRollupsSchema) fill_local_rollups(connection);
        exec(connection, "INSERT INTO schema_migrations (version) VALUES ($1::integer)",
             Params().add(std::to_string(next + 1)));
    }
    transaction.commit();
    return Ok{};
}

// Times go in as RFC 3339 text and come out as epoch milliseconds.
std::string epoch_ms(const char* column) {
    return std::string("(extract(epoch FROM ") + column + ") * 1000)::bigint";
}

// Runs `body`, turning exceptions into an Error value: the module boundary.
template <typename T, typename Body>
Result<T> guarded(const char* what, Body&& body) {
    try {
        return body();
    } catch (const UrlError& error) {
        return make_error(ErrorCode::InvalidArgument, error.what());
    } catch (const ConnectError& error) {
        return make_error(ErrorCode::Unavailable, error.what());
    } catch (const PgError& error) {
        return make_error(ErrorCode::Unavailable, std::string(what) + ": PostgreSQL said: " + error.what());
    } catch (const std::exception& error) {
        return make_error(ErrorCode::Internal, std::string(what) + ": " + error.what());
    }
}

bool is_retryable(const PgError& error) {
    return error.sqlstate() == "40P01" || error.sqlstate() == "40001";  // deadlock, serialization failure
}

}  // namespace

namespace {

// PostgreSQL's side of the SQL seam (sql.hpp): its errors become sql::Error.
template <typename Body>
auto translated(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const ConnectError& error) {
        throw sql::Error(error.what());  // complete as it is
    } catch (const PgError& error) {
        const std::string message = std::string("PostgreSQL said: ") + error.what();
        if (is_retryable(error)) throw sql::Conflict(message);
        throw sql::Error(message);
    }
}

// The seam's ?N placeholders as PostgreSQL's $N (the seam's SQL holds no other '?').
std::string numbered_placeholders(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) out += c == '?' ? '$' : c;
    return out;
}

Params parameters_as_text(std::span<const sql::Value> parameters) {
    Params params;
    for (const sql::Value& parameter : parameters) {
        std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, sql::Null>) {
                    params.add(std::optional<std::string>{});
                } else if constexpr (std::is_same_v<T, core::Timestamp>) {
                    params.add(core::format_rfc3339(value));
                } else if constexpr (std::is_same_v<T, std::int64_t>) {
                    params.add(std::to_string(value));
                } else {
                    params.add(std::string(value));
                }
            },
            parameter);
    }
    return params;
}

using PgRows = Rows;  // inside PgSeamRows, `Rows` names its base

// The rows of one result; PgCursorRows refills them a chunk at a time.
class PgSeamRows : public sql::Rows {
public:
    explicit PgSeamRows(PgRows rows) : rows_(std::move(rows)) {}
    bool next() override { return ++row_ < rows_.size(); }
    bool is_null(int column) const override { return rows_.is_null(row_, column); }
    std::string text(int column) const override { return rows_.text(row_, column); }
    std::int64_t integer(int column) const override { return rows_.integer(row_, column); }
    bool boolean(int column) const override { return rows_.text(row_, column) == "t"; }
    core::Timestamp time(int column) const override { return rows_.time(row_, column); }

protected:
    // In place of the rows read out.
    void refill(PgRows rows) {
        rows_ = std::move(rows);
        row_ = -1;
    }

private:
    PgRows rows_;
    int row_ = -1;
};

// Rows read through a cursor, kRowsPerFetch at a time, so that memory stays flat however many there are.
class PgCursorRows final : public PgSeamRows {
public:
    static constexpr int kRowsPerFetch = 1000;

    // Declares the cursor; `number` tells it from the connection's others in the same transaction.
    PgCursorRows(PGconn* connection, std::string_view text, const Params& params, int number)
        : PgSeamRows(PgRows(nullptr)), connection_(connection), name_("seam_cursor_" + std::to_string(number)) {
        exec(connection_, "DECLARE " + name_ + " NO SCROLL CURSOR FOR " + numbered_placeholders(text), params);
    }
    ~PgCursorRows() override {
        if (PQtransactionStatus(connection_) != PQTRANS_INTRANS) return;  // ended with its transaction
        PQclear(PQexec(connection_, ("CLOSE " + name_).c_str()));
    }
    PgCursorRows(const PgCursorRows&) = delete;
    PgCursorRows& operator=(const PgCursorRows&) = delete;

    bool next() override {
        if (PgSeamRows::next()) return true;
        if (done_) return false;
        const std::string fetch = "FETCH " + std::to_string(kRowsPerFetch) + " FROM " + name_;
        PgRows chunk = translated([&] { return exec(connection_, fetch); });
        done_ = chunk.size() < kRowsPerFetch;
        refill(std::move(chunk));
        return PgSeamRows::next();
    }

private:
    PGconn* connection_;
    std::string name_;
    bool done_ = false;
};

// A connection for one call of a storage role: `lease` keeps it lent from the pool until destroyed; none
// when the writer borrows it inside its own transaction.
class PgSeamConnection final : public sql::Connection {
public:
    PgSeamConnection(PGconn* db, std::shared_ptr<void> lease) : db_(db), lease_(std::move(lease)) {}
    std::unique_ptr<sql::Rows> query(std::string_view text, std::span<const sql::Value> parameters) override {
        return answered([&] {
            return std::unique_ptr<sql::Rows>(
                std::make_unique<PgSeamRows>(exec(db_, numbered_placeholders(text), parameters_as_text(parameters))));
        });
    }
    std::int64_t execute(std::string_view text, std::span<const sql::Value> parameters) override {
        return answered([&] {
            const Params params = parameters_as_text(parameters);
            std::vector<const char*> values;
            for (const auto& value : params.values()) values.push_back(value ? value->c_str() : nullptr);
            const std::string statement = numbered_placeholders(text);
            PGresult* result = PQexecParams(db_, statement.c_str(), static_cast<int>(values.size()), nullptr,
                                            values.data(), nullptr, nullptr, 0);
            const std::string changed = result ? PQcmdTuples(result) : "";
            check(db_, result);  // throws on failure; frees the result either way
            return changed.empty() ? std::int64_t{0} : std::stoll(changed);
        });
    }
    // One round trip per chunk; well under PostgreSQL's 65,535 parameters.
    std::size_t rows_per_statement() const override { return 500; }
    std::string time_column(std::string_view name) const override { return epoch_ms(std::string(name).c_str()); }
    std::string json_text(std::string_view column, std::string_view key) const override {
        return "(" + std::string(column) + " ->> '" + std::string(key) + "')";
    }
    std::string byte_order() const override { return " COLLATE \"C\""; }
    // Read through a cursor, so only inside a transaction.
    std::unique_ptr<sql::Rows> stream(std::string_view text, std::span<const sql::Value> parameters) override {
        return answered([&] {
            return std::unique_ptr<sql::Rows>(
                std::make_unique<PgCursorRows>(db_, text, parameters_as_text(parameters), ++cursors_));
        });
    }
    std::string arrival_column() const override { return "received_seq"; }
    // Identity values are handed out before commit, so a higher one can commit before a lower one. Event
    // inserts hold the horizon lock shared until they commit: taking it exclusively waits for those in
    // flight, and later inserts get higher numbers.
    std::optional<std::int64_t> arrival_horizon() override {
        return answered([&] {
            Transaction transaction(db_);
            exec(db_, "SELECT pg_advisory_xact_lock($1::bigint)", Params().add(std::string(kInsertHorizonLockKey)));
            const std::int64_t horizon = exec(db_, "SELECT coalesce(max(received_seq), 0) FROM events").integer(0, 0);
            transaction.commit();
            return std::optional<std::int64_t>(horizon);
        });
    }
    // Event inserts hold the horizon lock shared until they commit.
    void hold_event_writers() override {
        answered([&] { exec(db_, "SELECT pg_advisory_xact_lock($1::bigint)", Params().add(std::string(kInsertHorizonLockKey))); });
    }
    void begin() override {
        translated([&] { exec_script(db_, "BEGIN"); });
    }
    void begin_snapshot() override {
        translated([&] { exec_script(db_, kSnapshot); });
    }
    void commit() override {
        translated([&] { exec_script(db_, "COMMIT"); });
    }
    void rollback() noexcept override { PQclear(PQexec(db_, "ROLLBACK")); }

private:
    // A writer that borrowed the connection handles the engine's own errors (a batch's, a deadlock's).
    template <typename Body>
    auto answered(Body&& body) -> decltype(body()) {
        return lease_ ? translated(body) : body();
    }

    PGconn* db_;
    std::shared_ptr<void> lease_;
    int cursors_ = 0;  // cursors declared, for their names
};

void fill_local_rollups(PGconn* connection) {
    PgSeamConnection in_transaction(connection, nullptr);
    rebuild_local_rollups(in_transaction, std::nullopt);
}

}  // namespace

struct PostgresStore::Impl {
    std::string url;    // holds the password, if any: never printed
    std::string where;  // host:port/database as user, for messages

    std::mutex mutex;  // guards `idle`
    std::vector<Connection> idle;

    // A connection lent to one thread for one call. Returned to the pool only when healthy and
    // outside any transaction; a broken one is dropped, and the next call connects afresh.
    class Lease {
    public:
        explicit Lease(Impl& impl) : impl_(impl) {
            {
                std::lock_guard lock(impl_.mutex);
                if (!impl_.idle.empty()) {
                    connection_ = std::move(impl_.idle.back());
                    impl_.idle.pop_back();
                }
            }
            if (!connection_) connection_ = connect(impl_.url, impl_.where);
        }
        ~Lease() {
            if (PQstatus(connection_.get()) != CONNECTION_OK ||
                PQtransactionStatus(connection_.get()) != PQTRANS_IDLE) {
                return;
            }
            std::lock_guard lock(impl_.mutex);
            if (impl_.idle.size() < kMaxIdleConnections) impl_.idle.push_back(std::move(connection_));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        PGconn* get() const { return connection_.get(); }

    private:
        Impl& impl_;
        Connection connection_;
    };

    class SeamDatabase final : public sql::Database {
    public:
        explicit SeamDatabase(Impl& impl) : impl_(impl) {}
        std::unique_ptr<sql::Connection> lend(sql::Access) override {
            return translated([&] {
                auto lease = std::make_shared<Lease>(impl_);
                return std::unique_ptr<sql::Connection>(std::make_unique<PgSeamConnection>(lease->get(), lease));
            });
        }

    private:
        Impl& impl_;
    };
    SeamDatabase seam{*this};
};

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) { attach_roles(impl_->seam); }
PostgresStore::~PostgresStore() = default;

int PostgresStore::latest_schema_version() { return kLatestSchemaVersion; }

Result<std::unique_ptr<PostgresStore>> PostgresStore::open(std::string_view url) {
    return guarded<std::unique_ptr<PostgresStore>>(
        "preparing the PostgreSQL schema", [&]() -> Result<std::unique_ptr<PostgresStore>> {
            auto impl = std::make_unique<Impl>();
            impl->url = std::string(url);
            impl->where = describe_server(impl->url);
            {
                Impl::Lease db(*impl);
                if (auto migrated = migrate(db.get(), impl->where); !migrated) return migrated.error();
            }
            return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(impl)));
        });
}

namespace {

// In the batch's transaction, for the events it stored: verified purchases and the kiosk's clock skew
// (received_at minus the batch's newest occurred_at). The rollups are the fold's (rollups.hpp).
void maintain_after_insert(PGconn* db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                           const std::vector<EventOutcome>& outcomes, const std::string& received,
                           core::Timestamp received_at) {
    std::vector<std::string> with_receipt;
    core::Timestamp newest = events.front().event.occurred_at;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const core::Event& event = events[i].event;
        newest = std::max(newest, event.occurred_at);
        if (outcomes[i] != EventOutcome::Stored || event.sku.empty()) continue;
        if (!event_facts(event).receipt_hash.empty()) with_receipt.push_back(event.id);
    }
    if (!with_receipt.empty()) {
        exec(db,
             "UPDATE events e SET verified_purchase = true FROM receipt_items r WHERE e.id = ANY($1::text[]) "
             "AND r.store_id = e.store_id AND r.receipt_hash = e.receipt_hash AND r.sku = e.sku",
             Params().add(text_array(with_receipt)));
    }
    const auto skew = std::chrono::duration_cast<std::chrono::milliseconds>(received_at - newest).count();
    exec(db, "UPDATE kiosks SET last_seen_at = $1::timestamptz, clock_skew_ms = $2::bigint WHERE id = $3",
         Params().add(received).add(std::to_string(skew)).add(sender.kiosk_id));
    if (may_raise_alerts(events)) {
        PgSeamConnection in_transaction(db, nullptr);
        raise_ingest_alerts(in_transaction, sender, events, outcomes, received_at);
    }
}

// One batch in one transaction: the INSERTs skip ids already held (by this batch, an earlier one, or
// another hub's transaction, which they wait for), then one SELECT sorts the skipped ones into
// resends and conflicts.
std::vector<EventOutcome> insert_batch(PGconn* db, const KioskIdentity& sender,
                                       const std::vector<IncomingEvent>& events, core::Timestamp received_at) {
    const std::string received = core::format_rfc3339(received_at);
    exec(db, "SELECT pg_advisory_xact_lock_shared($1::bigint)", Params().add(std::string(kInsertHorizonLockKey)));
    std::unordered_multiset<std::string> inserted;
    std::string dumped;
    for (std::size_t first = 0; first < events.size(); first += kRowsPerInsert) {
        const std::size_t last = std::min(events.size(), first + kRowsPerInsert);
        // $1..$3 are the sender and the receive time, shared by every row; then 9 per row.
        Params params;
        params.add(sender.kiosk_id).add(sender.store_id).add(received);
        std::string sql =
            "INSERT INTO events (id, kiosk_id, store_id, type, occurred_at, received_at, session_id, locale, sku, "
            "data, payload_hash, misuse, receipt_hash) VALUES ";
        sql.reserve(sql.size() + (last - first) * 120);
        int next = 4;
        for (std::size_t i = first; i < last; ++i) {
            const core::Event& event = events[i].event;
            // Formatted and dumped on the request threads when they could be: every batch waits for this thread.
            std::string occurred = occurred_at_text(events[i]);
            const EventFacts facts = event_facts(event);
            if (i > first) sql += ',';
            // Columns in insert order; each `?` takes the next parameter number.
            for (const char* part : {"(?", ",$1,$2,?", ",?::timestamptz,$3::timestamptz,?", ",?", ",?", ",?::json",
                                     ",?", ",?::boolean", ",?)"}) {
                for (const char* c = part; *c; ++c) {
                    if (*c == '?') {
                        sql += '$';
                        sql += std::to_string(next++);
                    } else {
                        sql += *c;
                    }
                }
            }
            params.add(event.id)
                .add(std::string(core::to_string(event.type)))
                .add(std::move(occurred))
                .add(event.session_id)
                .add(event.locale)
                .add(event.sku.empty() ? std::nullopt : std::optional<std::string>(event.sku))
                .add(std::string(data_text(events[i], dumped)))
                .add(events[i].payload_hash)
                .add(std::string(facts.misuse ? "true" : "false"))
                .add(facts.receipt_hash.empty() ? std::nullopt
                                                : std::optional<std::string>(filed_receipt_hash(facts, [&](const std::string& hash) {
                                                      return exec(db, "SELECT 1 FROM receipts WHERE store_id = $1 AND receipt_hash = $2",
                                                                  Params().add(sender.store_id).add(hash)).size() > 0;
                                                  })));
        }
        sql += " ON CONFLICT (id) DO NOTHING RETURNING id";
        auto rows = exec(db, sql, params);
        for (int row = 0; row < rows.size(); ++row) inserted.insert(rows.text(row, 0));
    }

    std::vector<EventOutcome> outcomes(events.size(), EventOutcome::Stored);
    std::vector<std::size_t> skipped;
    for (std::size_t i = 0; i < events.size(); ++i) {
        // The first occurrence of an id this batch inserted is the stored one; a repeat is looked up.
        if (auto found = inserted.find(events[i].event.id); found != inserted.end()) {
            inserted.erase(found);
        } else {
            skipped.push_back(i);
        }
    }
    if (!skipped.empty()) {
        std::vector<std::string> ids;
        for (std::size_t i : skipped) ids.push_back(events[i].event.id);
        auto rows = exec(db, "SELECT id, kiosk_id, payload_hash FROM events WHERE id = ANY($1::text[])",
                         Params().add(text_array(ids)));
        std::unordered_map<std::string, std::pair<std::string, std::string>> held;
        for (int row = 0; row < rows.size(); ++row) held[rows.text(row, 0)] = {rows.text(row, 1), rows.text(row, 2)};
        for (std::size_t i : skipped) {
            const auto found = held.find(events[i].event.id);
            const bool same = found != held.end() && found->second.first == sender.kiosk_id &&
                              found->second.second == events[i].payload_hash;
            outcomes[i] = same ? EventOutcome::Duplicate : EventOutcome::Conflict;
        }
    }
    maintain_after_insert(db, sender, events, outcomes, received, received_at);
    return outcomes;
}

std::vector<EventOutcome> store_batch(PGconn* db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                      core::Timestamp received_at) {
    Transaction transaction(db);
    auto outcomes = insert_batch(db, sender, events, received_at);
    transaction.commit();
    return outcomes;
}

}  // namespace

Result<std::vector<EventOutcome>> PostgresStore::store_events(const KioskIdentity& sender,
                                                              const std::vector<IncomingEvent>& events,
                                                              core::Timestamp received_at) {
    return guarded<std::vector<EventOutcome>>("storing a batch", [&]() -> Result<std::vector<EventOutcome>> {
        if (events.empty()) return std::vector<EventOutcome>{};
        Impl::Lease db(*impl_);
        // Two hubs storing overlapping batches in different orders can deadlock; PostgreSQL then
        // aborts one transaction, which is safe to run again.
        for (int attempt = 1;; ++attempt) {
            try {
                return store_batch(db.get(), sender, events, received_at);
            } catch (const PgError& error) {
                if (!is_retryable(error) || attempt == kAttemptsOnDeadlock) throw;
            }
        }
    });
}

std::vector<Result<std::vector<EventOutcome>>> PostgresStore::store_batches(std::vector<BatchToStore>& batches) {
    std::vector<Result<std::vector<EventOutcome>>> results;
    results.reserve(batches.size());
    auto group = guarded<Ok>("storing a group of batches", [&]() -> Status {
        Impl::Lease db(*impl_);
        Transaction transaction(db.get());
        for (const BatchToStore& batch : batches) {
            if (batch.events.empty()) {
                results.emplace_back(std::vector<EventOutcome>{});
                continue;
            }
            // A savepoint per batch: a failed batch (or a deadlock victim, tried again) is undone alone.
            for (int attempt = 1;; ++attempt) {
                exec_script(db.get(), "SAVEPOINT batch");
                try {
                    auto outcomes = insert_batch(db.get(), batch.sender, batch.events, batch.received_at);
                    exec_script(db.get(), "RELEASE SAVEPOINT batch");
                    results.emplace_back(std::move(outcomes));
                    break;
                } catch (const std::exception& error) {
                    // Any failure of one batch (as on SQLite) is undone alone; only a deadlock is tried again.
                    exec_script(db.get(), "ROLLBACK TO SAVEPOINT batch");
                    exec_script(db.get(), "RELEASE SAVEPOINT batch");
                    const auto* database_error = dynamic_cast<const PgError*>(&error);
                    if (database_error && is_retryable(*database_error) && attempt < kAttemptsOnDeadlock) continue;
                    results.emplace_back(make_error(ErrorCode::Unavailable, std::string("storing a batch of kiosk ") +
                                                                                batch.sender.kiosk_id + ": " +
                                                                                error.what()));
                    break;
                }
            }
        }
        transaction.commit();
        return Ok{};
    });
    if (!group) results.assign(batches.size(), group.error());  // the group's commit failed: nothing stored
    return results;
}

namespace {

// "0"/"1" (SQLite's booleans) → "false"/"true"; PostgreSQL's boolean input takes both, but say it plainly.
std::optional<std::string> as_column_value(const std::optional<std::string>& value, const std::string& type) {
    if (!value || type != "boolean") return value;
    return std::string(*value == "0" ? "false" : "true");
}

}  // namespace

Status PostgresStore::write_rows(std::string_view table, const TableRows& chunk) {
    if (auto known = check_copied_table(table); !known) return known.error();
    if (chunk.rows.empty()) return Ok{};
    return guarded<Ok>("writing copied rows", [&]() -> Status {
        Impl::Lease db(*impl_);
        // Each value is sent as text and cast to its column's type, so JSON keeps its exact text and
        // RFC 3339 times become timestamptz. received_seq (events) is not sent: it numbers the rows anew,
        // in the order given, which is the order received.
        auto types = exec(db.get(),
                          "SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = $1",
                          Params().add(std::string(table)));
        std::map<std::string, std::string> type_of;
        for (int row = 0; row < types.size(); ++row) type_of[types.text(row, 0)] = types.text(row, 1);
        std::vector<std::string> column_types;
        std::string columns;
        for (const std::string& column : chunk.columns) {
            const auto found = type_of.find(column);
            if (found == type_of.end()) {
                return make_error(ErrorCode::Unsupported, "the PostgreSQL table " + std::string(table) +
                                                              " has no column " + column +
                                                              ": is this hub older than the SQLite file's?");
            }
            column_types.push_back(found->second);
            columns += (columns.empty() ? "" : ", ") + column;
        }
        const std::size_t width = chunk.columns.size();
        const std::size_t rows_per_insert = std::max<std::size_t>(1, 60000 / width);
        Transaction transaction(db.get());
        for (std::size_t first = 0; first < chunk.rows.size(); first += rows_per_insert) {
            const std::size_t last = std::min(chunk.rows.size(), first + rows_per_insert);
            std::string sql = "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES ";
            Params params;
            int number = 1;
            for (std::size_t r = first; r < last; ++r) {
                sql += r == first ? "(" : ", (";
                for (std::size_t c = 0; c < width; ++c) {
                    sql += (c ? ", $" : "$") + std::to_string(number++) + "::" + column_types[c];
                    params.add(as_column_value(chunk.rows[r][c], column_types[c]));
                }
                sql += ")";
            }
            exec(db.get(), sql, params);
        }
        // The copy carries the rollups too, counted up to its last event (db copy catches the source up
        // first): no fold counts the copied events again.
        if (table == "events") {
            exec_script(db.get(), "UPDATE rollup_progress SET folded_through = "
                                  "(SELECT coalesce(max(received_seq), 0) FROM events) WHERE id = 1");
        }
        transaction.commit();
        return Ok{};
    });
}

}  // namespace truthpoint::hub
