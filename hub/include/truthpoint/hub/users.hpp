// Dashboard and BI users: password rules and argon2id hashes, sign-in with a bounded cost, sessions
// (random tokens stored as hashes) and what a signed-in user may see: a manager one region, an admin all.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

inline constexpr std::size_t kMinPasswordLength = 10;  // characters (UTF-8 code points)
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// Why `password` is refused, or nullopt when it is acceptable.
std::optional<std::string> check_password_rules(std::string_view password);
// Why `name` is refused as a user name (1 to 64 letters, digits, '-', '_', '.', '@'), or nullopt.
std::optional<std::string> check_user_name(std::string_view name);

// Whether a cookie-authenticated POST comes from the hub's own pages (login CSRF): `origin_or_referer` is
// the request's Origin header, or its Referer when there is no Origin; `host` its Host header. True only
// when the first is an http:// or https:// URL whose host and port equal `host`'s (letters in any case,
// the scheme's default port written or not); false for an empty value, "null", another scheme, a URL
// with user info, or a different host or port. The caller refuses the POST (403) on false.
bool same_origin(std::string_view origin_or_referer, std::string_view host);

// argon2id with libsodium's interactive limits (64 MiB, ~0.1 s), in crypto_pwhash_str's format.
Result<std::string> hash_password(std::string_view password);
bool verify_password(const std::string& password_hash, std::string_view password);

// The region whose events `user` may see; nullopt: every region (an admin).
std::optional<std::string> visible_region(const UserRecord& user);

// `stats` cut down to the stores and kiosks of `region` (a store belongs to the regions of its kiosks).
Stats scope_stats(const Stats& stats, const std::vector<KioskRecord>& kiosks, const std::string& region);

struct SignInOptions {
    std::chrono::seconds session_lifetime{12 * 3600};
    std::size_t max_concurrent_checks = 2;    // argon2id takes 64 MiB and ~0.1 s of a core each
    std::size_t max_waiting_checks = 8;       // beyond these, refused at once: waiting holds a server thread
    int failures_before_pause = 5;            // attempts per user name, in a row, counted by every hub on the database
    std::chrono::seconds pause_after_failures{30};
};

struct Session {
    std::string token;  // given to the browser (cookie) or BI client (bearer); stored only as a hash
    UserRecord user;
    core::Timestamp expires_at{};
};

// Signs users in and finds the user behind a session token. Thread-safe.
class SignIn {
public:
    explicit SignIn(Store& store, SignInOptions options = {});

    // Unauthorized for an unknown name or a wrong password (the same message, and about the same time,
    // for both); Unavailable with `retry_after` set while a name is paused after repeated failures, or
    // when the store cannot be reached. A name check_user_name refuses, or a password over
    // kMaxPasswordBytes, is refused at once, before anything is looked up, stored or hashed. Every other
    // attempt counts toward the pause before its password is checked (a busy refusal too).
    struct Refusal {
        Error error;
        std::optional<std::chrono::seconds> retry_after;
    };
    std::variant<Session, Refusal> sign_in(std::string_view name, std::string_view password);

    // The user of a live session; nullopt for an unknown or expired token.
    Result<std::optional<UserRecord>> user_of(std::string_view token);
    Status sign_out(std::string_view token);

private:
    // nullopt when too many checks are running and waiting already.
    std::optional<bool> verify_bounded(const std::string& password_hash, std::string_view password);

    Store& store_;
    SignInOptions options_;
    const std::string& decoy_hash();

    // Verified against for unknown names, so that they take as long as known ones; made at first use.
    std::once_flag decoy_made_;
    std::string decoy_hash_;

    std::mutex mutex_;
    std::condition_variable slot_free_;
    std::size_t checks_running_ = 0;
    std::size_t checks_waiting_ = 0;
};

}  // namespace truthpoint::hub
