// The subcommands of truthpoint-hub: serve, kiosk add/list/revoke/rotate-token, store set/list/hours, alert-rule set/list, user add/list/passwd/remove, db copy, webhook add/list/remove/test, pos add/list/revoke, receipts import, receipt-key show, export, config set/show. Argument parsing is in
// cmd/truthpoint-hub/main.cpp; here each command checks its values, does the work and says what happened.
#include "truthpoint/hub/commands.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <memory>
#include <thread>
#include <vector>

#include <pthread.h>

#include <nlohmann/json.hpp>

#include "local_time.hpp"
#include "locale_format.hpp"
#include "kiosk_provisioning.hpp"
#include "service_watchdog.hpp"
#include "truthpoint/hub/dashboard.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/server.hpp"
#include "truthpoint/hub/store.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/hub/users.hpp"

namespace truthpoint::hub {
namespace {

constexpr std::size_t kMaxIdLength = 64;

// Whether a command may make a new SQLite file. Only `serve` and `db init` do: for every other command
// a missing file is a mistyped path, and a new empty database would hide the mistake.
enum class MissingDatabase { refuse, create };

// Opens the database named by --db, or explains why not. Sets `exit_code` on failure.
std::unique_ptr<Store> open_database(const std::string& url, std::ostream& err, int& exit_code,
                                     MissingDatabase missing = MissingDatabase::refuse) {
    if (const auto parsed = parse_database_url(url);
        parsed && parsed->kind == DatabaseUrl::Kind::Sqlite && missing == MissingDatabase::refuse) {
        std::error_code ignored;
        if (!std::filesystem::exists(parsed->location, ignored)) {
            err << "truthpoint-hub: the database " << parsed->location
                << " does not exist (a mistyped --db or " << kDatabaseUrlEnvironmentVariable
                << "?); `truthpoint-hub serve` or `truthpoint-hub db init` creates a new one\n";
            exit_code = kExitFailure;
            return nullptr;
        }
    }
    auto store = open_store(url);
    if (store) return std::move(store).value();
    const Error& error = store.error();
    if (error.code == ErrorCode::InvalidArgument || error.code == ErrorCode::Unsupported) {
        err << "truthpoint-hub: --db: " << error.message << '\n';
        exit_code = kExitUsage;
    } else {
        err << "truthpoint-hub: " << error.message << '\n';
        exit_code = kExitFailure;
    }
    return nullptr;
}

// Ids appear in URLs, file names and CSV: keep them to a plain alphabet.
std::optional<std::string> check_id(const std::string& option, const std::string& value) {
    const bool plain = std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
    if (value.empty() || value.size() > kMaxIdLength || !plain) {
        return option + ": '" + value + "' is not a valid id: use 1 to 64 letters, digits, '-', '_' or '.'";
    }
    return std::nullopt;
}

// `region` as the kiosks already enrolled spell it, when they differ only in case ("North" for "north"),
// with a note on `err`; otherwise `region` itself.
std::string enrolled_spelling(const std::vector<KioskRecord>& kiosks, const std::string& region, const char* command,
                              std::ostream& err) {
    for (const KioskRecord& kiosk : kiosks) {
        if (kiosk.region == region) return region;
    }
    for (const KioskRecord& kiosk : kiosks) {
        if (!region.empty() && same_ignoring_case(kiosk.region, region)) {
            err << "note: truthpoint-hub " << command << ": region '" << region << "' is enrolled as '" << kiosk.region
                << "' (regions are the same whatever their case); '" << kiosk.region << "' is used\n";
            return kiosk.region;
        }
    }
    return region;
}

// Columns padded to their widest cell, two spaces apart; the first row is the header.
template <std::size_t Columns>
void print_table(const std::vector<std::array<std::string, Columns>>& rows, std::ostream& out) {
    std::array<std::size_t, Columns> widths{};
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < Columns; ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < Columns; ++i) {
            line += row[i];
            if (i + 1 < Columns) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out << line << '\n';
    }
    out.flush();
}

std::optional<core::Timestamp> parse_time_option(const std::string& option, const std::optional<std::string>& value,
                                                 std::ostream& err, bool& ok) {
    if (!value) return std::nullopt;
    auto parsed = core::parse_rfc3339(*value);
    if (!parsed) {
        err << "truthpoint-hub export: " << option << ": '" << *value
            << "' is not an RFC 3339 time; write e.g. 2026-01-31T00:00:00Z\n";
        ok = false;
    }
    return parsed;
}

// Asks for a new password twice, checks the rules and hashes it. On a refusal it prints
// "`command`: why; `unchanged`" to `err`, sets `exit_code` and returns nullopt.
std::optional<std::string> ask_password_hash(const AskSecret& ask_secret, const std::string& prompt, const char* command,
                                             const char* unchanged, std::ostream& err, int& exit_code) {
    const std::string password = ask_secret(prompt.c_str());
    std::optional<std::string> problem = check_password_rules(password);
    if (!problem && ask_secret("The same password again: ") != password) problem = "the two passwords differ";
    if (problem) {
        err << command << ": " << *problem << "; " << unchanged << '\n';
        exit_code = kExitUsage;
        return std::nullopt;
    }
    auto hash = hash_password(password);
    if (!hash) {
        err << command << ": " << hash.error().message << '\n';
        exit_code = kExitFailure;
        return std::nullopt;
    }
    return *hash;
}

}  // namespace

int run_serve(const ServeArguments& arguments, std::ostream& out, std::ostream& err) {
    auto address = parse_listen_address(arguments.listen);
    if (!address) {
        err << "truthpoint-hub serve: --listen: " << address.error().message << '\n';
        return kExitUsage;
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code, MissingDatabase::create);
    if (!store) return exit_code;
    // The chain's receipt key exists from the first start on, so kiosks get it with their configuration.
    if (auto key = chain_receipt_key(*store, core::now_utc()); !key) {
        err << "truthpoint-hub serve: the chain's receipt key: " << key.error().message << '\n';
        return kExitFailure;
    }

    auto texts = load_dashboard_texts();
    if (!texts) {
        err << "truthpoint-hub serve: the dashboard's catalogs: " << texts.error().message << '\n';
        return kExitFailure;
    }
    ServerOptions options;
    options.dashboard_texts = std::make_shared<const core::Translations>(std::move(*texts));

    // Block SIGINT/SIGTERM before any thread starts, so that every thread inherits the mask and only
    // the waiter below receives them (synchronously, outside any async-signal handler).
    sigset_t stop_signals;
    sigset_t previous_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &previous_mask);

    int result = kExitOk;
    {
        Server server(*store, options);
        auto bound = server.bind(*address);
        if (!bound) {
            err << "truthpoint-hub serve: --listen: " << bound.error().message << '\n';
            result = kExitFailure;
        } else {
            out << "truthpoint-hub listening on " << format_http_url(*bound) << std::endl;  // flushed: tests wait for it
            const ServiceWatchdog watchdog(format_http_url(*bound) + "/healthz");

            std::atomic<bool> finished{false};
            std::thread signal_waiter([&] {
                const timespec tick{0, 200'000'000};  // also wakes up to notice that the server stopped by itself
                while (!finished) {
                    const int received = sigtimedwait(&stop_signals, nullptr, &tick);
                    if (received == SIGINT || received == SIGTERM) {
                        server.stop();
                        return;
                    }
                }
            });
            auto status = server.run();
            finished = true;
            signal_waiter.join();
            if (!status) {
                err << "truthpoint-hub serve: " << status.error().message << '\n';
                result = kExitFailure;
            } else {
                err << "truthpoint-hub: stopped\n";
            }
        }
    }
    pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    return result;
}

