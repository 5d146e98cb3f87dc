// The subcommands of `truthpoint-hub`, free of argument parsing: cmd/truthpoint-hub/main.cpp parses
// with CLI11 and calls these. Each returns the process exit code and writes only to the given streams.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace truthpoint::hub {

inline constexpr const char* kDefaultListen = "127.0.0.1:8080";
inline constexpr const char* kDefaultDatabaseUrl = "sqlite:/var/lib/truthpoint/hub.db";
inline constexpr const char* kDatabaseUrlEnvironmentVariable = "TRUTHPOINT_HUB_DB";

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command could not do its work (database, network...)
inline constexpr int kExitUsage = 2;    // bad arguments

struct ServeArguments {
    std::string listen = kDefaultListen;
    std::string database_url = kDefaultDatabaseUrl;
};

// Prints "truthpoint-hub listening on http://HOST:PORT" once listening; returns 0 after SIGINT/SIGTERM.
int run_serve(const ServeArguments& arguments, std::ostream& out, std::ostream& err);

struct KioskAddArguments {
    std::string kiosk_id;
    std::string store_id;
    std::string region;
    std::string database_url = kDefaultDatabaseUrl;
    std::string write_config;  // a kiosk.toml to write, token inside (mode 0600); needs hub_url
    std::string hub_url;       // the address kiosks reach the hub at, as written into write_config
    std::vector<std::string> languages;  // for write_config; empty: the kiosk's default
    bool replace_config = false;         // --force: write_config may replace an existing file
};

// One human line, then the token alone on the last line. A region already enrolled under another case
// ("North" for "north") is written as enrolled, with a note; a store enrolled under another region already
// gets a warning on `err` (its answers would count in two regions), and is enrolled all the same. With
// write_config, also the kiosk's ready configuration file; nothing is enrolled if it cannot be created.
int run_kiosk_add(const KioskAddArguments& arguments, std::ostream& out, std::ostream& err);
// A table: KIOSK, STORE, REGION, CREATED, REVOKED, LAST_SEEN, CLOCK_SKEW_MS ("-" when not / unknown); with
// `json`, an array of objects with those fields in snake case (null when not / unknown).
int run_kiosk_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err);
int run_kiosk_revoke(const std::string& kiosk_id, const std::string& database_url, std::ostream& out,
                     std::ostream& err);
// A new token for the same kiosk id, its old one refused from then on (a revoked kiosk is let in again):
// one human line, then the token alone on the last line.
int run_kiosk_rotate_token(const std::string& kiosk_id, const std::string& database_url, std::ostream& out,
                           std::ostream& err);

struct WebhookAddArguments {
    std::string name;
    std::string url;
    bool chain = false;                 // --chain: every store's notifications
    std::optional<std::string> region;  // --region NAME
    std::optional<std::string> store;   // --store ID
    std::string database_url = kDefaultDatabaseUrl;
};

// Adds a webhook for exactly one of the chain, a region or a store: one human line, then its signing secret
// alone on the last line (the receiver checks X-Truthpoint-Signature with it). Usage errors exit 2.
int run_webhook_add(const WebhookAddArguments& arguments, std::ostream& out, std::ostream& err);
// A table: NAME, SCOPE, URL, PENDING, LAST_DELIVERED, LAST_ERROR; with `json`, an array of objects (no secrets).
int run_webhook_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err);
// Removes a webhook and the notifications it had not yet been sent.
int run_webhook_remove(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err);
// Queues a test notification for one webhook; a running hub sends it within seconds.
int run_webhook_test(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err);

struct PosAddArguments {
    std::string pos_id;
    std::string store_id;
    std::string database_url = kDefaultDatabaseUrl;
};

// Enrols a point-of-sale terminal: one human line, then its token alone on the last line.
int run_pos_add(const PosAddArguments& arguments, std::ostream& out, std::ostream& err);
// A table: POS, STORE, CREATED, REVOKED ("-" when not).
int run_pos_list(const std::string& database_url, std::ostream& out, std::ostream& err);
// Its token is refused from now on (401); receipts it sent stay.
int run_pos_revoke(const std::string& pos_id, const std::string& database_url, std::ostream& out, std::ostream& err);

struct UserAddArguments {
    std::string name;
    std::string role;                   // "manager" or "admin"
    std::optional<std::string> region;  // required for a manager, refused for an admin
    std::string database_url = kDefaultDatabaseUrl;
};

// Asks for a secret with `prompt` (without echo on a terminal) and returns the line typed.
using AskSecret = std::function<std::string(const char* prompt)>;

// Asks for the password twice, checks the rules, stores its argon2id hash; one line says who can now
// sign in and what they see.
int run_user_add(const UserAddArguments& arguments, const AskSecret& ask_secret, std::ostream& out, std::ostream& err);
// A table: NAME, ROLE, REGION ("-" for an admin), CREATED; with `json`, an array of objects (region null for
// an admin).
int run_user_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err);
// Removes the user and ends their sessions at once.
int run_user_remove(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err);
// Asks for a new password twice, checks the rules, stores its hash and ends the user's sessions.
int run_user_passwd(const std::string& name, const std::string& database_url, const AskSecret& ask_secret,
                    std::ostream& out, std::ostream& err);

struct StoreSetArguments {
    std::string store_id;
    std::string time_zone;            // an IANA name: Asia/Tehran
    std::optional<std::string> name;  // kept as it was when not given
    std::string database_url = kDefaultDatabaseUrl;
};

// Sets a store's time zone (and name): the dashboard counts its days and hours on that clock, its events
// already held included (they are counted again). An unknown zone is refused with exit 2, naming it.
int run_store_set(const StoreSetArguments& arguments, std::ostream& out, std::ostream& err);
// A table: STORE, TIME_ZONE, NAME, UPDATED ("-" for no name); with `json`, a JSON array of objects
// {"store_id", "time_zone", "name", "updated_at"}.
int run_store_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err);

