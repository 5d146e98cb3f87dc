// Alerts and cases (docs/hub.md, "Alerts and cases"): the rules that watch the events as they are stored,
// their settings per chain, region and store, stores' opening hours, and the cases an alert opens, which
// a manager acknowledges and closes with a cause. The storage role is written once over the SQL seam
// (hub/src/sql.hpp) for both engines; the rules that fire at ingest run inside the ingest writer's
// transaction (hub/src/alert_rules.hpp), the silent-kiosk rule from a worker of the server.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub {

namespace sql {
class Database;
}

enum class AlertRule { UnhappyShare, Pain, KioskSilent, KioskBacklog };
inline constexpr std::array<AlertRule, 4> kAlertRules = {AlertRule::UnhappyShare, AlertRule::Pain,
                                                         AlertRule::KioskSilent, AlertRule::KioskBacklog};

std::string_view to_string(AlertRule rule);
std::optional<AlertRule> parse_alert_rule(std::string_view text);
// A kiosk's rules have one case per kiosk; the others one per store.
bool is_kiosk_rule(AlertRule rule);

// What a rule fires on. Each rule reads only some of the numbers (docs/hub.md lists them):
//   unhappy_share: threshold % unhappy among at least min_count reactions within window_minutes
//   pain:          threshold = the highest rating that is a pain (0: only pain topics)
//   kiosk_silent:  window_minutes without a stored batch while the store is open
//   kiosk_backlog: min_count heartbeats in a row whose pending grew; threshold quarantined events (0: never)
struct RuleParameters {
    bool enabled = true;
    std::int64_t threshold = 0;
    std::int64_t min_count = 0;
    std::int64_t window_minutes = 0;
};

RuleParameters default_rule_parameters(AlertRule rule);

enum class ScopeKind { Chain, Region, Store };
std::string_view to_string(ScopeKind kind);

// One scope's setting of a rule; an absent value is taken from the next wider scope, then the default.
struct RuleSetting {
    AlertRule rule = AlertRule::UnhappyShare;
    ScopeKind kind = ScopeKind::Chain;
    std::string scope = "*";  // '*' for the chain, a region as enrolled, a store id
    std::optional<bool> enabled;
    std::optional<std::int64_t> threshold;
    std::optional<std::int64_t> min_count;
    std::optional<std::int64_t> window_minutes;
    core::Timestamp updated_at{};
};

// The parameters at a place: for each value, the store's setting, else the region's, else the chain's,
// else the default.
RuleParameters effective_parameters(AlertRule rule, const std::vector<RuleSetting>& settings,
                                    std::string_view region, std::string_view store_id);

// One opening interval on a weekday, in minutes after local midnight on the store's clock.
struct OpeningInterval {
    int weekday = 1;  // ISO: 1 Monday .. 7 Sunday
    int opens = 0;
    int closes = 0;  // after opens, at most 1440 (24:00)
};

// "mon-fri 09:00-21:00; sat 10:00-14:00,15:00-18:00" (days mon..sun, a range or one day, ';' between
// groups, ',' between intervals); "" or "closed" for no hours. InvalidArgument naming the wrong part.
Result<std::vector<OpeningInterval>> parse_opening_hours(std::string_view text);
// The same form back, one group per weekday ("mon 09:00-21:00; tue ..."); "closed" for none.
std::string format_opening_hours(const std::vector<OpeningInterval>& hours);

enum class CaseState { Open, Acknowledged, Closed };
std::string_view to_string(CaseState state);
std::optional<CaseState> parse_case_state(std::string_view text);

// Why a case was closed: one of these, documented in docs/hub.md.
inline constexpr std::array<std::string_view, 7> kCloseCauses = {"product", "service", "stock",      "price",
                                                                 "kiosk",   "false_alarm", "other"};
bool is_close_cause(std::string_view cause);

struct CaseRecord {
    std::string id;  // UUIDv7
    std::string rule;
    std::string store_id;
    std::string kiosk_id;  // empty for a store's rule
    std::string region;    // of the kiosk whose events opened it
    CaseState state = CaseState::Open;
    core::Timestamp opened_at{};
    core::Timestamp updated_at{};
    core::Timestamp last_triggered_at{};
    std::int64_t triggered = 1;  // how often the rule fired while the case was not closed
    std::string summary;
    std::string details;  // JSON text
    std::optional<std::string> acknowledged_by;
    std::optional<core::Timestamp> acknowledged_at;
    std::optional<std::string> closed_by;
    std::optional<core::Timestamp> closed_at;
    std::optional<std::string> close_cause;
    std::optional<std::string> close_note;
};

struct CaseAuditEntry {
    core::Timestamp at{};
    std::string actor;  // "hub" for the rules, else the user's name
    std::string action;  // opened, acknowledged, closed
    std::string note;
};

struct CaseDetail {
    CaseRecord record;
    std::vector<CaseAuditEntry> audit;  // oldest first
};

// Every condition given must hold. Newest opened first.
struct CaseFilter {
    std::optional<std::string> region;
    std::optional<std::string> store_id;
    std::optional<CaseState> state;
    // Open or acknowledged: read through the index of cases not closed, so asking costs the same however
    // many closed cases a store has (kiosks ask at each configuration poll).
    bool not_closed = false;
    std::int64_t limit = 100;
};

// The storage role. Every method is one transaction; failures come back as values.
class Alerts {
public:
    explicit Alerts(sql::Database& database) : database_(database) {}

    // Merges `setting` into its scope's row: values given replace, absent ones stay.
    Status set_rule(const RuleSetting& setting);
    // Ordered by rule, scope kind (chain, region, store), scope.
    Result<std::vector<RuleSetting>> rules();

    // Replaces the store's opening hours (empty: none, so kiosk_silent does not watch it).
    Status set_store_hours(std::string_view store_id, const std::vector<OpeningInterval>& hours);
    // By weekday and opening.
    Result<std::vector<OpeningInterval>> store_hours(std::string_view store_id);

    Result<std::vector<CaseRecord>> cases(const CaseFilter& filter);
    Result<std::optional<CaseDetail>> find_case(std::string_view id);
    // NotFound for an unknown case; Conflict for one not open. The audit row is written with the change.
    Result<CaseRecord> acknowledge(std::string_view id, std::string_view user, std::string_view note,
                                   core::Timestamp now);
    // InvalidArgument for a cause not in kCloseCauses; NotFound; Conflict for a closed case.
    Result<CaseRecord> close(std::string_view id, std::string_view user, std::string_view cause,
                             std::string_view note, core::Timestamp now);

    // kiosk_silent at `now`: opens or updates a case for each kiosk (not revoked) with no batch stored for
    // window_minutes of its store's opening hours. Stores without hours are not watched. Returns the number
    // of kiosks found silent.
    Result<std::int64_t> check_silent_kiosks(core::Timestamp now);

    // Forgets the reactions counted per minute (unhappy_share's window) from before `before`: the widest
    // window is a day. Returns the number of minutes forgotten.
    Result<std::int64_t> forget_reaction_minutes(core::Timestamp before);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
