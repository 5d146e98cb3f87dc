// Users, sessions and sign-in throttling, once for both engines (see user_accounts.hpp).
#include "user_accounts.hpp"

namespace truthpoint::hub {
namespace {

// `prefix` qualifies the columns in a join ("u.").
std::string user_columns(const sql::Connection& db, const std::string& prefix = "") {
    return prefix + "name, " + prefix + "role, " + prefix + "region, " + prefix + "password_hash, " +
           db.time_column(prefix + "created_at") + ", " + prefix + "language";
}

UserRecord read_user(const sql::Rows& row) {
    UserRecord user;
    user.name = row.text(0);
    user.role = parse_user_role(row.text(1)).value_or(UserRole::Manager);
    user.region = row.text(2);
    user.password_hash = row.text(3);
    user.created_at = row.time(4);
    user.language = row.text(5);
    return user;
}

Error no_such_user(std::string_view name) {
    return make_error(ErrorCode::NotFound, "no user named '" + std::string(name) + "' (see `truthpoint-hub user list`)");
}

}  // namespace

Status UserAccounts::add_user(const UserRecord& user) {
    return sql::guarded<Ok>("adding a user", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        const std::int64_t inserted =
            db->execute("INSERT INTO users (name, role, region, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT (name) DO NOTHING",
                        {user.name, to_string(user.role), user.region, user.password_hash, user.created_at});
        if (inserted == 1) return Ok{};
        auto existing = db->query("SELECT role FROM users WHERE name = ?1", {user.name});
        const std::string role = existing->next() ? existing->text(0) : "?";
        return make_error(ErrorCode::AlreadyExists,
                          "a user named '" + user.name + "' exists already (" + role + "); see `truthpoint-hub user list`");
    });
}

Result<std::vector<UserRecord>> UserAccounts::list_users() {
    return sql::guarded<std::vector<UserRecord>>("listing users", [&]() -> Result<std::vector<UserRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + user_columns(*db) + " FROM users ORDER BY name" + db->byte_order());
        std::vector<UserRecord> users;
        while (rows->next()) users.push_back(read_user(*rows));
        return users;
    });
}

Result<std::optional<UserRecord>> UserAccounts::find_user(std::string_view name) {
    return sql::guarded<std::optional<UserRecord>>("reading a user", [&]() -> Result<std::optional<UserRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + user_columns(*db) + " FROM users WHERE name = ?1", {name});
        if (!rows->next()) return std::optional<UserRecord>{};
        return std::optional<UserRecord>(read_user(*rows));
    });
}

Status UserAccounts::remove_user(std::string_view name) {
    return sql::guarded<Ok>("removing a user", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // Its sessions end with it; by hand, since SQLite's schema has no ON DELETE CASCADE for them.
        db->execute("DELETE FROM sessions WHERE user_name = ?1", {name});
        if (db->execute("DELETE FROM users WHERE name = ?1", {name}) == 0) return no_such_user(name);
        transaction.commit();
        return Ok{};
    });
}

Status UserAccounts::set_password(std::string_view name, const std::string& password_hash) {
    return sql::guarded<Ok>("changing a password", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        if (db->execute("UPDATE users SET password_hash = ?1 WHERE name = ?2", {password_hash, name}) == 0) {
            return no_such_user(name);
        }
        // A browser signed in with the old password is out.
        db->execute("DELETE FROM sessions WHERE user_name = ?1", {name});
        transaction.commit();
        return Ok{};
    });
}

Status UserAccounts::set_language(std::string_view name, std::string_view language) {
    return sql::guarded<Ok>("keeping a user's language", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        if (db->execute("UPDATE users SET language = ?1 WHERE name = ?2", {language, name}) == 0) return no_such_user(name);
        transaction.commit();
        return Ok{};
    });
}

Status UserAccounts::add_session(const NewSession& session) {
    return sql::guarded<Ok>("starting a session", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        db->execute("DELETE FROM sessions WHERE expires_at <= ?1", {session.created_at});
        db->execute("INSERT INTO sessions (token_hash, user_name, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                    {session.token_hash, session.user_name, session.created_at, session.expires_at});
        transaction.commit();
        return Ok{};
    });
}

Result<std::optional<UserRecord>> UserAccounts::find_session_user(std::string_view token_hash, core::Timestamp now) {
    return sql::guarded<std::optional<UserRecord>>("checking a session", [&]() -> Result<std::optional<UserRecord>> {
        auto db = database_.lend(sql::Access::Read);
        // SQLite keeps times in one fixed RFC 3339 format (UTC, milliseconds): its text order is time order.
        auto rows = db->query("SELECT " + user_columns(*db, "u.") + " FROM sessions s JOIN users u ON u.name = "
                              "s.user_name WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                              {token_hash, now});
        if (!rows->next()) return std::optional<UserRecord>{};
        return std::optional<UserRecord>(read_user(*rows));
    });
}

Status UserAccounts::remove_session(std::string_view token_hash) {
    return sql::guarded<Ok>("ending a session", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        db->execute("DELETE FROM sessions WHERE token_hash = ?1", {token_hash});
        return Ok{};
    });
}

Result<std::optional<core::Timestamp>> UserAccounts::begin_sign_in_attempt(std::string_view name, core::Timestamp now,
                                                                           int limit, std::chrono::seconds pause) {
    using Pause = std::optional<core::Timestamp>;
    return sql::guarded<Pause>("counting a sign-in attempt", [&]() -> Result<Pause> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // Names sprayed by a guesser do not pile up: an hour without an attempt, and no pause running, forgets one.
        db->execute("DELETE FROM sign_in_failures WHERE last_failed_at < ?1 AND "
                    "(paused_until IS NULL OR paused_until <= ?2)",
                    {now - std::chrono::hours(1), now});
        // The look at the pause and the count in one statement, on the row the upsert locks: two hubs (or two
        // threads) counting at once both count, and the second sees the first's pause.
        auto counted = db->query("INSERT INTO sign_in_failures AS f (name, in_a_row, last_failed_at) VALUES (?1, 1, ?2) "
                                 "ON CONFLICT (name) DO UPDATE SET last_failed_at = excluded.last_failed_at, "
                                 "in_a_row = CASE WHEN f.paused_until > ?2 THEN f.in_a_row ELSE f.in_a_row + 1 END "
                                 "RETURNING in_a_row, " + db->time_column("paused_until"),
                                 {name, now});
        counted->next();
        const std::int64_t in_a_row = counted->integer(0);
        const Pause paused_until = counted->is_null(1) ? Pause{} : Pause(counted->time(1));
        counted.reset();  // SQLite: a statement must be done before its transaction commits
        if (paused_until && *paused_until > now) {
            transaction.commit();
            return paused_until;
        }
        if (in_a_row >= limit) {
            db->execute("UPDATE sign_in_failures SET in_a_row = 0, paused_until = ?1 WHERE name = ?2", {now + pause, name});
        }
        transaction.commit();
        return Pause{};
    });
}

Status UserAccounts::forget_sign_in_failures(std::string_view name) {
    return sql::guarded<Ok>("forgetting failed sign-ins", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        db->execute("DELETE FROM sign_in_failures WHERE name = ?1", {name});
        return Ok{};
    });
}

}  // namespace truthpoint::hub