int run_kiosk_add(const KioskAddArguments& arguments, std::ostream& out, std::ostream& err) {
    for (const auto& [option, value] : {std::pair{"--kiosk", arguments.kiosk_id}, {"--store", arguments.store_id}}) {
        if (auto problem = check_id(option, value)) {
            err << "truthpoint-hub kiosk add: " << *problem << '\n';
            return kExitUsage;
        }
    }
    if (arguments.region.size() > kMaxIdLength) {
        err << "truthpoint-hub kiosk add: --region: longer than 64 characters\n";
        return kExitUsage;
    }
    if (arguments.write_config.empty() != arguments.hub_url.empty()) {
        err << "truthpoint-hub kiosk add: --write-config and --hub-url go together: the file needs the address "
               "the kiosk reaches the hub at\n";
        return kExitUsage;
    }
    if (!arguments.languages.empty() && arguments.write_config.empty()) {
        err << "truthpoint-hub kiosk add: --languages is written into --write-config's file; give both\n";
        return kExitUsage;
    }
    if (!arguments.write_config.empty()) {
        if (auto problem = provisioning_problem(arguments.hub_url, arguments.languages)) {
            err << "truthpoint-hub kiosk add: " << *problem << '\n';
            return kExitUsage;
        }
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto enrolled = store->list_kiosks();
    if (!enrolled) {
        err << "truthpoint-hub kiosk add: " << enrolled.error().message << '\n';
        return kExitFailure;
    }
    std::optional<ReservedConfigFile> config_file;
    if (!arguments.write_config.empty()) {
        auto reserved = ReservedConfigFile::create(arguments.write_config, arguments.replace_config);
        if (!reserved) {
            err << "truthpoint-hub kiosk add: " << reserved.error().message << "; kiosk " << arguments.kiosk_id
                << " was not enrolled\n";
            return reserved.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
        }
        config_file.emplace(std::move(reserved).value());
    }
    const std::string region = enrolled_spelling(*enrolled, arguments.region, "kiosk add", err);
    for (const KioskRecord& other : *enrolled) {
        if (other.store_id == arguments.store_id && other.region != region) {
            err << "warning: store " << arguments.store_id << " has kiosks enrolled in region '" << other.region
                << "' (" << other.kiosk_id << "); this one's answers count in region '" << region
                << "', so the store's answers are split between two regions' figures. If that is a mistake, revoke "
                   "this kiosk and enrol it under region '"
                << other.region << "'\n";
            break;
        }
    }

    auto token = generate_token();
    if (!token) {
        err << "truthpoint-hub kiosk add: " << token.error().message << '\n';
        return kExitFailure;
    }
    const NewKiosk kiosk{arguments.kiosk_id, arguments.store_id, region, hash_token(*token)};
    auto added = store->add_kiosk(kiosk, core::now_utc());
    if (!added) {
        err << "truthpoint-hub kiosk add: " << added.error().message << '\n';
        return kExitFailure;
    }
    out << "enrolled kiosk " << arguments.kiosk_id << " in store " << arguments.store_id;
    if (!region.empty()) out << " (region " << region << ")";
    if (config_file) {
        const KioskConfigFile file{arguments.kiosk_id, arguments.store_id, arguments.hub_url, *token, arguments.languages};
        if (auto written = config_file->write(kiosk_config_toml(file)); !written) {
            out << "; its token follows, shown only this once (the hub keeps only its hash):\n" << *token << std::endl;
            err << "truthpoint-hub kiosk add: " << written.error().message
                << "; the kiosk is enrolled: put the token above in its [hub] token\n";
            return kExitFailure;
        }
        out << "; wrote its configuration, token inside, to " << arguments.write_config << " (mode 0600)";
    }
    out << "; its token follows, shown only this once (the hub keeps only its hash):\n" << *token << std::endl;
    return kExitOk;
}

int run_kiosk_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto kiosks = store->list_kiosks();
    if (!kiosks) {
        err << "truthpoint-hub kiosk list: " << kiosks.error().message << '\n';
        return kExitFailure;
    }
    if (json) {
        const auto time_or_null = [](const std::optional<core::Timestamp>& at) {
            return at ? nlohmann::json(core::format_rfc3339(*at)) : nlohmann::json();
        };
        nlohmann::json list = nlohmann::json::array();
        for (const KioskRecord& kiosk : *kiosks) {
            list.push_back({{"kiosk_id", kiosk.kiosk_id},
                            {"store_id", kiosk.store_id},
                            {"region", kiosk.region},
                            {"created_at", core::format_rfc3339(kiosk.created_at)},
                            {"revoked_at", time_or_null(kiosk.revoked_at)},
                            {"last_seen_at", time_or_null(kiosk.last_seen_at)},
                            {"clock_skew_ms", kiosk.clock_skew_ms ? nlohmann::json(*kiosk.clock_skew_ms) : nlohmann::json()}});
        }
        out << list.dump(2) << std::endl;
        return kExitOk;
    }
    std::vector<std::array<std::string, 7>> rows{
        {"KIOSK", "STORE", "REGION", "CREATED", "REVOKED", "LAST_SEEN", "CLOCK_SKEW_MS"}};
    for (const KioskRecord& kiosk : *kiosks) {
        rows.push_back({kiosk.kiosk_id, kiosk.store_id, kiosk.region.empty() ? "-" : kiosk.region,
                        core::format_rfc3339(kiosk.created_at),
                        kiosk.revoked_at ? core::format_rfc3339(*kiosk.revoked_at) : "-",
                        kiosk.last_seen_at ? core::format_rfc3339(*kiosk.last_seen_at) : "-",
                        kiosk.clock_skew_ms ? std::to_string(*kiosk.clock_skew_ms) : "-"});
    }
    print_table(rows, out);
    return kExitOk;
}

