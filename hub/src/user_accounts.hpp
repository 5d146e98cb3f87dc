// The storage role of dashboard users, their sessions and sign-in throttling, written once over the SQL
// seam for both engines. SqliteStore and PostgresStore hold one and answer Store's calls with it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Each method as the Store method of the same name.
class UserAccounts {
public:
    explicit UserAccounts(sql::Database& database) : database_(database) {}

    Status add_user(const UserRecord& user);
    Result<std::vector<UserRecord>> list_users();
    Result<std::optional<UserRecord>> find_user(std::string_view name);
    Status remove_user(std::string_view name);
    Status set_password(std::string_view name, const std::string& password_hash);
    Status set_language(std::string_view name, std::string_view language);

    Status add_session(const NewSession& session);
    Result<std::optional<UserRecord>> find_session_user(std::string_view token_hash, core::Timestamp now);
    Status remove_session(std::string_view token_hash);

    Result<std::optional<core::Timestamp>> begin_sign_in_attempt(std::string_view name, core::Timestamp now, int limit,
                                                                 std::chrono::seconds pause);
    Status forget_sign_in_failures(std::string_view name);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
