// Dashboard and BI users: argon2id through libsodium, sessions as random tokens kept only as hashes.
#include "truthpoint/hub/users.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <sodium.h>

#include "truthpoint/hub/tokens.hpp"

namespace truthpoint::hub {
namespace {

constexpr std::size_t kMaxNameLength = 64;

std::size_t count_code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// host[:port] lowercased, without the scheme's default port; empty when it is not a plain authority.
std::string normal_authority(std::string_view authority, std::string_view default_port) {
    const bool plain = std::all_of(authority.begin(), authority.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
               c == ':' || c == '[' || c == ']';
    });
    if (authority.empty() || !plain) return {};
    std::string out = lowercase(authority);
    const std::string suffix = ":" + std::string(default_port);
    if (out.size() > suffix.size() && out.ends_with(suffix)) out.resize(out.size() - suffix.size());
    return out;
}

}  // namespace

bool same_origin(std::string_view origin_or_referer, std::string_view host) {
    std::string_view url = trimmed(origin_or_referer);
    std::string_view default_port;
    const std::string scheme = lowercase(url.substr(0, std::min<std::size_t>(url.size(), 8)));
    if (scheme.starts_with("https://")) {
        default_port = "443";
        url.remove_prefix(8);
    } else if (scheme.starts_with("http://")) {
        default_port = "80";
        url.remove_prefix(7);
    } else {
        return false;  // "null" (a sandboxed or privacy-hidden origin), another scheme, or nothing
    }
    const std::string sent = normal_authority(url.substr(0, url.find_first_of("/?#")), default_port);
    return !sent.empty() && sent == normal_authority(trimmed(host), default_port);
}

std::optional<std::string> check_password_rules(std::string_view password) {
    if (password.size() > kMaxPasswordBytes) {
        return "the password is longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
    }
    if (count_code_points(password) < kMinPasswordLength) {
        return "the password must have at least " + std::to_string(kMinPasswordLength) +
               " characters (a passphrase of a few words is easiest to remember)";
    }
    if (password.find_first_of("\r\n") != std::string_view::npos) return "the password cannot hold a line break";
    return std::nullopt;
}

std::optional<std::string> check_user_name(std::string_view name) {
    const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.' || c == '@';
    });
    if (name.empty() || name.size() > kMaxNameLength || !plain) {
        return "'" + std::string(name) + "' is not a valid user name: use 1 to 64 letters, digits, '-', '_', '.' or '@'";
    }
    return std::nullopt;
}

Result<std::string> hash_password(std::string_view password) {
    if (sodium_init() < 0) return make_error(ErrorCode::Unavailable, "libsodium could not initialise");
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return make_error(ErrorCode::Unavailable, "not enough memory to hash the password (argon2id needs 64 MiB)");
    }
    return std::string(hash);
}