int run_store_set(const StoreSetArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub store set: " << problem << '\n';
        return kExitUsage;
    };
    if (auto problem = check_id("store", arguments.store_id)) return refuse(*problem);
    if (auto zone = TimeZone::named(arguments.time_zone); !zone) return refuse("--time-zone: " + zone.error().message);
    constexpr std::size_t kMaxNameLength = 200;
    if (arguments.name) {
        const bool printable = std::none_of(arguments.name->begin(), arguments.name->end(),
                                            [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
        if (arguments.name->size() > kMaxNameLength || !printable) {
            return refuse("--name: up to " + std::to_string(kMaxNameLength) + " bytes on one line");
        }
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto set = store->set_store(arguments.store_id, arguments.time_zone, arguments.name, core::now_utc());
    if (!set) {
        err << "truthpoint-hub store set: " << set.error().message << '\n';
        return set.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
    }
    out << "store " << set->store_id << " is on " << set->time_zone;
    if (!set->name.empty()) out << " (" << set->name << ")";
    out << "; its dashboard days and hours, past events included, are counted on that clock" << std::endl;
    return kExitOk;
}

int run_store_hours(const StoreHoursArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub store hours: " << problem << '\n';
        return kExitUsage;
    };
    if (auto problem = check_id("store", arguments.store_id)) return refuse(*problem);
    std::optional<std::vector<OpeningInterval>> hours;
    if (arguments.hours) {
        auto parsed = parse_opening_hours(*arguments.hours);
        if (!parsed) return refuse("--set: " + parsed.error().message);
        hours = std::move(*parsed);
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    if (hours) {
        if (auto set = store->alerts().set_store_hours(arguments.store_id, *hours); !set) {
            err << "truthpoint-hub store hours: " << set.error().message << '\n';
            return kExitFailure;
        }
    }
    auto kept = store->alerts().store_hours(arguments.store_id);
    if (!kept) {
        err << "truthpoint-hub store hours: " << kept.error().message << '\n';
        return kExitFailure;
    }
    out << "store " << arguments.store_id << " opens " << format_opening_hours(*kept)
        << (kept->empty() ? " (its kiosks are not watched for silence)" : " (on the store's own clock)") << std::endl;
    return kExitOk;
}

int run_alert_rule_set(const AlertRuleSetArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub alert-rule set: " << problem << '\n';
        return kExitUsage;
    };
    const auto rule = parse_alert_rule(arguments.rule);
    if (!rule) {
        std::string known;
        for (AlertRule each : kAlertRules) known += (known.empty() ? "" : ", ") + std::string(to_string(each));
        return refuse("--rule: '" + arguments.rule + "' is not a rule; the rules are " + known);
    }
    const int scopes = (arguments.chain ? 1 : 0) + (arguments.region ? 1 : 0) + (arguments.store_id ? 1 : 0);
    if (scopes != 1) return refuse("give exactly one scope: --chain, --region NAME or --store ID");
    if (arguments.store_id) {
        if (auto problem = check_id("store", *arguments.store_id)) return refuse(*problem);
    }
    if (arguments.region && arguments.region->empty()) return refuse("--region: give the region's name");
    if (arguments.off && arguments.on) return refuse("--off and --on: give one of them");
    if (!arguments.off && !arguments.on && !arguments.threshold && !arguments.min_count && !arguments.window_minutes) {
        return refuse("nothing to set: give --threshold, --min-count, --window-minutes, --off or --on");
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    RuleSetting setting;
    setting.rule = *rule;
    setting.kind = arguments.chain ? ScopeKind::Chain : arguments.region ? ScopeKind::Region : ScopeKind::Store;
    setting.scope = arguments.chain ? "*" : arguments.region ? *arguments.region : *arguments.store_id;
    if (arguments.region) {
        auto kiosks = store->list_kiosks();
        if (!kiosks) {
            err << "truthpoint-hub alert-rule set: " << kiosks.error().message << '\n';
            return kExitFailure;
        }
        setting.scope = enrolled_spelling(*kiosks, setting.scope, "alert-rule set", err);
    }
    if (arguments.off || arguments.on) setting.enabled = arguments.on;
    setting.threshold = arguments.threshold;
    setting.min_count = arguments.min_count;
    setting.window_minutes = arguments.window_minutes;
    setting.updated_at = core::now_utc();
    if (auto set = store->alerts().set_rule(setting); !set) {
        // The store names the value as its field; the person typed the option.
        std::string message = set.error().message;
        for (const auto& [field, option] : {std::pair{"min_count", "--min-count"}, std::pair{"window_minutes", "--window-minutes"},
                                            std::pair{"threshold", "--threshold"}}) {
            if (message.rfind(field, 0) == 0) message = option + message.substr(std::string_view(field).size());
        }
        err << "truthpoint-hub alert-rule set: " << message << '\n';
        return set.error().code == ErrorCode::InvalidArgument ? kExitUsage : kExitFailure;
    }
    out << "alert rule " << to_string(*rule) << " set for "
        << (arguments.chain ? std::string("the chain") : std::string(to_string(setting.kind)) + " " + setting.scope)
        << "; truthpoint-hub alert-rule list shows every setting" << std::endl;
    return kExitOk;
}

int run_alert_rule_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto settings = store->alerts().rules();
    if (!settings) {
        err << "truthpoint-hub alert-rule list: " << settings.error().message << '\n';
        return kExitFailure;
    }
    // The defaults first, as settings of their own, each value shown only where the rule reads it.
    std::vector<std::pair<std::string, RuleSetting>> rows;
    for (AlertRule rule : kAlertRules) {
        const RuleParameters defaults = default_rule_parameters(rule);
        RuleSetting shown{rule, ScopeKind::Chain, "", defaults.enabled, std::nullopt, std::nullopt, std::nullopt, {}};
        const auto read = [&](std::int64_t value, bool reads) { return reads ? std::optional(value) : std::nullopt; };
        shown.threshold = read(defaults.threshold, rule != AlertRule::KioskSilent);
        shown.min_count = read(defaults.min_count, rule == AlertRule::UnhappyShare || rule == AlertRule::KioskBacklog);
        shown.window_minutes = read(defaults.window_minutes, rule == AlertRule::UnhappyShare || rule == AlertRule::KioskSilent);
        rows.emplace_back("default", shown);
        for (const RuleSetting& setting : *settings) {
            if (setting.rule == rule) rows.emplace_back(std::string(to_string(setting.kind)), setting);
        }
    }
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        const auto value = [](const auto& optional) { return optional ? nlohmann::json(*optional) : nlohmann::json(nullptr); };
        for (const auto& [kind, setting] : rows) {
            list.push_back({{"rule", std::string(to_string(setting.rule))},
                            {"scope_kind", kind},
                            {"scope", kind == "default" ? nlohmann::json(nullptr) : nlohmann::json(setting.scope)},
                            {"enabled", value(setting.enabled)},
                            {"threshold", value(setting.threshold)},
                            {"min_count", value(setting.min_count)},
                            {"window_minutes", value(setting.window_minutes)}});
        }
        out << list.dump(2) << std::endl;
        return kExitOk;
    }
    const auto cell = [](const std::optional<std::int64_t>& value) { return value ? std::to_string(*value) : "-"; };
    std::vector<std::array<std::string, 6>> table{{"RULE", "SCOPE", "ENABLED", "THRESHOLD", "MIN_COUNT", "WINDOW_MINUTES"}};
    for (const auto& [kind, setting] : rows) {
        table.push_back({std::string(to_string(setting.rule)),
                         kind == "default" || kind == "chain" ? kind : kind + " " + setting.scope,
                         setting.enabled ? (*setting.enabled ? "on" : "off") : "-", cell(setting.threshold),
                         cell(setting.min_count), cell(setting.window_minutes)});
    }
    print_table(table, out);
    return kExitOk;
}

