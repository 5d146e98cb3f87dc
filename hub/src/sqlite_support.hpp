// Thin RAII over the SQLite C API, private to hub/: a connection, a prepared statement with bound
// parameters, and a transaction that rolls back unless committed. Throws SqliteError inside the
// module; SqliteStore turns it into a Result at its boundary.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace truthpoint::hub::sqlite {

class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }  // the extended result code

private:
    int code_;
};

class Connection {
public:
    // Opens (creating if need be) and applies the per-connection settings: busy_timeout, foreign keys.
    explicit Connection(const std::string& path);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return db_; }
    // For statements without parameters (PRAGMA, DDL, BEGIN/COMMIT).
    void execute(const char* sql);
    [[noreturn]] void fail(int code, std::string_view what) const;

private:
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Connection& connection, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t number);
    Statement& bind_null(int index);

    // True while a row is available; false when done. Throws on error.
    bool step();
    // Makes the statement ready to run again with new bindings.
    void reset();

    std::string column_text(int index) const;
    bool column_is_null(int index) const;
    std::int64_t column_int(int index) const;
    int column_count() const;
    std::string column_name(int index) const;

private:
    Connection& connection_;
    sqlite3_stmt* statement_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so a write transaction never fails half-way with
// SQLITE_BUSY on lock upgrade; busy_timeout makes other writers wait for it instead.
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

}  // namespace truthpoint::hub::sqlite
