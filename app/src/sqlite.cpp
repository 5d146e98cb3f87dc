// RAII wrappers over sqlite3: every failure becomes a SqliteError with SQLite's own message.
#include "truthpoint/app/sqlite.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>

namespace truthpoint::app {
namespace {

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
    if (statvfs(directory.c_str(), &disk) != 0) return {};
    constexpr std::uint64_t kNearlyFull = 1024 * 1024;
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
    const std::string kept = "; events already saved are kept";
    if (disk.f_flag & ST_RDONLY) return " (" + directory + " is on a read-only file system: remount it read-write" + kept + ")";
    if (free_bytes < kNearlyFull) {
        return " (the disk holding " + directory + " is full, " + std::to_string(free_bytes / 1024) +
               " KB free: free space there" + kept + ")";
    }
    if (access(directory.c_str(), W_OK) != 0) return " (" + directory + " is read-only for this user: let it write there" + kept + ")";
    return {};
}

[[noreturn]] void fail(sqlite3* db, int code, const std::string& what) {
    const char* path = db ? sqlite3_db_filename(db, "main") : nullptr;
    throw SqliteError(code, what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)) +
                                disk_diagnosis(code, path ? path : ""));
}

}  // namespace

Database::Database(const std::string& path) : path_(path) {
    const int code = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                             SQLITE_OPEN_NOMUTEX, nullptr);
    if (code != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError(code, "cannot open " + path + ": " + message + disk_diagnosis(code, path));
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");  // a tap is on disk before "thank you", power cut or not
    exec("PRAGMA foreign_keys=ON");
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const char* sql) {
    char* error = nullptr;
    const int code = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (code != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errstr(code);
        sqlite3_free(error);
        throw SqliteError(code, path_ + ": " + message + disk_diagnosis(code, path_));
    }
}

Statement Database::prepare(std::string_view sql) { return Statement(db_, sql); }

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    const int code = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (code != SQLITE_OK) fail(db, code, "cannot prepare statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

Statement& Statement::bind(int index, std::string_view text) {
    const int code = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (code != SQLITE_OK) fail(db_, code, "cannot bind parameter");
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    const int code = sqlite3_bind_int64(stmt_, index, value);
    if (code != SQLITE_OK) fail(db_, code, "cannot bind parameter");
    return *this;
}

Statement& Statement::bind_null(int index) {
    const int code = sqlite3_bind_null(stmt_, index);
    if (code != SQLITE_OK) fail(db_, code, "cannot bind parameter");
    return *this;
}

bool Statement::step() {
    const int code = sqlite3_step(stmt_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    fail(db_, code, "statement failed");
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string Statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))) : std::string();
}

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace truthpoint::app