int run_store_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto stores = store->list_stores();
    if (!stores) {
        err << "truthpoint-hub store list: " << stores.error().message << '\n';
        return kExitFailure;
    }
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const StoreRecord& record : *stores) {
            list.push_back({{"store_id", record.store_id}, {"time_zone", record.time_zone}, {"name", record.name},
                            {"updated_at", core::format_rfc3339(record.updated_at)}});
        }
        out << list.dump(2) << std::endl;
        return kExitOk;
    }
    std::vector<std::array<std::string, 4>> rows{{"STORE", "TIME_ZONE", "NAME", "UPDATED"}};
    for (const StoreRecord& record : *stores) {
        rows.push_back({record.store_id, record.time_zone, record.name.empty() ? "-" : record.name,
                        core::format_rfc3339(record.updated_at)});
    }
    print_table(rows, out);
    return kExitOk;
}

int run_user_add(const UserAddArguments& arguments, const AskSecret& ask_secret, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub user add: " << problem << '\n';
        return kExitUsage;
    };
    if (auto problem = check_user_name(arguments.name)) return refuse("--name: " + *problem);
    const auto role = parse_user_role(arguments.role);
    if (!role) return refuse("--role: '" + arguments.role + "' is not a role: use manager or admin");
    if (*role == UserRole::Manager && (!arguments.region || arguments.region->empty())) {
        return refuse("--region: a manager sees the stores of one region: give it with --region NAME "
                      "(the region kiosks were enrolled with)");
    }
    if (*role == UserRole::Admin && arguments.region) {
        return refuse("--region: an admin sees every region; leave --region out, or make a manager");
    }
    if (arguments.region && arguments.region->size() > kMaxIdLength) return refuse("--region: longer than 64 characters");

    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto existing = store->find_user(arguments.name);
    if (!existing) {
        err << "truthpoint-hub user add: " << existing.error().message << '\n';
        return kExitFailure;
    }
    if (existing->has_value()) {
        err << "truthpoint-hub user add: --name: a user named '" << arguments.name
            << "' exists already; remove it first with `truthpoint-hub user remove --name " << arguments.name << "`\n";
        return kExitUsage;
    }

    auto kiosks = store->list_kiosks();
    if (!kiosks) {
        err << "truthpoint-hub user add: " << kiosks.error().message << '\n';
        return kExitFailure;
    }
    const std::string region = enrolled_spelling(*kiosks, arguments.region.value_or(""), "user add", err);

    const auto hash = ask_password_hash(ask_secret, "Password for the new user (at least 10 characters): ",
                                        "truthpoint-hub user add", "nobody was added", err, exit_code);
    if (!hash) return exit_code;
    UserRecord user{arguments.name, *role, region, *hash, core::now_utc()};
    if (auto added = store->add_user(user); !added) {
        err << "truthpoint-hub user add: " << added.error().message << '\n';
        return added.error().code == ErrorCode::AlreadyExists ? kExitUsage : kExitFailure;
    }
    out << "added " << to_string(user.role) << " '" << user.name << "'";
    if (user.role == UserRole::Manager) out << " for region '" << user.region << "'";
    out << ": they can sign in to the dashboard now" << std::endl;
    if (user.role == UserRole::Manager) {
        const bool region_known = std::any_of(kiosks->begin(), kiosks->end(), [&](const KioskRecord& kiosk) {
            return kiosk.region == user.region;
        });
        if (!region_known) {
            err << "note: no kiosk is enrolled in region '" << user.region
                << "' yet; this manager sees nothing until one is (`truthpoint-hub kiosk add ... --region "
                << user.region << "`)\n";
        }
    }
    return kExitOk;
}

int run_user_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto users = store->list_users();
    if (!users) {
        err << "truthpoint-hub user list: " << users.error().message << '\n';
        return kExitFailure;
    }
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const UserRecord& user : *users) {
            list.push_back({{"name", user.name},
                            {"role", std::string(to_string(user.role))},
                            {"region", user.region.empty() ? nlohmann::json() : nlohmann::json(user.region)},
                            {"created_at", core::format_rfc3339(user.created_at)}});
        }
        out << list.dump(2) << std::endl;
        return kExitOk;
    }
    std::vector<std::array<std::string, 4>> rows{{"NAME", "ROLE", "REGION", "CREATED"}};
    for (const UserRecord& user : *users) {
        rows.push_back({user.name, std::string(to_string(user.role)), user.region.empty() ? "-" : user.region,
                        core::format_rfc3339(user.created_at)});
    }
    print_table(rows, out);
    return kExitOk;
}

int run_user_remove(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    if (auto removed = store->remove_user(name); !removed) {
        err << "truthpoint-hub user remove: " << removed.error().message << '\n';
        return removed.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    out << "removed user '" << name << "' and ended their sessions" << std::endl;
    return kExitOk;
}

int run_user_passwd(const std::string& name, const std::string& database_url, const AskSecret& ask_secret,
                    std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub user passwd: " << problem << '\n';
        return kExitUsage;
    };
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    // Asked before the passwords, so that nobody types one for a name that is not there.
    auto existing = store->find_user(name);
    if (!existing) {
        err << "truthpoint-hub user passwd: " << existing.error().message << '\n';
        return kExitFailure;
    }
    if (!existing->has_value()) return refuse("--name: no user named '" + name + "' (see `truthpoint-hub user list`)");

    const auto hash = ask_password_hash(ask_secret, "New password for '" + name + "' (at least 10 characters): ",
                                        "truthpoint-hub user passwd", "the password was not changed", err, exit_code);
    if (!hash) return exit_code;
    if (auto changed = store->set_password(name, *hash); !changed) {
        err << "truthpoint-hub user passwd: " << changed.error().message << '\n';
        return changed.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    out << "changed the password of '" << name << "' and ended their sessions: they sign in again with the new one"
        << std::endl;
    return kExitOk;
}

int run_database_init(const std::string& database_url, std::ostream& out, std::ostream& err) {
    std::optional<bool> existed;
    if (const auto parsed = parse_database_url(database_url); parsed && parsed->kind == DatabaseUrl::Kind::Sqlite) {
        std::error_code ignored;
        existed = std::filesystem::exists(parsed->location, ignored);
    }
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code, MissingDatabase::create);
    if (!store) return exit_code;
    out << (existed.value_or(true) ? "the database is ready (it existed; its schema is up to date): "
                                   : "created a new database: ")
        << database_url << std::endl;
    return kExitOk;
}

