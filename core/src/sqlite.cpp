// RAII wrappers over the SQLite C API (see sqlite.hpp).
#include "truthpoint/core/sqlite.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace truthpoint::core::sqlite {
namespace {

// Writers queue behind BEGIN IMMEDIATE for up to this long before giving up with SQLITE_BUSY.
constexpr int kBusyTimeoutMillis = 5000;
constexpr int kWalRetryMillis = 10;

// SQLite reports a full or read-only disk vaguely ("disk I/O error", "unable to open database file",
// "attempt to write a readonly database"): look at the file's directory and say which, and what to do.
std::string disk_diagnosis(int code, const std::string& path) {
    const int primary = code & 0xff;
    if (path.empty() || (primary != SQLITE_IOERR && primary != SQLITE_FULL && primary != SQLITE_CANTOPEN &&
                         primary != SQLITE_READONLY)) {
        return {};
    }
    std::string directory = std::filesystem::path(path).parent_path().string();
    if (directory.empty()) directory = ".";
    struct statvfs disk {};
    if (statvfs(directory.c_str(), &disk) != 0) return " (does " + directory + " exist?)";
    constexpr std::uint64_t kNearlyFull = 1024 * 1024;
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
    const std::string kept = "; data already saved is kept";
    if (disk.f_flag & ST_RDONLY) return " (" + directory + " is on a read-only file system: remount it read-write" + kept + ")";
    if (free_bytes < kNearlyFull) {
        return " (the disk holding " + directory + " is full, " + std::to_string(free_bytes / 1024) +
               " KB free: free space there" + kept + ")";
    }
    if (access(directory.c_str(), W_OK) != 0) return " (" + directory + " is read-only for this user: let it write there" + kept + ")";
    return {};
}

}  // namespace

Connection::Connection(const std::string& path) : path_(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const int code = db_ ? sqlite3_extended_errcode(db_) : rc;
        const std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw Error(code, "cannot open database " + path + ": " + detail + disk_diagnosis(code, path));
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, kBusyTimeoutMillis);
    execute("PRAGMA foreign_keys = ON");
    // WAL lets readers run while a writer commits; it is a property of the file, kept once set. Two
    // connections opening a new file at once race to set it, and SQLite answers the loser BUSY at once,
    // without its busy handler: that one tries again within the busy timeout.
    for (int waited = 0;; waited += kWalRetryMillis) {
        try {
            Statement wal(*this, "PRAGMA journal_mode = WAL");
            wal.step();
            if (wal.column_text(0) != "wal") {
                throw Error(SQLITE_ERROR, path + " refused WAL mode (journal_mode is " + wal.column_text(0) +
                                              "); is it on a network file system?");
            }
            break;
        } catch (const Error& error) {
            if ((error.code() & 0xff) != SQLITE_BUSY || waited >= kBusyTimeoutMillis) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(kWalRetryMillis));
        }
    }
    // In WAL mode NORMAL may lose the last commits on power loss; FULL's fsync is paid once per commit.
    execute("PRAGMA synchronous = FULL");
}

Connection::~Connection() { sqlite3_close_v2(db_); }

void Connection::execute(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw Error(rc, path_ + ": " + std::string(sql).substr(0, 60) + ": " + text + disk_diagnosis(rc, path_));
    }
}

Statement Connection::prepare(std::string_view sql) { return Statement(*this, sql); }

core::Error to_error(const Error& error, std::string_view what) {
    std::string message = std::string(what) + ": " + error.what();
    if (error.is_busy()) return core::make_busy(std::chrono::seconds(1), std::move(message));
    return core::make_error(core::ErrorCode::Unavailable, std::move(message));
}

void Connection::fail(int code, std::string_view what) const {
    throw Error(code, std::string(what) + ": " + sqlite3_errmsg(db_) + disk_diagnosis(code, path_));
}

Statement::Statement(Connection& connection, std::string_view sql) : connection_(&connection) {
    const int rc = sqlite3_prepare_v3(connection.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (rc != SQLITE_OK) connection.fail(rc, "preparing " + std::string(sql.substr(0, 60)));
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement::Statement(Statement&& other) noexcept : connection_(other.connection_), statement_(other.statement_) {
    other.statement_ = nullptr;
}

Statement& Statement::bind(int index, std::string_view text) {
    const int rc = sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) connection_->fail(rc, "binding a parameter");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
    const int rc = sqlite3_bind_int64(statement_, index, number);
    if (rc != SQLITE_OK) connection_->fail(rc, "binding a parameter");
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(statement_, index);
    if (rc != SQLITE_OK) connection_->fail(rc, "binding a parameter");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    connection_->fail(rc, "running " + std::string(sqlite3_sql(statement_)).substr(0, 60));
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

}  // namespace truthpoint::core::sqlite
