// Alerts and cases, once for both engines (see truthpoint/hub/alerts.hpp and alert_rules.hpp).
#include "truthpoint/hub/alerts.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <span>
#include <tuple>
#include <map>

#include <nlohmann/json.hpp>

#include "alert_rules.hpp"
#include "case_json.hpp"
#include "local_time.hpp"
#include "webhooks.hpp"
#include "truthpoint/core/uuid.hpp"

namespace truthpoint::hub {
namespace {

// Two hubs raising or changing the same case at once can deadlock on PostgreSQL, which gives one up.
constexpr int kAttemptsOnConflict = 4;
constexpr std::size_t kMaxNoteBytes = 2000;
constexpr std::string_view kRuleActor = "hub";

constexpr std::array<std::string_view, 4> kRuleNames = {"unhappy_share", "pain", "kiosk_silent", "kiosk_backlog"};
constexpr std::array<std::string_view, 3> kScopeNames = {"chain", "region", "store"};
constexpr std::array<std::string_view, 3> kStateNames = {"open", "acknowledged", "closed"};
constexpr std::array<std::string_view, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

core::UuidV7Generator& case_ids() {
    static core::UuidV7Generator generator;  // thread-safe; ids sort by creation
    return generator;
}

template <typename Names>
std::optional<std::size_t> index_of(const Names& names, std::string_view text) {
    const auto found = std::find(names.begin(), names.end(), text);
    if (found == names.end()) return std::nullopt;
    return static_cast<std::size_t>(found - names.begin());
}

std::string joined(std::span<const std::string_view> names) {
    std::string text;
    for (std::string_view name : names) text += (text.empty() ? "" : ", ") + std::string(name);
    return text;
}

// ---- firing: one case per rule and place ------------------------------------------------------------

struct Firing {
    AlertRule rule = AlertRule::Pain;
    std::string store_id;
    std::string kiosk_id;  // empty for a store's rule
    std::string region;
    core::Timestamp at{};
    std::int64_t times = 1;
    std::string summary;
    nlohmann::json details;
};

void write_audit(sql::Connection& db, std::string_view case_id, core::Timestamp at, std::string_view actor,
                 std::string_view action, std::string_view note) {
    const std::string id = case_ids().next();
    db.execute("INSERT INTO case_audit (id, case_id, at, actor, action, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
               {id, case_id, at, actor, action, note});
}

// Queues what became of case `id` (`what`: opened, acknowledged, closed) for the webhooks of its store, region
// and chain, in the transaction of the change (defined below).
void notify_case(sql::Connection& db, std::string_view id, std::string_view what, core::Timestamp now);

// Opens a case, or updates the one of this rule and place that is not closed: the partial unique index
// decides, so two hubs firing at once still make one case. Only an opening is notified: a case fired again
// while open is the same alert, updated, not a new one.
void raise_case(sql::Connection& db, const Firing& firing) {
    const std::string new_id = case_ids().next();
    const std::string details = firing.details.dump();
    std::string case_id;
    {
        auto rows = db.query(
            "INSERT INTO cases (id, rule, store_id, kiosk_id, region, state, opened_at, updated_at, last_triggered_at, "
            "triggered, summary, details) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?6, ?6, ?7, ?8, ?9) "
            "ON CONFLICT (rule, store_id, kiosk_id) WHERE state <> 'closed' DO UPDATE SET "
            "updated_at = excluded.updated_at, triggered = cases.triggered + excluded.triggered, "
            "last_triggered_at = CASE WHEN excluded.last_triggered_at > cases.last_triggered_at "
            "THEN excluded.last_triggered_at ELSE cases.last_triggered_at END, "
            "summary = excluded.summary, details = excluded.details RETURNING id",
            {new_id, to_string(firing.rule), firing.store_id, firing.kiosk_id, firing.region, firing.at, firing.times,
             firing.summary, details});
        rows->next();
        case_id = rows->text(0);
    }  // SQLite: a statement must be done before the next one writes
    if (case_id == new_id) {
        write_audit(db, case_id, firing.at, kRuleActor, "opened", firing.summary);
        notify_case(db, case_id, "opened", firing.at);
    }
}

// ---- settings -----------------------------------------------------------------------------------------

std::vector<RuleSetting> read_settings(sql::Connection& db, const std::optional<std::string>& region,
                                       const std::optional<std::string>& store_id) {
    sql::QueryBuilder query("SELECT rule, scope_kind, scope, enabled, threshold, min_count, window_minutes, " +
                            db.time_column("updated_at") + " FROM alert_rule_settings");
    if (region || store_id) {
        // The place's scopes only: one small indexed read per batch.
        query << " WHERE scope_kind = 'chain' OR (scope_kind = 'region' AND scope = "
              << query.bind(region.value_or("")) << ") OR (scope_kind = 'store' AND scope = "
              << query.bind(store_id.value_or("")) << ")";
    }
    query << " ORDER BY rule" << db.byte_order() << ", CASE scope_kind WHEN 'chain' THEN 0 WHEN 'region' THEN 1 "
          << "ELSE 2 END, scope" << db.byte_order();
    std::vector<RuleSetting> settings;
    auto rows = query.query(db);
    const auto optional_integer = [&](int column) {
        return rows->is_null(column) ? std::nullopt : std::optional<std::int64_t>(rows->integer(column));
    };
    while (rows->next()) {
        const auto rule = parse_alert_rule(rows->text(0));
        const auto kind = index_of(kScopeNames, rows->text(1));
        if (!rule || !kind) continue;  // a rule a newer hub knows
        RuleSetting setting;
        setting.rule = *rule;
        setting.kind = static_cast<ScopeKind>(*kind);
        setting.scope = rows->text(2);
        if (!rows->is_null(3)) setting.enabled = rows->boolean(3);
        setting.threshold = optional_integer(4);
        setting.min_count = optional_integer(5);
        setting.window_minutes = optional_integer(6);
        setting.updated_at = rows->time(7);
        settings.push_back(std::move(setting));
    }
    return settings;
}

// The range of each value a rule reads; nullopt for one it does not read.
struct Range {
    std::int64_t low;
    std::int64_t high;
    const char* meaning;
};

std::optional<Range> range_of(AlertRule rule, std::string_view field) {
    switch (rule) {
        case AlertRule::UnhappyShare:
            if (field == "threshold") return Range{1, 100, "% of reactions unhappy"};
            if (field == "min_count") return Range{1, 100000, "reactions at least"};
            if (field == "window_minutes") return Range{1, 1440, "minutes"};
            break;
        case AlertRule::Pain:
            if (field == "threshold") return Range{0, 5, "the highest rating that is a pain; 0: pain topics only"};
            break;
        case AlertRule::KioskSilent:
            if (field == "window_minutes") return Range{1, 1440, "minutes without a batch"};
            break;
        case AlertRule::KioskBacklog:
            if (field == "threshold") return Range{0, 1000000, "quarantined events; 0: never on quarantine"};
            if (field == "min_count") return Range{2, 1000, "heartbeats in a row with a growing backlog"};
            break;
    }
    return std::nullopt;
}

std::optional<std::string> check_value(AlertRule rule, std::string_view field, const std::optional<std::int64_t>& value) {
    if (!value) return std::nullopt;
    const auto range = range_of(rule, field);
    if (!range) return std::string(field) + ": " + std::string(to_string(rule)) + " does not read a " + std::string(field);
    if (*value < range->low || *value > range->high) {
        return std::string(field) + ": " + std::to_string(*value) + " is out of range for " +
               std::string(to_string(rule)) + " (" + std::to_string(range->low) + " to " +
               std::to_string(range->high) + ": " + range->meaning + ")";
    }
    return std::nullopt;
}

// ---- the rules at ingest --------------------------------------------------------------------------------

struct StoredOfType {
    std::vector<const core::Event*> reactions, pains, heartbeats;
};

StoredOfType stored_of_interest(const std::vector<IncomingEvent>& events, const std::vector<EventOutcome>& outcomes) {
    StoredOfType found;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const core::Event& event = events[i].event;
        if (outcomes[i] != EventOutcome::Stored || event_facts(event).misuse) continue;
        if (event.type == core::EventType::FmotReaction) found.reactions.push_back(&event);
        if (event.type == core::EventType::PainReported) found.pains.push_back(&event);
        if (event.type == core::EventType::KioskHeartbeat) found.heartbeats.push_back(&event);
    }
    return found;
}

std::int64_t integer_in(const nlohmann::json& data, const char* key, std::int64_t otherwise) {
    const auto found = data.find(key);
    return found != data.end() && found->is_number_integer() ? found->get<std::int64_t>() : otherwise;
}

std::string text_in(const nlohmann::json& data, const char* key) {
    const auto found = data.find(key);
    return found != data.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// A reaction's minute in reaction_minutes: occurred_at's, in UTC.
std::string minute_of(core::Timestamp instant) { return core::format_rfc3339(instant).substr(0, 16); }

// Counts the batch's stored reactions into their store's minutes, whether or not the rule is on, so that it
// finds the window counted when it is turned on.
void count_reaction_minutes(sql::Connection& db, std::string_view store_id, const std::vector<const core::Event*>& reactions) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> minutes;  // minute -> answers, unhappy
    for (const core::Event* reaction : reactions) {
        const std::string face = text_in(reaction->data, "reaction");
        auto& [answers, unhappy] = minutes[minute_of(reaction->occurred_at)];
        ++answers;
        if (face == "very_unhappy" || face == "unhappy") ++unhappy;
    }
    for (const auto& [minute, counts] : minutes) {
        db.execute("INSERT INTO reaction_minutes (store_id, minute, answers, unhappy) VALUES (?1, ?2, ?3, ?4) "
                   "ON CONFLICT (store_id, minute) DO UPDATE SET answers = reaction_minutes.answers + excluded.answers, "
                   "unhappy = reaction_minutes.unhappy + excluded.unhappy",
                   {store_id, minute, counts.first, counts.second});
    }
}

// At least threshold % unhappy among at least min_count reactions of the store in the window_minutes minutes up
// to and including the minute of the batch's newest reaction (by occurred_at), counting the ones held already.
void check_unhappy_share(sql::Connection& db, const KioskIdentity& sender, const std::vector<const core::Event*>& reactions,
                         const RuleParameters& rule, core::Timestamp received_at) {
    core::Timestamp newest = reactions.front()->occurred_at;
    for (const core::Event* reaction : reactions) newest = std::max(newest, reaction->occurred_at);
    const core::Timestamp start = newest - std::chrono::minutes(rule.window_minutes);
    std::int64_t answers = 0, unhappy = 0;
    {
        auto rows = db.query("SELECT coalesce(sum(answers), 0), coalesce(sum(unhappy), 0) FROM reaction_minutes "
                             "WHERE store_id = ?1 AND minute > ?2 AND minute <= ?3",
                             {sender.store_id, minute_of(start), minute_of(newest)});
        rows->next();
        answers = rows->integer(0);
        unhappy = rows->integer(1);
    }
    if (answers < rule.min_count || unhappy * 100 < rule.threshold * answers) return;
    const std::int64_t percent = unhappy * 100 / answers;
    raise_case(db, {AlertRule::UnhappyShare, sender.store_id, "", sender.region, received_at, 1,
               std::to_string(unhappy) + " of " + std::to_string(answers) + " reactions unhappy (" +
                   std::to_string(percent) + " %) within " + std::to_string(rule.window_minutes) + " minutes",
               {{"reactions", answers},
                {"unhappy", unhappy},
                {"window_minutes", rule.window_minutes},
                {"from", core::format_rfc3339(start)},
                {"to", core::format_rfc3339(newest)}}});
}

// A pain.reported with pain topics, or with a rating at or below the threshold.
bool is_pain(const core::Event& event, const RuleParameters& rule) {
    const auto topics = event.data.find("topics");
    if ((topics != event.data.end() && topics->is_array() && !topics->empty()) ||
        text_in(event.data, "reason") == "pain_topics") {
        return true;
    }
    const std::int64_t rating = integer_in(event.data, "rating", 0);
    return rating >= 1 && rating <= rule.threshold;
}

void check_pain(sql::Connection& db, const KioskIdentity& sender, const std::vector<const core::Event*>& pains,
                const RuleParameters& rule, core::Timestamp received_at) {
    const core::Event* latest = nullptr;
    std::int64_t count = 0;
    for (const core::Event* pain : pains) {
        if (!is_pain(*pain, rule)) continue;
        ++count;
        if (!latest || pain->occurred_at >= latest->occurred_at) latest = pain;
    }
    if (count == 0) return;
    const std::string reason = text_in(latest->data, "reason");
    std::string summary = "pain reported";
    if (!latest->sku.empty()) summary += " on " + latest->sku;
    if (latest->data.contains("rating")) summary += ": rating " + std::to_string(integer_in(latest->data, "rating", 0));
    if (latest->data.contains("topics") && latest->data["topics"].is_array() && !latest->data["topics"].empty()) {
        std::string topics;
        for (const auto& topic : latest->data["topics"]) {
            if (topic.is_string()) topics += (topics.empty() ? "" : ", ") + topic.get<std::string>();
        }
        summary += (latest->data.contains("rating") ? "; " : ": ") + topics;
    }
    nlohmann::json details{{"event_id", latest->id},
                           {"occurred_at", core::format_rfc3339(latest->occurred_at)},
                           {"sku", latest->sku},
                           {"reason", reason},
                           {"kiosk_id", sender.kiosk_id}};
    if (latest->data.contains("rating")) details["rating"] = latest->data["rating"];
    if (latest->data.contains("topics")) details["topics"] = latest->data["topics"];
    raise_case(db, {AlertRule::Pain, sender.store_id, "", sender.region, received_at, count, summary, details});
}

// Follows the kiosk's run of heartbeats whose pending grew (kiosk_backlog_trends), then fires when the run
// is min_count long or the newest heartbeat holds threshold quarantined events. `rule_of` reads the settings:
// only called when the rule may fire, since nearly every batch holds a heartbeat.
template <typename RuleOf>
void check_backlog(sql::Connection& db, const KioskIdentity& sender, std::vector<const core::Event*> heartbeats,
                   RuleOf&& rule_of, core::Timestamp received_at) {
    std::sort(heartbeats.begin(), heartbeats.end(),
              [](const core::Event* a, const core::Event* b) { return a->occurred_at < b->occurred_at; });
    std::optional<core::Timestamp> last_at;
    std::int64_t pending = 0, rising = 0;
    {
        auto rows = db.query("SELECT " + db.time_column("occurred_at") +
                                 ", pending, rising FROM kiosk_backlog_trends WHERE kiosk_id = ?1",
                             {sender.kiosk_id});
        if (rows->next()) {
            last_at = rows->time(0);
            pending = rows->integer(1);
            rising = rows->integer(2);
        }
    }
    const core::Event* newest = nullptr;
    for (const core::Event* heartbeat : heartbeats) {
        if (last_at && heartbeat->occurred_at <= *last_at) continue;  // delivered late: the run has moved on
        const std::int64_t now_pending = integer_in(heartbeat->data, "pending", 0);
        rising = last_at && now_pending > pending ? rising + 1 : 1;
        pending = now_pending;
        last_at = heartbeat->occurred_at;
        newest = heartbeat;
    }
    if (!newest) return;
    db.execute("INSERT INTO kiosk_backlog_trends (kiosk_id, occurred_at, pending, rising) VALUES (?1, ?2, ?3, ?4) "
               "ON CONFLICT (kiosk_id) DO UPDATE SET occurred_at = excluded.occurred_at, pending = excluded.pending, "
               "rising = excluded.rising",
               {sender.kiosk_id, *last_at, pending, rising});
    const std::int64_t quarantined = integer_in(newest->data, "quarantined", 0);
    constexpr std::int64_t kShortestRun = 2;  // the least min_count a setting may have
    if (quarantined == 0 && (pending == 0 || rising < kShortestRun)) return;
    const RuleParameters rule = rule_of();
    if (!rule.enabled) return;
    const bool growing = pending > 0 && rising >= rule.min_count;
    const bool holds_quarantined = rule.threshold > 0 && quarantined >= rule.threshold;
    if (!growing && !holds_quarantined) return;
    std::string summary = "kiosk " + sender.kiosk_id + ": ";
    if (growing) summary += std::to_string(pending) + " events pending, growing over " + std::to_string(rising) + " heartbeats";
    if (holds_quarantined) summary += std::string(growing ? "; " : "") + std::to_string(quarantined) + " events quarantined";
    raise_case(db, {AlertRule::KioskBacklog, sender.store_id, sender.kiosk_id, sender.region, received_at, 1, summary,
               {{"pending", pending}, {"rising_heartbeats", rising}, {"quarantined", quarantined},
                {"heartbeat_at", core::format_rfc3339(newest->occurred_at)}}});
}

// ---- cases ----------------------------------------------------------------------------------------------

std::string case_columns(const sql::Connection& db) {
    return "id, rule, store_id, kiosk_id, region, state, " + db.time_column("opened_at") + ", " +
           db.time_column("updated_at") + ", " + db.time_column("last_triggered_at") +
           ", triggered, summary, details, acknowledged_by, " + db.time_column("acknowledged_at") + ", closed_by, " +
           db.time_column("closed_at") + ", close_cause, close_note";
}

CaseRecord read_case(const sql::Rows& row) {
    const auto text_or_none = [&](int column) {
        return row.is_null(column) ? std::nullopt : std::optional<std::string>(row.text(column));
    };
    const auto time_or_none = [&](int column) {
        return row.is_null(column) ? std::nullopt : std::optional<core::Timestamp>(row.time(column));
    };
    CaseRecord record;
    record.id = row.text(0);
    record.rule = row.text(1);
    record.store_id = row.text(2);
    record.kiosk_id = row.text(3);
    record.region = row.text(4);
    record.state = parse_case_state(row.text(5)).value_or(CaseState::Open);
    record.opened_at = row.time(6);
    record.updated_at = row.time(7);
    record.last_triggered_at = row.time(8);
    record.triggered = row.integer(9);
    record.summary = row.text(10);
    record.details = row.text(11);
    record.acknowledged_by = text_or_none(12);
    record.acknowledged_at = time_or_none(13);
    record.closed_by = text_or_none(14);
    record.closed_at = time_or_none(15);
    record.close_cause = text_or_none(16);
    record.close_note = text_or_none(17);
    return record;
}

std::optional<CaseRecord> case_in(sql::Connection& db, std::string_view id) {
    auto rows = db.query("SELECT " + case_columns(db) + " FROM cases WHERE id = ?1", {id});
    if (!rows->next()) return std::nullopt;
    return read_case(*rows);
}

void notify_case(sql::Connection& db, std::string_view id, std::string_view what, core::Timestamp now) {
    const auto record = case_in(db, id);
    if (!record) return;
    std::string place = "store " + record->store_id;
    if (!record->kiosk_id.empty()) place += ", kiosk " + record->kiosk_id;
    std::string text = "Truthpoint: " + record->rule + " at " + place + ": " + record->summary + " (case " +
                       record->id + " " + std::string(what);
    if (record->state == CaseState::Acknowledged && record->acknowledged_by) text += " by " + *record->acknowledged_by;
    if (record->state == CaseState::Closed && record->closed_by) {
        text += " by " + *record->closed_by + ", cause " + record->close_cause.value_or("");
        if (record->close_note && !record->close_note->empty()) text += ": " + *record->close_note;
    }
    text += ")";
    const nlohmann::json payload{{"type", "case." + std::string(what)}, {"text", text}, {"case", case_to_json(*record, now)}};
    queue_notification(db, record->store_id, record->region, payload.dump(), now);
}

Error unknown_case(std::string_view id) {
    return make_error(ErrorCode::NotFound, "no case '" + std::string(id.substr(0, 64)) + "'");
}

std::optional<Error> check_note(std::string_view note) {
    if (note.size() <= kMaxNoteBytes) return std::nullopt;
    return make_error(ErrorCode::InvalidArgument,
                      "note: longer than " + std::to_string(kMaxNoteBytes) + " bytes; write a shorter one");
}

// Moves case `id` to `state` (an UPDATE whose WHERE names the states it may leave) and writes its audit
// row, or says why not: NotFound, or Conflict naming the state it is in.
template <typename Update>
Result<CaseRecord> change_case(sql::Database& database, const char* what, std::string_view id, std::string_view user,
                               std::string_view action, std::string_view note, core::Timestamp now, Update&& update) {
    return sql::guarded<CaseRecord>(what, [&]() -> Result<CaseRecord> {
        auto db = database.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&]() -> Result<CaseRecord> {
            sql::Transaction transaction(*db);
            if (update(*db) == 0) {
                const auto found = case_in(*db, id);
                if (!found) return unknown_case(id);
                return make_error(ErrorCode::Conflict, "case " + found->id + " is " +
                                                           std::string(to_string(found->state)) + " already: it cannot be " +
                                                           std::string(action) + " now");
            }
            write_audit(*db, id, now, user, action, note);
            notify_case(*db, id, action, now);
            auto record = case_in(*db, id);
            transaction.commit();
            return *record;
        });
    });
}

