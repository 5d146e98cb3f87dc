// RAII wrappers over the SQLite C API (see sqlite_support.hpp).
#include "sqlite_support.hpp"

namespace truthpoint::hub::sqlite {
namespace {

// Writers queue behind BEGIN IMMEDIATE for up to this long before a request gives up with 503.
constexpr int kBusyTimeoutMillis = 5000;

}  // namespace

Connection::Connection(const std::string& path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError(rc, "cannot open database " + path + ": " + detail +
                                  " (does its directory exist, and may this user write there?)");
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMillis);
    execute("PRAGMA foreign_keys = ON");
}

Connection::~Connection() { sqlite3_close_v2(db_); }

void Connection::execute(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw SqliteError(rc, std::string(sql).substr(0, 60) + ": " + text);
    }
}

void Connection::fail(int code, std::string_view what) const {
    throw SqliteError(code, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Statement::Statement(Connection& connection, std::string_view sql) : connection_(connection) {
    const int rc = sqlite3_prepare_v3(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (rc != SQLITE_OK) connection.fail(rc, "preparing " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) connection_.fail(rc, "binding a parameter");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
    const int rc = sqlite3_bind_int64(statement_, index, number);
    if (rc != SQLITE_OK) connection_.fail(rc, "binding a parameter");
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(statement_, index);
    if (rc != SQLITE_OK) connection_.fail(rc, "binding a parameter");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    connection_.fail(rc, "running " + std::string(sqlite3_sql(statement_)).substr(0, 60));
}

void Statement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::string Statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_, index));
    if (!text) return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement_, index)));
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(statement_, index) == SQLITE_NULL; }

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(statement_, index); }

int Statement::column_count() const { return sqlite3_column_count(statement_); }

std::string Statement::column_name(int index) const {
    const char* name = sqlite3_column_name(statement_, index);
    return name ? name : "";
}

Transaction::Transaction(Connection& connection, Mode mode) : connection_(connection) {
    connection_.execute(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (finished_) return;
    // Cannot throw from a destructor; a failed rollback leaves SQLite to roll back on close.
    sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    connection_.execute("COMMIT");
    finished_ = true;
}

}  // namespace truthpoint::hub::sqlite