int run_database_copy(const DatabaseCopyArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub db copy: " << problem << '\n';
        return kExitUsage;
    };
    const auto from = parse_database_url(arguments.from);
    if (!from) return refuse("--from: " + from.error().message);
    if (from->kind != DatabaseUrl::Kind::Sqlite) return refuse("--from: copy reads a SQLite hub: give sqlite:PATH");
    const auto to = parse_database_url(arguments.to);
    if (!to) return refuse("--to: " + to.error().message);
    if (to->kind != DatabaseUrl::Kind::Postgresql) {
        return refuse("--to: copy writes a PostgreSQL database: give postgresql://USER:PASSWORD@HOST:PORT/DB");
    }
    int exit_code = kExitOk;
    auto source = open_database(arguments.from, err, exit_code);
    if (!source) return exit_code;
    auto target = open_database(arguments.to, err, exit_code);
    if (!target) return exit_code;
    // The rollups are copied as they are, and must count every event copied (a hub killed may have left
    // some to its next fold).
    if (auto caught_up = source->catch_up_rollups(); !caught_up) {
        err << "truthpoint-hub db copy: " << caught_up.error().message << '\n';
        return kExitFailure;
    }

    std::map<std::string_view, std::int64_t> source_counts;
    for (const std::string_view table : kCopiedTables) {
        auto held = target->count_rows(table);
        if (!held) {
            err << "truthpoint-hub db copy: " << held.error().message << '\n';
            return kExitFailure;
        }
        if (*held > 0) {
            return refuse("--to: the database already holds " + std::to_string(*held) + " rows of " +
                          std::string(table) + ": copy only into a new, empty database");
        }
        auto count = source->count_rows(table);
        if (!count) {
            err << "truthpoint-hub db copy: " << count.error().message << '\n';
            return kExitFailure;
        }
        source_counts[table] = *count;
    }

    constexpr std::size_t kRowsPerChunk = 2000;
    for (const std::string_view table : kCopiedTables) {
        std::int64_t copied = 0;
        auto status = source->read_rows(table, kRowsPerChunk, [&](const TableRows& chunk) -> Status {
            auto written = target->write_rows(table, chunk);
            if (written) copied += static_cast<std::int64_t>(chunk.rows.size());
            return written;
        });
        if (!status) {
            err << "truthpoint-hub db copy: " << table << ": " << status.error().message
                << "\n  the PostgreSQL database now holds part of the hub: drop it, create it again and copy again\n";
            return kExitFailure;
        }
        out << table << ": " << copied << " rows" << std::endl;
    }

    // Every table as many rows as the source had when the copy began: else the source hub was running.
    for (const std::string_view table : kCopiedTables) {
        auto now_in_source = source->count_rows(table);
        auto in_target = target->count_rows(table);
        if (!now_in_source || !in_target) {
            err << "truthpoint-hub db copy: could not count " << table << " to check the copy\n";
            return kExitFailure;
        }
        if (*now_in_source != source_counts[table] || *in_target != *now_in_source) {
            err << "truthpoint-hub db copy: " << table << " changed during the copy (" << source_counts[table]
                << " rows at the start, " << *now_in_source << " now, " << *in_target
                << " copied): stop the SQLite hub, drop and create the PostgreSQL database again, and copy again\n";
            return kExitFailure;
        }
    }
    out << "copied the hub from " << arguments.from << " to PostgreSQL; every table's count matches. Start the hubs "
        << "with --db set to the PostgreSQL URL; users sign in again." << std::endl;
    return kExitOk;
}

namespace {

std::string scope_text(const WebhookRecord& webhook) {
    switch (webhook.scope_kind) {
        case WebhookScope::Chain: return "chain";
        case WebhookScope::Region: return "region " + webhook.scope;
        case WebhookScope::Store: return "store " + webhook.scope;
    }
    return "chain";
}

}  // namespace

int run_webhook_add(const WebhookAddArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto refuse = [&](const std::string& problem) {
        err << "truthpoint-hub webhook add: " << problem << '\n';
        return kExitUsage;
    };
    if (auto problem = check_id("--name", arguments.name)) return refuse(*problem);
    if (arguments.url.rfind("http://", 0) != 0 && arguments.url.rfind("https://", 0) != 0) {
        return refuse("--url: '" + arguments.url + "' is not an http:// or https:// address");
    }
    const int scopes = (arguments.chain ? 1 : 0) + (arguments.region ? 1 : 0) + (arguments.store ? 1 : 0);
    if (scopes != 1) return refuse("give exactly one of --chain, --region NAME and --store ID: whose notifications it gets");
    if (arguments.store) {
        if (auto problem = check_id("--store", *arguments.store)) return refuse(*problem);
    }
    if (arguments.region && arguments.region->empty()) return refuse("--region: the region's name is empty");
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    WebhookRecord webhook;
    webhook.name = arguments.name;
    webhook.url = arguments.url;
    webhook.created_at = core::now_utc();
    if (arguments.region) {
        auto kiosks = store->list_kiosks();
        if (!kiosks) {
            err << "truthpoint-hub webhook add: " << kiosks.error().message << '\n';
            return kExitFailure;
        }
        webhook.scope_kind = WebhookScope::Region;
        webhook.scope = enrolled_spelling(*kiosks, *arguments.region, "webhook add", err);
    } else if (arguments.store) {
        webhook.scope_kind = WebhookScope::Store;
        webhook.scope = *arguments.store;
    }
    auto secret = generate_token();
    if (!secret) {
        err << "truthpoint-hub webhook add: " << secret.error().message << '\n';
        return kExitFailure;
    }
    webhook.secret = *secret;
    if (auto added = store->add_webhook(webhook); !added) {
        err << "truthpoint-hub webhook add: " << added.error().message << '\n';
        return added.error().code == ErrorCode::AlreadyExists ? kExitUsage : kExitFailure;
    }
    out << "added webhook " << webhook.name << " for the " << scope_text(webhook) << "'s notifications, sent to "
        << webhook.url << "; its signing secret follows (give it to the receiver, which checks X-Truthpoint-Signature "
        << "with it):\n"
        << webhook.secret << std::endl;
    return kExitOk;
}