// Minutes after local midnight, and the ISO weekday, of `instant` in `zone`.
std::pair<int, int> local_minute_and_weekday(const TimeZone& zone, core::Timestamp instant) {
    const auto offset = zone.offset_at(instant).offset;
    const std::int64_t local_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count() + offset.count();
    std::int64_t day = local_seconds / 86400;
    if (local_seconds % 86400 < 0) --day;
    const int minute = static_cast<int>((local_seconds - day * 86400) / 60);
    const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday
    return {minute, weekday};
}

Result<int> parse_clock(std::string_view text) {
    int hours = 0, minutes = 0;
    const bool shaped = text.size() == 5 && text[2] == ':';
    const auto h = std::from_chars(text.data(), text.data() + 2, hours);
    const auto m = shaped ? std::from_chars(text.data() + 3, text.data() + 5, minutes) : h;
    if (!shaped || h.ptr != text.data() + 2 || m.ptr != text.data() + 5 || hours > 24 || minutes > 59 ||
        (hours == 24 && minutes != 0)) {
        return make_error(ErrorCode::InvalidArgument, "'" + std::string(text) + "' is not a time HH:MM (00:00 to 24:00)");
    }
    return hours * 60 + minutes;
}

std::string format_clock(int minutes) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
    return text;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(trimmed(text.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

}  // namespace

std::string_view to_string(AlertRule rule) { return kRuleNames[static_cast<std::size_t>(rule)]; }

std::optional<AlertRule> parse_alert_rule(std::string_view text) {
    const auto index = index_of(kRuleNames, text);
    if (!index) return std::nullopt;
    return static_cast<AlertRule>(*index);
}

bool is_kiosk_rule(AlertRule rule) { return rule == AlertRule::KioskSilent || rule == AlertRule::KioskBacklog; }

RuleParameters default_rule_parameters(AlertRule rule) {
    switch (rule) {
        case AlertRule::UnhappyShare: return {true, 50, 4, 15};
        case AlertRule::Pain: return {true, 2, 0, 0};
        case AlertRule::KioskSilent: return {true, 0, 0, 30};
        case AlertRule::KioskBacklog: return {true, 1, 3, 0};
    }
    return {};
}

std::string_view to_string(ScopeKind kind) { return kScopeNames[static_cast<std::size_t>(kind)]; }

RuleParameters effective_parameters(AlertRule rule, const std::vector<RuleSetting>& settings, std::string_view region,
                                    std::string_view store_id) {
    RuleParameters parameters = default_rule_parameters(rule);
    for (ScopeKind kind : {ScopeKind::Chain, ScopeKind::Region, ScopeKind::Store}) {  // wider first: narrower wins
        for (const RuleSetting& setting : settings) {
            if (setting.rule != rule || setting.kind != kind) continue;
            if (kind == ScopeKind::Region && (region.empty() || setting.scope != region)) continue;
            if (kind == ScopeKind::Store && setting.scope != store_id) continue;
            parameters.enabled = setting.enabled.value_or(parameters.enabled);
            parameters.threshold = setting.threshold.value_or(parameters.threshold);
            parameters.min_count = setting.min_count.value_or(parameters.min_count);
            parameters.window_minutes = setting.window_minutes.value_or(parameters.window_minutes);
        }
    }
    return parameters;
}

Result<std::vector<OpeningInterval>> parse_opening_hours(std::string_view text) {
    std::vector<OpeningInterval> hours;
    if (trimmed(text).empty() || trimmed(text) == "closed") return hours;
    const auto invalid = [](const std::string& why) { return make_error(ErrorCode::InvalidArgument, why); };
    for (std::string_view group : split(text, ';')) {
        if (group.empty()) continue;
        const auto space = group.find(' ');
        if (space == std::string_view::npos) {
            return invalid("'" + std::string(group) + "' is not 'DAYS HH:MM-HH:MM' (e.g. 'mon-fri 09:00-21:00')");
        }
        const auto days = split(group.substr(0, space), '-');
        const auto first = index_of(kDayNames, days.front());
        const auto last = days.size() == 2 ? index_of(kDayNames, days.back()) : first;
        if (days.size() > 2 || !first || !last) {
            return invalid("'" + std::string(group.substr(0, space)) + "' is not a day or a range of days (" +
                           joined(kDayNames) + ")");
        }
        if (*last < *first) {
            return invalid("'" + std::string(group.substr(0, space)) + "' runs backwards: write days from mon to sun");
        }
        for (std::string_view interval : split(group.substr(space + 1), ',')) {
            const auto ends = split(interval, '-');
            if (ends.size() != 2) return invalid("'" + std::string(interval) + "' is not an interval HH:MM-HH:MM");
            auto opens = parse_clock(ends[0]);
            if (!opens) return opens.error();
            auto closes = parse_clock(ends[1]);
            if (!closes) return closes.error();
            if (*closes <= *opens) {
                return invalid("'" + std::string(interval) +
                               "' closes before it opens: split hours past midnight at 24:00 (e.g. 'fri 20:00-24:00; "
                               "sat 00:00-02:00')");
            }
            for (std::size_t day = *first; day <= *last; ++day) {
                hours.push_back({static_cast<int>(day) + 1, *opens, *closes});
            }
        }
    }
    std::sort(hours.begin(), hours.end(), [](const OpeningInterval& a, const OpeningInterval& b) {
        return std::tie(a.weekday, a.opens) < std::tie(b.weekday, b.opens);
    });
    for (std::size_t i = 1; i < hours.size(); ++i) {
        if (hours[i].weekday == hours[i - 1].weekday && hours[i].opens < hours[i - 1].closes) {
            return invalid(std::string(kDayNames[hours[i].weekday - 1]) + ": " + format_clock(hours[i].opens) +
                           " falls inside another interval of that day");
        }
    }
    return hours;
}

std::string format_opening_hours(const std::vector<OpeningInterval>& hours) {
    if (hours.empty()) return "closed";
    std::string text;
    for (std::size_t i = 0; i < hours.size(); ++i) {
        const bool same_day = i > 0 && hours[i].weekday == hours[i - 1].weekday;
        text += same_day ? "," : (i > 0 ? "; " : "") + std::string(kDayNames[hours[i].weekday - 1]) + " ";
        text += format_clock(hours[i].opens) + "-" + format_clock(hours[i].closes);
    }
    return text;
}

std::string_view to_string(CaseState state) { return kStateNames[static_cast<std::size_t>(state)]; }

std::optional<CaseState> parse_case_state(std::string_view text) {
    const auto index = index_of(kStateNames, text);
    if (!index) return std::nullopt;
    return static_cast<CaseState>(*index);
}

bool is_close_cause(std::string_view cause) { return index_of(kCloseCauses, cause).has_value(); }

bool may_raise_alerts(const std::vector<IncomingEvent>& events) {
    return std::any_of(events.begin(), events.end(), [](const IncomingEvent& incoming) {
        const core::EventType type = incoming.event.type;
        return type == core::EventType::FmotReaction || type == core::EventType::PainReported ||
               type == core::EventType::KioskHeartbeat;
    });
}

void raise_ingest_alerts(sql::Connection& db, const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                         const std::vector<EventOutcome>& outcomes, core::Timestamp received_at) {
    const StoredOfType stored = stored_of_interest(events, outcomes);
    if (stored.reactions.empty() && stored.pains.empty() && stored.heartbeats.empty()) return;
    std::optional<std::vector<RuleSetting>> settings;  // read once, when a rule needs them
    const auto parameters = [&](AlertRule rule) {
        if (!settings) settings = read_settings(db, sender.region, sender.store_id);
        return effective_parameters(rule, *settings, sender.region, sender.store_id);
    };
    if (!stored.reactions.empty()) {
        count_reaction_minutes(db, sender.store_id, stored.reactions);
        if (const auto rule = parameters(AlertRule::UnhappyShare); rule.enabled) {
            check_unhappy_share(db, sender, stored.reactions, rule, received_at);
        }
    }
    if (!stored.pains.empty()) {
        if (const auto rule = parameters(AlertRule::Pain); rule.enabled) check_pain(db, sender, stored.pains, rule, received_at);
    }
    if (!stored.heartbeats.empty()) {  // the run is followed even while the rule is off
        check_backlog(db, sender, stored.heartbeats, [&] { return parameters(AlertRule::KioskBacklog); }, received_at);
    }
}

Status Alerts::set_rule(const RuleSetting& setting) {
    for (const auto& [field, value] : {std::pair{"threshold", setting.threshold}, std::pair{"min_count", setting.min_count},
                                       std::pair{"window_minutes", setting.window_minutes}}) {
        if (auto problem = check_value(setting.rule, field, value)) return make_error(ErrorCode::InvalidArgument, *problem);
    }
    const std::string scope = setting.kind == ScopeKind::Chain ? "*" : setting.scope;
    return sql::guarded<Ok>("setting an alert rule", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        const sql::Value enabled =
            setting.enabled ? sql::Value(std::int64_t{*setting.enabled ? 1 : 0}) : sql::Value(sql::Null{});
        db->execute("INSERT INTO alert_rule_settings (rule, scope_kind, scope, enabled, threshold, min_count, "
                    "window_minutes, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                    "ON CONFLICT (rule, scope_kind, scope) DO UPDATE SET "
                    "enabled = coalesce(excluded.enabled, alert_rule_settings.enabled), "
                    "threshold = coalesce(excluded.threshold, alert_rule_settings.threshold), "
                    "min_count = coalesce(excluded.min_count, alert_rule_settings.min_count), "
                    "window_minutes = coalesce(excluded.window_minutes, alert_rule_settings.window_minutes), "
                    "updated_at = excluded.updated_at",
                    {to_string(setting.rule), to_string(setting.kind), scope, enabled, sql::or_null(setting.threshold),
                     sql::or_null(setting.min_count), sql::or_null(setting.window_minutes), setting.updated_at});
        return Ok{};
    });
}