// `store hours STORE [--set HOURS]`: sets the store's opening hours ("mon-fri 09:00-21:00; sat 10:00-18:00",
// "closed" for none; parse_opening_hours in alerts.hpp), on the store's own clock, then prints them; without
// --set only prints them. Bad hours are refused with exit 2, naming the wrong part.
struct StoreHoursArguments {
    std::string store_id;
    std::optional<std::string> hours;
    std::string database_url = kDefaultDatabaseUrl;
};
int run_store_hours(const StoreHoursArguments& arguments, std::ostream& out, std::ostream& err);

// `alert-rule set --rule RULE (--chain | --region NAME | --store ID) [--threshold N] [--min-count N]
// [--window-minutes N] [--off | --on]`: merges the values given into that scope's setting (docs/hub.md,
// "Alerts and cases"). Exit 2 naming the wrong value: an unknown rule, no scope or two, a value out of range
// or one the rule does not read, nothing to set.
struct AlertRuleSetArguments {
    std::string rule;
    bool chain = false;
    std::optional<std::string> region;
    std::optional<std::string> store_id;
    std::optional<std::int64_t> threshold;
    std::optional<std::int64_t> min_count;
    std::optional<std::int64_t> window_minutes;
    bool off = false;
    bool on = false;
    std::string database_url = kDefaultDatabaseUrl;
};
int run_alert_rule_set(const AlertRuleSetArguments& arguments, std::ostream& out, std::ostream& err);
// A table: RULE, SCOPE ("default" for the built-in values, "chain", "region NAME", "store ID"), ENABLED,
// THRESHOLD, MIN_COUNT, WINDOW_MINUTES ("-": as the wider scope says, or not read by the rule); with `json`,
// an array of objects {"rule", "scope_kind", "scope", "enabled", "threshold", "min_count", "window_minutes"}
// (null for "-"), the defaults with scope_kind "default".
int run_alert_rule_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err);

// Creates a SQLite database (or brings an existing one, SQLite or PostgreSQL, to the current schema).
// Every command but `serve` and this one refuses a SQLite path that does not exist.
int run_database_init(const std::string& database_url, std::ostream& out, std::ostream& err);

struct DatabaseCopyArguments {
    std::string from;  // sqlite:PATH
    std::string to;    // postgresql://...: a new, empty database
};

// Moves a hub from SQLite to PostgreSQL: every kiosk (tokens keep working), user (passwords too),
// configuration, till, receipt, event (in the order received) and rollup. The target must be empty and
// the source hub stopped. One line per table, then a check that every table's count matches.
int run_database_copy(const DatabaseCopyArguments& arguments, std::ostream& out, std::ostream& err);

struct ReceiptsImportArguments {
    std::string file;  // CSV with the header receipt_hash,time,skus (skus separated by ';'), optionally store
    std::optional<std::string> store_id;  // overrides a store column
    std::string database_url = kDefaultDatabaseUrl;
};

// Checks every row first (exit 2 naming the line, nothing stored), then stores the receipts and marks
// the feedback they verify. The store must have an enrolled kiosk.
int run_receipts_import(const ReceiptsImportArguments& arguments, std::ostream& out, std::ostream& err);

struct ExportArguments {
    std::string format;  // "csv" or "ndjson"
    std::optional<std::string> from;  // received at or after (RFC 3339)
    std::optional<std::string> to;    // received before
    std::optional<std::string> store_id;
    // The dashboard's terms (EventFilter): a region, a product, local days in each store's time zone.
    std::optional<std::string> region;
    std::optional<std::string> sku;
    std::optional<std::string> from_day;  // 'YYYY-MM-DD'
    std::optional<std::string> to_day;    // inclusive
    bool without_misuse = false;          // as the dashboard counts: leave out events flagged as misuse
    std::string database_url = kDefaultDatabaseUrl;
};

int run_export(const ExportArguments& arguments, std::ostream& out, std::ostream& err);

// `config set` and `config show`: exactly one of --store ID and --all (the chain-wide document, for
// stores without their own).
struct ConfigArguments {
    std::optional<std::string> store_id;
    bool chain_wide = false;
    std::string file;  // set only: the document's path, or "-" for standard input
    std::string database_url = kDefaultDatabaseUrl;
};

// Checks the document (an invalid one is refused with exit 2, naming the field), stores it, bumps its
// version when it changed, and says so on one line.
int run_config_set(const ConfigArguments& arguments, std::istream& in, std::ostream& out, std::ostream& err);
// The document the store's kiosks get (its own, else the chain-wide one), as indented JSON on `out`;
// one line on `err` says whose it is, its version and ETag. Exit 1 when there is none.
int run_config_show(const ConfigArguments& arguments, std::ostream& out, std::ostream& err);

// `receipt-key show`: the chain's receipt key (created on first use) alone on the last line of `out`, for
// the point-of-sale integrator, who hashes receipt codes with it (HMAC-SHA256, docs/events.md); how to
// use it goes to `err`.
int run_receipt_key_show(const std::string& database_url, std::ostream& out, std::ostream& err);

// `receipt-key rotate`: a fresh receipt key alone on the last line of `out`, for the point of sale from now
// on; the one before is kept (sorry cards made under it are still redeemed) and handed to kiosks beside the
// new one for `kiosks_days`, so that receipts the tills sent under it still verify. What to do goes to `err`.
int run_receipt_key_rotate(const std::string& database_url, int kiosks_days, std::ostream& out, std::ostream& err);

}  // namespace truthpoint::hub