int run_webhook_list(const std::string& database_url, bool json, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto webhooks = store->list_webhooks();
    if (!webhooks) {
        err << "truthpoint-hub webhook list: " << webhooks.error().message << '\n';
        return kExitFailure;
    }
    const auto time_text = [](const std::optional<core::Timestamp>& at) {
        return at ? core::format_rfc3339(*at) : std::string("-");
    };
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const WebhookRecord& webhook : *webhooks) {
            list.push_back({{"name", webhook.name},
                            {"scope", scope_text(webhook)},
                            {"url", webhook.url},
                            {"created_at", core::format_rfc3339(webhook.created_at)},
                            {"pending", webhook.pending},
                            {"last_delivered_at", webhook.last_delivered_at ? nlohmann::json(time_text(webhook.last_delivered_at))
                                                                            : nlohmann::json()},
                            {"last_error", webhook.last_error.empty() ? nlohmann::json() : nlohmann::json(webhook.last_error)}});
        }
        out << list.dump(2) << std::endl;
        return kExitOk;
    }
    std::vector<std::array<std::string, 6>> rows{{"NAME", "SCOPE", "URL", "PENDING", "LAST_DELIVERED", "LAST_ERROR"}};
    for (const WebhookRecord& webhook : *webhooks) {
        rows.push_back({webhook.name, scope_text(webhook), webhook.url, std::to_string(webhook.pending),
                        time_text(webhook.last_delivered_at), webhook.last_error.empty() ? "-" : webhook.last_error});
    }
    print_table(rows, out);
    return kExitOk;
}