Result<std::vector<RuleSetting>> Alerts::rules() {
    return sql::guarded<std::vector<RuleSetting>>("listing alert rules", [&]() -> Result<std::vector<RuleSetting>> {
        auto db = database_.lend(sql::Access::Read);
        return read_settings(*db, std::nullopt, std::nullopt);
    });
}

Status Alerts::set_store_hours(std::string_view store_id, const std::vector<OpeningInterval>& hours) {
    return sql::guarded<Ok>("setting opening hours", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        db->execute("DELETE FROM store_hours WHERE store_id = ?1", {store_id});
        for (const OpeningInterval& interval : hours) {
            db->execute("INSERT INTO store_hours (store_id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4)",
                        {store_id, std::int64_t{interval.weekday}, std::int64_t{interval.opens},
                         std::int64_t{interval.closes}});
        }
        transaction.commit();
        return Ok{};
    });
}

Result<std::vector<OpeningInterval>> Alerts::store_hours(std::string_view store_id) {
    return sql::guarded<std::vector<OpeningInterval>>("reading opening hours", [&]() -> Result<std::vector<OpeningInterval>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT weekday, opens, closes FROM store_hours WHERE store_id = ?1 ORDER BY weekday, opens",
                              {store_id});
        std::vector<OpeningInterval> hours;
        while (rows->next()) {
            hours.push_back({static_cast<int>(rows->integer(0)), static_cast<int>(rows->integer(1)),
                             static_cast<int>(rows->integer(2))});
        }
        return hours;
    });
}

