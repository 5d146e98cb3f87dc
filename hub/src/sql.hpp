// The SQL seam the hub's storage roles are written once over: a connection lent for one call, statements
// with bound parameters, rows, a transaction. Each engine implements it in its store's file; what truly
// differs between the engines (placeholders, how a time column reads, which column numbers the events in
// arrival order, how many rows a statement should carry) lives in the engine's Connection, so a role's SQL
// is written once.
//
// SQL text is written with SQLite's numbered placeholders (?1, ?2, ...) and never holds a '?' elsewhere;
// PostgreSQL's connection renumbers them $1, $2, ... Times are bound as RFC 3339 text, which both
// engines take for their time columns (TEXT on SQLite, timestamptz on PostgreSQL).
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub::sql {

// What an engine's connection throws: the database refused or could not be reached.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The engine gave a transaction up to resolve a conflict with another (PostgreSQL's deadlock or
// serialization failure): the whole transaction may run again (see retried).
class Conflict : public Error {
public:
    using Error::Error;
};

// Another connection held the database past the busy timeout (SQLite's BUSY): the caller may retry soon.
class Busy : public Error {
public:
    using Error::Error;
};

struct Null {};
// A parameter: text, a whole number, a time, or NULL.
using Value = std::variant<Null, std::string_view, std::int64_t, core::Timestamp>;

// An optional filter as a parameter: NULL when absent.
template <typename T>
Value or_null(const std::optional<T>& value) {
    return value ? Value(*value) : Value(Null{});
}

// The rows of one statement, read forward once.
class Rows {
public:
    virtual ~Rows() = default;
    // True while a row is available.
    virtual bool next() = 0;
    virtual bool is_null(int column) const = 0;
    virtual std::string text(int column) const = 0;
    virtual std::int64_t integer(int column) const = 0;
    // True for a boolean column's true (PostgreSQL's boolean, SQLite's integer 1).
    virtual bool boolean(int column) const = 0;
    // A column selected through Connection::time_column.
    virtual core::Timestamp time(int column) const = 0;
    // The same as RFC 3339 text; SQLite hands back the text it stores, unparsed.
    virtual std::string time_text(int column) const { return core::format_rfc3339(time(column)); }
};

// One engine connection, lent to one thread for one call of a role (see Database::lend), or borrowed by
// an engine's own writer to run a role's statements inside the transaction it already holds.
class Connection {
public:
    virtual ~Connection() = default;
    // A span for parameters counted at run time (a multi-row VALUES list).
    virtual std::unique_ptr<Rows> query(std::string_view sql, std::span<const Value> parameters) = 0;
    std::unique_ptr<Rows> query(std::string_view sql, std::initializer_list<Value> parameters = {}) {
        return query(sql, std::span<const Value>(parameters.begin(), parameters.size()));
    }
    // As query, for more rows than memory should hold at once: they are read a chunk at a time. Only inside a
    // Transaction (PostgreSQL reads through a cursor, which lives in one).
    virtual std::unique_ptr<Rows> stream(std::string_view sql, std::span<const Value> parameters) = 0;
    std::unique_ptr<Rows> stream(std::string_view sql, std::initializer_list<Value> parameters = {}) {
        return stream(sql, std::span<const Value>(parameters.begin(), parameters.size()));
    }
    // Runs a statement that returns no rows; returns the number of rows it changed.
    virtual std::int64_t execute(std::string_view sql, std::span<const Value> parameters) = 0;
    std::int64_t execute(std::string_view sql, std::initializer_list<Value> parameters = {}) {
        return execute(sql, std::span<const Value>(parameters.begin(), parameters.size()));
    }
    // How many rows a multi-row VALUES list should hold: the engine's best batch size.
    virtual std::size_t rows_per_statement() const = 0;
    // The select-list text that reads time column `name` so that Rows::time understands it.
    virtual std::string time_column(std::string_view name) const = 0;
    // The expression reading top-level key `key` (letters and '_' only) of JSON column `column` as text.
    virtual std::string json_text(std::string_view column, std::string_view key) const = 0;
    // Appended to ORDER BY on text, for the same order on both engines: byte order (SQLite's own).
    virtual std::string byte_order() const = 0;
    // The events table's column that numbers its rows in the order received (SQLite's rowid, PostgreSQL's
    // received_seq): the order of an export and the cursor of a page.
    virtual std::string arrival_column() const = 0;
    // The highest arrival number up to which every event is committed, or nullopt when every visible event
    // already is (SQLite's one writer numbers rows in commit order). A page reads no further, so that a row
    // committed later never lands below a cursor already handed out.
    virtual std::optional<std::int64_t> arrival_horizon() = 0;

    // Inside a write transaction: waits for every event insert in flight (of any hub) to commit and keeps new
    // ones out until this transaction ends, so that a role counting events again sees them all and no batch
    // counts beside it. SQLite's write lock does this already.
    virtual void hold_event_writers() = 0;

    virtual void begin() = 0;  // SQLite: BEGIN IMMEDIATE, since a role's transaction writes
    // A read-only transaction: every statement in it sees one snapshot of the database.
    virtual void begin_snapshot() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
};

// A statement built a condition at a time: its text, and the values of the placeholders bind() wrote into
// it. Text given by value is kept here, so the parameters stay valid as long as the builder.
class QueryBuilder {
public:
    explicit QueryBuilder(std::string text = {}) : text_(std::move(text)) {}

    QueryBuilder& operator<<(std::string_view text) {
        text_ += text;
        return *this;
    }
    std::string bind(std::string text) {
        kept_.push_back(std::move(text));
        return bind(Value(std::string_view(kept_.back())));
    }
    std::string bind(Value value) {  // text as a view must outlive the builder
        values_.push_back(value);
        return "?" + std::to_string(values_.size());
    }

    const std::string& text() const { return text_; }
    std::span<const Value> parameters() const { return values_; }
    std::unique_ptr<Rows> query(Connection& db) const { return db.query(text_, values_); }
    std::unique_ptr<Rows> stream(Connection& db) const { return db.stream(text_, values_); }

private:
    std::string text_;
    std::deque<std::string> kept_;  // a deque: the views in values_ stay valid as it grows
    std::vector<Value> values_;
};

enum class Intent { Write, ReadSnapshot };

// Rolls back unless committed.
class Transaction {
public:
    explicit Transaction(Connection& connection, Intent intent = Intent::Write) : connection_(connection) {
        if (intent == Intent::Write) {
            connection_.begin();
        } else {
            connection_.begin_snapshot();
        }
    }
    ~Transaction() {
        if (!committed_) connection_.rollback();
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        connection_.commit();
        committed_ = true;
    }

private:
    Connection& connection_;
    bool committed_ = false;
};

// Runs `body`, one whole transaction, again while the engine gives it up over a conflict: `attempts` in all.
template <typename Body>
auto retried(int attempts, Body&& body) -> decltype(body()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return body();
        } catch (const Conflict&) {
            if (attempt >= attempts) throw;
        }
    }
}

enum class Access { Read, Write };

// Lends connections to the roles. Safe to call from several threads at once.
class Database {
public:
    virtual ~Database() = default;
    // SQLite lends its single writer for Write (held, under its lock, until the connection is destroyed)
    // and a read-only connection for Read; PostgreSQL lends a pooled connection for either.
    virtual std::unique_ptr<Connection> lend(Access access) = 0;
};

// Runs `body`, turning exceptions into an Error value: a role's boundary.
template <typename T, typename Body>
Result<T> guarded(const char* what, Body&& body) {
    try {
        return body();
    } catch (const Busy& error) {
        return core::make_busy(std::chrono::seconds(1), std::string(what) + ": " + error.what());
    } catch (const Error& error) {
        return make_error(ErrorCode::Unavailable, std::string(what) + ": " + error.what());
    } catch (const std::exception& error) {
        return make_error(ErrorCode::Internal, std::string(what) + ": " + error.what());
    }
}

}  // namespace truthpoint::hub::sql