int run_webhook_remove(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    if (auto removed = store->remove_webhook(name); !removed) {
        err << "truthpoint-hub webhook remove: " << removed.error().message << '\n';
        return removed.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    out << "removed webhook " << name << " and the notifications it had not been sent" << std::endl;
    return kExitOk;
}

int run_webhook_test(const std::string& name, const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    const auto now = core::now_utc();
    const nlohmann::json payload{{"type", "test"},
                                 {"created_at", core::format_rfc3339(now)},
                                 {"text", "Truthpoint: a test notification for webhook " + name + ", sent " +
                                              core::format_rfc3339(now)}};
    if (auto queued = store->notify_webhook(name, payload.dump(), now); !queued) {
        err << "truthpoint-hub webhook test: " << queued.error().message << '\n';
        return queued.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    out << "queued a test notification for webhook " << name
        << "; a running hub sends it within seconds (`truthpoint-hub webhook list` shows whether it arrived)" << std::endl;
    return kExitOk;
}

int run_pos_add(const PosAddArguments& arguments, std::ostream& out, std::ostream& err) {
    for (const auto& [option, value] : {std::pair{"--pos", arguments.pos_id}, {"--store", arguments.store_id}}) {
        if (auto problem = check_id(option, value)) {
            err << "truthpoint-hub pos add: " << *problem << '\n';
            return kExitUsage;
        }
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto token = generate_token();
    if (!token) {
        err << "truthpoint-hub pos add: " << token.error().message << '\n';
        return kExitFailure;
    }
    auto added = store->add_pos(NewPos{arguments.pos_id, arguments.store_id, hash_token(*token)}, core::now_utc());
    if (!added) {
        err << "truthpoint-hub pos add: " << added.error().message << '\n';
        return kExitFailure;
    }
    out << "enrolled point of sale " << arguments.pos_id << " in store " << arguments.store_id
        << "; its token follows, shown only this once (the hub keeps only its hash):\n"
        << *token << std::endl;
    return kExitOk;
}

int run_pos_list(const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto terminals = store->list_pos();
    if (!terminals) {
        err << "truthpoint-hub pos list: " << terminals.error().message << '\n';
        return kExitFailure;
    }
    std::vector<std::array<std::string, 4>> rows{{"POS", "STORE", "CREATED", "REVOKED"}};
    for (const PosRecord& pos : *terminals) {
        rows.push_back({pos.pos_id, pos.store_id, core::format_rfc3339(pos.created_at),
                        pos.revoked_at ? core::format_rfc3339(*pos.revoked_at) : "-"});
    }
    print_table(rows, out);
    return kExitOk;
}

int run_pos_revoke(const std::string& pos_id, const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto revoked = store->revoke_pos(pos_id, core::now_utc());
    if (!revoked) {
        err << "truthpoint-hub pos revoke: " << revoked.error().message << '\n';
        return kExitFailure;
    }
    out << "revoked point of sale " << revoked->pos_id << " (store " << revoked->store_id << ") at "
        << core::format_rfc3339(*revoked->revoked_at) << "; its token is refused from now on" << std::endl;
    return kExitOk;
}

namespace {

// One CSV record (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).
// False at the end of input.
bool read_csv_record(std::istream& in, std::vector<std::string>& fields) {
    fields.clear();
    if (in.peek() == std::char_traits<char>::eof()) return false;
    std::string field;
    bool quoted = false;
    char c = 0;
    while (in.get(c)) {
        if (quoted) {
            if (c == '"') {
                if (in.peek() == '"') {
                    field += static_cast<char>(in.get());
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\n') {
            break;
        } else if (c != '\r') {
            field += c;
        }
    }
    fields.push_back(std::move(field));
    return true;
}

std::vector<std::string> split_skus(const std::string& text) {
    std::vector<std::string> skus;
    std::string sku;
    std::istringstream in(text);
    while (std::getline(in, sku, ';')) {
        while (!sku.empty() && sku.back() == ' ') sku.pop_back();
        while (!sku.empty() && sku.front() == ' ') sku.erase(sku.begin());
        if (!sku.empty()) skus.push_back(sku);
    }
    return skus;
}

}  // namespace

int run_receipts_import(const ReceiptsImportArguments& arguments, std::ostream& out, std::ostream& err) {
    const char* const command = "truthpoint-hub receipts import: ";
    if (arguments.store_id) {
        if (auto problem = check_id("--store", *arguments.store_id)) {
            err << command << *problem << '\n';
            return kExitUsage;
        }
    }
    std::ifstream file(arguments.file, std::ios::binary);
    if (!file) {
        err << command << "cannot read " << arguments.file << '\n';
        return kExitUsage;
    }
    std::vector<std::string> fields;
    if (!read_csv_record(file, fields)) {
        err << command << arguments.file << " is empty; it needs the header receipt_hash,time,skus\n";
        return kExitUsage;
    }
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < fields.size(); ++i) columns[fields[i]] = i;
    if (!fields.empty() && fields[0].rfind("\xEF\xBB\xBF", 0) == 0) columns[fields[0].substr(3)] = 0;  // a BOM
    for (const char* name : {"receipt_hash", "time", "skus"}) {
        if (!columns.count(name)) {
            err << command << arguments.file << ": the header lacks the column '" << name
                << "' (expected receipt_hash,time,skus, optionally store)\n";
            return kExitUsage;
        }
    }
    const bool has_store_column = columns.count("store") != 0;
    if (!arguments.store_id && !has_store_column) {
        err << command << "give --store ID, or a 'store' column in " << arguments.file << '\n';
        return kExitUsage;
    }

    // Every row checked before anything is stored: a file is imported whole or not at all.
    std::map<std::string, std::vector<Receipt>> by_store;
    std::size_t line = 1;
    while (read_csv_record(file, fields)) {
        ++line;
        if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
        const auto field = [&](const char* name) -> std::string {
            const std::size_t index = columns[name];
            return index < fields.size() ? fields[index] : std::string();
        };
        auto receipt = make_receipt(field("receipt_hash"), field("time"), split_skus(field("skus")));
        if (!receipt) {
            err << command << arguments.file << " line " << line << ": " << receipt.error().message
                << "; nothing was imported\n";
            return kExitUsage;
        }
        const std::string store_id = arguments.store_id ? *arguments.store_id : field("store");
        if (auto problem = check_id("store", store_id)) {
            err << command << arguments.file << " line " << line << ": " << *problem << "; nothing was imported\n";
            return kExitUsage;
        }
        by_store[store_id].push_back(std::move(receipt).value());
    }

    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    // A store is known when a kiosk is enrolled in it: receipts for anything else are a typo.
    auto kiosks = store->list_kiosks();
    if (!kiosks) {
        err << command << kiosks.error().message << '\n';
        return kExitFailure;
    }
    for (const auto& entry : by_store) {
        const std::string& store_id = entry.first;  // not a structured binding: clang 14 cannot capture one
        const bool known = std::any_of(kiosks->begin(), kiosks->end(),
                                       [&](const KioskRecord& kiosk) { return kiosk.store_id == store_id; });
        if (!known) {
            err << command << "no kiosk is enrolled in store '" << store_id
                << "' (see `truthpoint-hub kiosk list`); nothing was imported\n";
            return kExitUsage;
        }
    }
    ReceiptsStored total;
    const auto now = core::now_utc();
    for (const auto& [store_id, receipts] : by_store) {
        auto stored = store->store_receipts(store_id, receipts, now);
        if (!stored) {
            err << command << stored.error().message << '\n';
            return kExitFailure;
        }
        total.stored += stored->stored;
        total.duplicates += stored->duplicates;
        total.verified_events += stored->verified_events;
    }
    out << "imported " << total.stored << " receipts (" << total.duplicates << " already held); "
        << total.verified_events << " feedback events are now verified purchases" << std::endl;
    return kExitOk;
}

int run_kiosk_revoke(const std::string& kiosk_id, const std::string& database_url, std::ostream& out,
                     std::ostream& err) {
    if (auto problem = check_id("--kiosk", kiosk_id)) {
        err << "truthpoint-hub kiosk revoke: " << *problem << '\n';
        return kExitUsage;
    }
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    const core::Timestamp now = core::now_utc();
    auto revoked = store->revoke_kiosk(kiosk_id, now);
    if (!revoked) {
        err << "truthpoint-hub kiosk revoke: " << revoked.error().message << '\n';
        return kExitFailure;
    }
    if (revoked->revoked_at && *revoked->revoked_at != now) {
        out << "kiosk " << kiosk_id << " was already revoked at " << core::format_rfc3339(*revoked->revoked_at)
            << std::endl;
    } else {
        out << "revoked kiosk " << kiosk_id << "; its token is refused from now on" << std::endl;
    }
    return kExitOk;
}

int run_kiosk_rotate_token(const std::string& kiosk_id, const std::string& database_url, std::ostream& out,
                           std::ostream& err) {
    if (auto problem = check_id("--kiosk", kiosk_id)) {
        err << "truthpoint-hub kiosk rotate-token: " << *problem << '\n';
        return kExitUsage;
    }
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto token = generate_token();
    if (!token) {
        err << "truthpoint-hub kiosk rotate-token: " << token.error().message << '\n';
        return kExitFailure;
    }
    auto before = store->rotate_kiosk_token(kiosk_id, hash_token(*token));
    if (!before) {
        err << "truthpoint-hub kiosk rotate-token: " << before.error().message << '\n';
        return before.error().code == ErrorCode::NotFound ? kExitUsage : kExitFailure;
    }
    out << "kiosk " << kiosk_id << " (store " << before->store_id << ") has a new token";
    if (before->revoked_at) out << " and is let in again (it was revoked at " << core::format_rfc3339(*before->revoked_at) << ")";
    out << "; its old token is refused from now on (by a running hub within 5 seconds). Put the new one in the "
           "kiosk's token file; it follows, shown only this once:\n"
        << *token << std::endl;
    return kExitOk;
}

int run_export(const ExportArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto format = parse_export_format(arguments.format);
    if (!format) {
        err << "truthpoint-hub export: --format: '" << arguments.format << "' is not csv or ndjson\n";
        return kExitUsage;
    }
    bool times_ok = true;
    EventFilter filter;
    filter.received_from = parse_time_option("--from", arguments.from, err, times_ok);
    filter.received_to = parse_time_option("--to", arguments.to, err, times_ok);
    if (!times_ok) return kExitUsage;
    if (filter.received_from && filter.received_to && *filter.received_from >= *filter.received_to) {
        err << "truthpoint-hub export: --from must be earlier than --to\n";
        return kExitUsage;
    }
    for (const auto& [option, value] : {std::pair{"--store", &arguments.store_id}, std::pair{"--region", &arguments.region}}) {
        if (!*value) continue;
        if (auto problem = check_id(option, **value)) {
            err << "truthpoint-hub export: " << *problem << '\n';
            return kExitUsage;
        }
    }
    filter.store_id = arguments.store_id;
    filter.region = arguments.region;
    if (arguments.sku && arguments.sku->empty()) {
        err << "truthpoint-hub export: --sku: give a product's sku (leave the option out for every product)\n";
        return kExitUsage;
    }
    filter.sku = arguments.sku;
    for (const auto& [option, value] : {std::pair{"--from-day", &arguments.from_day}, std::pair{"--to-day", &arguments.to_day}}) {
        if (*value && !is_local_date(**value)) {
            err << "truthpoint-hub export: " << option << ": '" << **value
                << "' is not a day; write e.g. 2026-01-31 (a local day in each store's time zone)\n";
            return kExitUsage;
        }
    }
    if (arguments.from_day && arguments.to_day && *arguments.to_day < *arguments.from_day) {
        err << "truthpoint-hub export: --to-day must not be before --from-day (both days are included)\n";
        return kExitUsage;
    }
    filter.from_day = arguments.from_day;
    filter.to_day = arguments.to_day;
    filter.include_misuse = !arguments.without_misuse;
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto written = export_events(*store, *format, filter, out);
    if (!written) {
        err << "truthpoint-hub export: " << written.error().message << '\n';
        return kExitFailure;
    }
    return kExitOk;
}

namespace {

// The scope named by --store/--all, or a message on `err` (CLI11 already enforces "exactly one").
std::optional<std::string> config_scope(const char* command, const ConfigArguments& arguments, std::ostream& err) {
    if (arguments.chain_wide == arguments.store_id.has_value()) {
        err << "truthpoint-hub " << command << ": give either --store ID or --all\n";
        return std::nullopt;
    }
    if (arguments.chain_wide) return std::string(kChainWideScope);
    if (auto problem = check_id("--store", *arguments.store_id)) {
        err << "truthpoint-hub " << command << ": " << *problem << '\n';
        return std::nullopt;
    }
    return *arguments.store_id;
}

std::string describe_scope(std::string_view scope) {
    return scope == kChainWideScope ? std::string("the chain-wide kiosk configuration")
                                    : "the kiosk configuration of store " + std::string(scope);
}

}  // namespace

int run_config_set(const ConfigArguments& arguments, std::istream& in, std::ostream& out, std::ostream& err) {
    const auto scope = config_scope("config set", arguments, err);
    if (!scope) return kExitUsage;
    const bool from_stdin = arguments.file == "-";
    const std::string source = from_stdin ? std::string("(standard input)") : arguments.file;
    std::ostringstream text;
    if (from_stdin) {
        text << in.rdbuf();
    } else {
        std::ifstream file(arguments.file, std::ios::binary);
        if (!file || !(text << file.rdbuf())) {
            err << "truthpoint-hub config set: --file: cannot read " << arguments.file
                << ": check the path and its permissions\n";
            return kExitUsage;
        }
    }
    auto prepared = prepare_config(text.str());
    if (!prepared) {
        err << "truthpoint-hub config set: " << source << ": " << prepared.error().message
            << "\nnothing was stored; the kiosks keep the configuration they have\n";
        return kExitUsage;
    }
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto put = store->put_config(*scope, prepared->canonical, prepared->etag, core::now_utc());
    if (!put) {
        err << "truthpoint-hub config set: " << put.error().message << '\n';
        return kExitFailure;
    }
    const core::ConfigDocument& document = prepared->document;
    if (put->changed) {
        out << "stored " << describe_scope(*scope) << ": version " << put->record.version << ", "
            << document.products.size() << " products, " << document.drivers.size() << " drivers, "
            << document.why_not.size() << " why-not reasons, " << document.reviews.size() << " reviews, "
            << document.offers.size() << " offers; ETag " << put->record.etag
            << "; kiosks pick it up at their next sync" << std::endl;
    } else {
        out << describe_scope(*scope) << " is unchanged: version " << put->record.version << " already holds this "
            << "document" << std::endl;
    }
    return kExitOk;
}

int run_config_show(const ConfigArguments& arguments, std::ostream& out, std::ostream& err) {
    const auto scope = config_scope("config show", arguments, err);
    if (!scope) return kExitUsage;
    int exit_code = kExitOk;
    auto store = open_database(arguments.database_url, err, exit_code);
    if (!store) return exit_code;
    auto found = *scope == kChainWideScope ? store->get_config(kChainWideScope) : config_for_store(*store, *scope);
    if (!found) {
        err << "truthpoint-hub config show: " << found.error().message << '\n';
        return kExitFailure;
    }
    if (!found->has_value()) {
        err << "truthpoint-hub config show: " << describe_scope(*scope) << " is not set"
            << (*scope == kChainWideScope ? "" : ", nor a chain-wide one")
            << "; set one with `truthpoint-hub config set " << (*scope == kChainWideScope ? "--all" : "--store " + *scope)
            << " --file FILE`\n";
        return kExitFailure;
    }
    const ConfigRecord& record = **found;
    if (*scope != kChainWideScope && record.scope == kChainWideScope) {
        err << "store " << *scope << " has no kiosk configuration of its own; its kiosks get the chain-wide one, ";
    } else {
        err << describe_scope(*scope) << ": ";
    }
    err << "version " << record.version << ", set at " << core::format_rfc3339(record.updated_at) << ", ETag "
        << record.etag << '\n';
    out << nlohmann::ordered_json::parse(record.document).dump(2) << std::endl;
    return kExitOk;
}

int run_receipt_key_show(const std::string& database_url, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto key = chain_receipt_key(*store, core::now_utc());
    if (!key) {
        err << "truthpoint-hub receipt-key show: " << key.error().message << '\n';
        return kExitFailure;
    }
    err << "The chain's receipt key. The point of sale sends each receipt as receipt_hash = lower-case hex of\n"
           "HMAC-SHA256(key as 32 bytes, receipt code as printed, surrounding spaces removed), e.g.\n"
           "  printf '%s' \"$CODE\" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY\n"
           "Keep it secret: with it, anyone can link a receipt code to its hash.\n";
    if (auto retired = store->retired_receipt_keys(); retired && !retired->empty()) {
        err << "Rotated " << retired->size() << (retired->size() == 1 ? " time" : " times") << ", last at "
            << core::format_rfc3339(retired->front().retired_at) << "; kiosks hash receipts under the key before it too";
        if (retired->front().kiosks_until > core::now_utc()) {
            err << " until " << core::format_rfc3339(retired->front().kiosks_until) << ".\n";
        } else {
            err << " no longer (since " << core::format_rfc3339(retired->front().kiosks_until) << ").\n";
        }
    }
    out << key->hex() << std::endl;
    return kExitOk;
}

int run_receipt_key_rotate(const std::string& database_url, int kiosks_days, std::ostream& out, std::ostream& err) {
    int exit_code = kExitOk;
    auto store = open_database(database_url, err, exit_code);
    if (!store) return exit_code;
    auto rotation = rotate_chain_receipt_key(*store, core::now_utc(), std::chrono::hours(24) * kiosks_days);
    if (!rotation) {
        err << "truthpoint-hub receipt-key rotate: " << rotation.error().message << '\n';
        return kExitFailure;
    }
    err << "A new receipt key. Give it to the point of sale now: it hashes every receipt under it from now on\n"
           "(send the receipts hashed under the old key first). Kiosks get it with their next configuration,\n"
           "and until " << core::format_rfc3339(rotation->kiosks_until) << " also hash receipts under the old key, so that\n"
           "receipts sent under it still verify. Sorry cards made under the old key are still redeemed.\n";
    out << rotation->fresh.hex() << std::endl;
    return kExitOk;
}

}  // namespace truthpoint::hub