Result<std::vector<CaseRecord>> Alerts::cases(const CaseFilter& filter) {
    return sql::guarded<std::vector<CaseRecord>>("listing cases", [&]() -> Result<std::vector<CaseRecord>> {
        auto db = database_.lend(sql::Access::Read);
        sql::QueryBuilder query("SELECT " + case_columns(*db) + " FROM cases WHERE 1 = 1");
        if (filter.region) query << " AND region = " << query.bind(*filter.region);
        if (filter.store_id) query << " AND store_id = " << query.bind(*filter.store_id);
        if (filter.state) query << " AND state = " << query.bind(std::string(to_string(*filter.state)));
        if (filter.not_closed) query << " AND state <> 'closed'";
        query << " ORDER BY opened_at DESC, id" << db->byte_order() << " DESC LIMIT " << query.bind(filter.limit);
        auto rows = query.query(*db);
        std::vector<CaseRecord> cases;
        while (rows->next()) cases.push_back(read_case(*rows));
        return cases;
    });
}

Result<std::optional<CaseDetail>> Alerts::find_case(std::string_view id) {
    return sql::guarded<std::optional<CaseDetail>>("reading a case", [&]() -> Result<std::optional<CaseDetail>> {
        auto db = database_.lend(sql::Access::Read);
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);  // the case and its trail agree
        auto record = case_in(*db, id);
        if (!record) return std::optional<CaseDetail>{};
        CaseDetail detail{std::move(*record), {}};
        {
            auto rows = db->query("SELECT " + db->time_column("at") +
                                      ", actor, action, note FROM case_audit WHERE case_id = ?1 ORDER BY at, id" +
                                      db->byte_order(),
                                  {id});
            while (rows->next()) detail.audit.push_back({rows->time(0), rows->text(1), rows->text(2), rows->text(3)});
        }
        snapshot.commit();
        return std::optional<CaseDetail>(std::move(detail));
    });
}

