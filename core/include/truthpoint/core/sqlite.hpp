// The project's one RAII layer over the SQLite C API, for the kiosk's ledger and the hub alike: a
// connection, a prepared statement with bound parameters, and a transaction that rolls back unless
// committed. Failures throw sqlite::Error carrying SQLite's extended result code; each module catches
// it at its own boundary and turns it into a value. A library of its own (truthpoint::core_sqlite), so
// that core itself stays free of I/O.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "truthpoint/core/result.hpp"

namespace truthpoint::core::sqlite {

class Error : public std::runtime_error {
public:
    Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    // The extended result code (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_FSYNC, ...); `code() & 0xff` is the primary one.
    int code() const { return code_; }
    // Another connection held the database past the busy timeout: retrying soon may work.
    bool is_busy() const { return (code_ & 0xff) == SQLITE_BUSY || (code_ & 0xff) == SQLITE_LOCKED; }

private:
    int code_;
};

// The value a module boundary returns for `error`, as "<what>: <message>": Busy (retry after
// a second) when another connection held the database past the busy timeout, Unavailable otherwise.
core::Error to_error(const Error& error, std::string_view what);

class Statement;

// One connection per thread (opened NOMUTEX). Opening applies the house settings every user relies on:
// extended result codes, a busy timeout, foreign keys, WAL (checked: a network file system may refuse it)
// and synchronous=FULL (a commit survives a power cut: the kiosk says "thank you" and the hub answers 200
// only after it).
class Connection {
public:
    explicit Connection(const std::string& path);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // For statements without parameters (PRAGMA, DDL, BEGIN/COMMIT); may hold several.
    void execute(const char* sql);
    void execute(const std::string& sql) { execute(sql.c_str()); }
    // Shorthand for Statement(*this, sql), for one-line chains: prepare(...).bind(1, x).run().
    Statement prepare(std::string_view sql);

    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const { return sqlite3_changes64(db_); }
    // Throws Error with `what`, SQLite's message and, for disk faults, what to do about them.
    [[noreturn]] void fail(int code, std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
    std::string path_;
};

class Statement {
public:
    // Prepared as persistent: callers keep statements they run many times.
    Statement(Connection& connection, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::int64_t number);
    Statement& bind_null(int index);

    // True while a row is available; false when done. Throws on error.
    bool step();
    // Runs a statement that returns no rows.
    void run() { step(); }
    // Makes the statement ready to run again with new bindings.
    void reset();

    std::string column_text(int index) const;
    bool column_is_null(int index) const;
    std::int64_t column_int(int index) const;
    int column_count() const;
    std::string column_name(int index) const;

private:
    Connection* connection_;
    sqlite3_stmt* statement_ = nullptr;
};

// IMMEDIATE (the default) takes the write lock up front, so a write transaction never fails half-way
// with SQLITE_BUSY on lock upgrade; the busy timeout makes other writers wait for it instead.
class Transaction {
public:
    enum class Mode { Deferred, Immediate };
    explicit Transaction(Connection& connection, Mode mode = Mode::Immediate);
    ~Transaction();  // rolls back unless commit() succeeded
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Connection& connection_;
    bool finished_ = false;
};

}  // namespace truthpoint::core::sqlite