bool verify_password(const std::string& password_hash, std::string_view password) {
    return crypto_pwhash_str_verify(password_hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> visible_region(const UserRecord& user) {
    if (user.role == UserRole::Admin) return std::nullopt;
    return user.region;
}

Stats scope_stats(const Stats& stats, const std::vector<KioskRecord>& kiosks, const std::string& region) {
    Stats scoped;
    std::set<std::string, std::less<>> stores;
    for (const KioskRecord& kiosk : kiosks) {
        if (kiosk.region != region) continue;
        stores.insert(kiosk.store_id);
        ++scoped.kiosks_total;
        if (!kiosk.revoked_at) ++scoped.kiosks_active;
    }
    for (const StoreCounts& store : stats.by_store) {
        if (!stores.contains(store.store_id)) continue;
        scoped.by_store.push_back(store);
        for (std::size_t i = 0; i < store.by_type.size(); ++i) scoped.by_type[i] += store.by_type[i];
        scoped.total_events += store.total + store.misuse;
        scoped.misuse_events += store.misuse;
    }
    return scoped;
}

SignIn::SignIn(Store& store, SignInOptions options) : store_(store), options_(options) {}

const std::string& SignIn::decoy_hash() {
    std::call_once(decoy_made_, [this] {
        // Any hash will do: its password is random and never shown.
        auto token = generate_token();
        auto hash = token ? hash_password(*token) : Result<std::string>(token.error());
        if (hash) decoy_hash_ = *hash;
    });
    return decoy_hash_;
}

std::optional<bool> SignIn::verify_bounded(const std::string& password_hash, std::string_view password) {
    {
        std::unique_lock lock(mutex_);
        if (checks_running_ >= options_.max_concurrent_checks && checks_waiting_ >= options_.max_waiting_checks) {
            return std::nullopt;
        }
        ++checks_waiting_;
        slot_free_.wait(lock, [&] { return checks_running_ < options_.max_concurrent_checks; });
        --checks_waiting_;
        ++checks_running_;
    }
    const bool matches = verify_password(password_hash, password);
    {
        std::lock_guard lock(mutex_);
        --checks_running_;
    }
    slot_free_.notify_one();
    return matches;
}

namespace {

// Unknown names are counted in 256 shared rows, not one each: a guesser spraying names cannot grow the
// table, and an unknown name is still paused like a known one. '?' is in no valid name.
std::string throttle_key(std::string_view name, bool known) {
    if (known) return std::string(name);
    return "?" + sha256_hex(name).substr(0, 2);
}

}  // namespace

std::variant<Session, SignIn::Refusal> SignIn::sign_in(std::string_view name, std::string_view password) {
    const auto refused = [](ErrorCode code, std::string message, std::optional<std::chrono::seconds> retry = {}) {
        return Refusal{make_error(code, std::move(message)), retry};
    };
    // No user has such a name or password: refused before anything is stored, hashed or looked up.
    if (check_user_name(name) || password.size() > kMaxPasswordBytes) {
        return refused(ErrorCode::Unauthorized, "wrong name or password");
    }
    auto user = store_.find_user(name);
    if (!user) return refused(ErrorCode::Unavailable, user.error().message);
    const std::string key = throttle_key(name, user->has_value());

    // Counted before the check, in the database (so every hub on it pauses the name together).
    const core::Timestamp now = core::now_utc();
    auto paused = store_.begin_sign_in_attempt(key, now, options_.failures_before_pause, options_.pause_after_failures);
    if (!paused) return refused(ErrorCode::Unavailable, paused.error().message);
    if (paused->has_value()) {
        const auto wait = std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(**paused - now));
        return refused(ErrorCode::Unavailable,
                       "too many failed sign-ins for this name: try again in " + std::to_string(wait.count()) +
                           " seconds",
                       wait);
    }

    const std::string& hash = user->has_value() ? (*user)->password_hash : decoy_hash();
    const auto verified = verify_bounded(hash, password);
    if (!verified) {
        return refused(ErrorCode::Unavailable, "the hub is busy checking other sign-ins: try again in a second",
                       std::chrono::seconds(1));
    }
    if (!*verified || !user->has_value()) return refused(ErrorCode::Unauthorized, "wrong name or password");
    (void)store_.forget_sign_in_failures(key);

    auto token = generate_token();
    if (!token) return refused(ErrorCode::Unavailable, token.error().message);
    const core::Timestamp created = core::now_utc();
    Session session{*token, **user, created + options_.session_lifetime};
    auto stored = store_.add_session(NewSession{hash_token(session.token), session.user.name, created,
                                                session.expires_at});
    if (!stored) return refused(ErrorCode::Unavailable, stored.error().message);
    return session;
}

Result<std::optional<UserRecord>> SignIn::user_of(std::string_view token) {
    if (token.empty()) return std::optional<UserRecord>{};
    return store_.find_session_user(hash_token(token), core::now_utc());
}

Status SignIn::sign_out(std::string_view token) {
    if (token.empty()) return Ok{};
    return store_.remove_session(hash_token(token));
}

}  // namespace truthpoint::hub