Result<CaseRecord> Alerts::acknowledge(std::string_view id, std::string_view user, std::string_view note,
                                       core::Timestamp now) {
    if (auto problem = check_note(note)) return *problem;
    return change_case(database_, "acknowledging a case", id, user, "acknowledged", note, now, [&](sql::Connection& db) {
        return db.execute("UPDATE cases SET state = 'acknowledged', acknowledged_by = ?2, acknowledged_at = ?3, "
                          "updated_at = ?3 WHERE id = ?1 AND state = 'open'",
                          {id, user, now});
    });
}

Result<CaseRecord> Alerts::close(std::string_view id, std::string_view user, std::string_view cause,
                                 std::string_view note, core::Timestamp now) {
    if (!is_close_cause(cause)) {
        return make_error(ErrorCode::InvalidArgument,
                          cause.empty() ? "cause: a case is closed with a cause: one of " + joined(kCloseCauses)
                                        : "cause: '" + std::string(cause.substr(0, 64)) + "' is not one of " +
                                              joined(kCloseCauses));
    }
    if (auto problem = check_note(note)) return *problem;
    return change_case(database_, "closing a case", id, user, "closed", note, now, [&](sql::Connection& db) {
        return db.execute("UPDATE cases SET state = 'closed', closed_by = ?2, closed_at = ?3, updated_at = ?3, "
                          "close_cause = ?4, close_note = ?5 WHERE id = ?1 AND state <> 'closed'",
                          {id, user, now, cause, note});
    });
}

Result<std::int64_t> Alerts::forget_reaction_minutes(core::Timestamp before) {
    return sql::guarded<std::int64_t>("forgetting old reaction counts", [&]() -> Result<std::int64_t> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        const std::int64_t forgotten = db->execute("DELETE FROM reaction_minutes WHERE minute < ?1", {minute_of(before)});
        transaction.commit();
        return forgotten;
    });
}

Result<std::int64_t> Alerts::check_silent_kiosks(core::Timestamp now) {
    return sql::guarded<std::int64_t>("checking for silent kiosks", [&]() -> Result<std::int64_t> {
        auto db = database_.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&]() -> std::int64_t {
            sql::Transaction transaction(*db);
            std::map<std::string, std::vector<OpeningInterval>, std::less<>> hours;
            {
                auto rows = db->query("SELECT store_id, weekday, opens, closes FROM store_hours");
                while (rows->next()) {
                    hours[rows->text(0)].push_back({static_cast<int>(rows->integer(1)),
                                                    static_cast<int>(rows->integer(2)),
                                                    static_cast<int>(rows->integer(3))});
                }
            }
            if (hours.empty()) return 0;  // no store is watched
            std::map<std::string, TimeZone, std::less<>> zones;
            {
                auto rows = db->query("SELECT store_id, time_zone FROM stores");
                while (rows->next()) {
                    if (auto zone = TimeZone::named(rows->text(1))) zones.emplace(rows->text(0), *zone);
                }
            }
            const auto settings = read_settings(*db, std::nullopt, std::nullopt);
            struct Kiosk {
                std::string id, store_id, region;
                core::Timestamp last_heard{};
            };
            std::vector<Kiosk> kiosks;
            {
                auto rows = db->query("SELECT id, store_id, region, " + db->time_column("created_at") + ", " +
                                      db->time_column("last_seen_at") + " FROM kiosks WHERE revoked_at IS NULL");
                while (rows->next()) {
                    kiosks.push_back({rows->text(0), rows->text(1), rows->text(2),
                                      rows->is_null(4) ? rows->time(3) : rows->time(4)});
                }
            }
            std::int64_t silent = 0;
            for (const Kiosk& kiosk : kiosks) {
                const auto store_hours = hours.find(kiosk.store_id);
                if (store_hours == hours.end()) continue;
                const RuleParameters rule = effective_parameters(AlertRule::KioskSilent, settings, kiosk.region, kiosk.store_id);
                if (!rule.enabled) continue;
                const auto zone = zones.find(kiosk.store_id);
                // Named, not a structured binding: clang 14 (the fuzz and sanitizer builds) cannot capture those.
                const auto local = local_minute_and_weekday(zone == zones.end() ? TimeZone::utc() : zone->second, now);
                const int minute = local.first;
                const int weekday = local.second;
                const auto open = std::find_if(store_hours->second.begin(), store_hours->second.end(),
                                               [&](const OpeningInterval& interval) {
                                                   return interval.weekday == weekday && interval.opens <= minute &&
                                                          minute < interval.closes;
                                               });
                if (open == store_hours->second.end()) continue;
                // Silence counts from the opening at the earliest: a kiosk asleep overnight is not silent at 09:01.
                const core::Timestamp opened_at = now - std::chrono::minutes(minute - open->opens);
                const core::Timestamp since = std::max(kiosk.last_heard, opened_at);
                const auto silent_minutes = std::chrono::duration_cast<std::chrono::minutes>(now - since).count();
                if (silent_minutes < rule.window_minutes) continue;
                ++silent;
                raise_case(*db, {AlertRule::KioskSilent, kiosk.store_id, kiosk.id, kiosk.region, now, 1,
                            "kiosk " + kiosk.id + " silent for " + std::to_string(silent_minutes) +
                                " minutes while store " + kiosk.store_id + " is open",
                            {{"last_seen_at", core::format_rfc3339(kiosk.last_heard)},
                             {"silent_minutes", silent_minutes},
                             {"window_minutes", rule.window_minutes}}});
            }
            transaction.commit();
            return silent;
        });
    });
}

}  // namespace truthpoint::hub
