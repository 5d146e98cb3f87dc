// The rollups and stats, once for both engines (see rollups.hpp).
#include "rollups.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <nlohmann/json.hpp>

#include "event_log.hpp"

namespace truthpoint::hub {
namespace {

// "(?1, ?2, ?3), (?4, ?5, ?6), ..." for `rows` rows of `width` parameters.
std::string values_list(std::size_t rows, std::size_t width) {
    std::string out;
    std::size_t number = 1;
    for (std::size_t row = 0; row < rows; ++row) {
        out += row ? ", (" : "(";
        for (std::size_t column = 0; column < width; ++column) {
            out += (column ? ", ?" : "?") + std::to_string(number++);
        }
        out += ')';
    }
    return out;
}

// Upserts `entries` (a map) in chunks of the engine's rows_per_statement: `head` names the table and its
// `width` columns, `tail` says what a key already held does, `row` appends one entry's parameters.
template <typename Entries, typename Row>
void upsert(sql::Connection& db, const char* head, const char* tail, std::size_t width, const Entries& entries,
            Row&& row) {
    std::vector<sql::Value> parameters;
    std::string statement;
    std::size_t statement_rows = 0;
    std::size_t left = entries.size();  // counted down: std::distance walks a map's nodes one by one
    for (auto next = entries.begin(); next != entries.end();) {
        const std::size_t rows = std::min<std::size_t>(db.rows_per_statement(), left);
        left -= rows;
        if (rows != statement_rows) {  // on SQLite one row each time: the same text, prepared once
            statement = std::string(head) + " VALUES " + values_list(rows, width) + " " + tail;
            statement_rows = rows;
        }
        parameters.clear();
        for (std::size_t i = 0; i < rows; ++i, ++next) row(*next, parameters);
        db.execute(statement, parameters);
    }
}

// A counting rollup: its key's columns, then the count.
template <typename Counts>
void add_counts(sql::Connection& db, const char* head, const char* tail, const Counts& counts) {
    constexpr std::size_t width = std::tuple_size_v<typename Counts::key_type> + 1;
    upsert(db, head, tail, width, counts, [](const auto& entry, std::vector<sql::Value>& parameters) {
        std::apply([&](const auto&... column) { (parameters.emplace_back(sql::Value(column)), ...); }, entry.first);
        parameters.emplace_back(entry.second);
    });
}

template <typename T>
sql::Value or_null(const std::optional<T>& value) {
    if (!value) return sql::Null{};
    return sql::Value(*value);
}

std::string text_field(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::int64_t> integer_field(const nlohmann::json& data, const char* key) {
    const auto it = data.find(key);
    if (it == data.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}

// `later` (a session's answers stored after `into`'s) combined into `into`: as the feedback_sessions upsert does.
void combine(FeedbackSession& into, const FeedbackSession& later) {
    if (later.occurred_at > into.occurred_at) {
        into.kiosk_id = later.kiosk_id;
        into.locale = later.locale;
        into.local_date = later.local_date;
        into.occurred_at = later.occurred_at;
    }
    if (later.rating) {
        into.rating = later.rating;
        into.verified = later.verified;
    }
    if (!later.pain_topics.empty()) into.pain_topics = later.pain_topics;
    if (later.comment) into.comment = later.comment;
    into.misuse = into.misuse || later.misuse;
}

void combine(std::map<std::string, Heartbeat>& heartbeats, const std::string& kiosk_id, const Heartbeat& heartbeat) {
    const auto [it, inserted] = heartbeats.try_emplace(kiosk_id, heartbeat);
    if (!inserted && heartbeat.occurred_at > it->second.occurred_at) it->second = heartbeat;
}

}  // namespace

std::string_view decide_bucket(std::int64_t ms) {
    static constexpr std::array<std::pair<std::int64_t, std::string_view>, 12> kBuckets{{
        {1000, "1000"}, {2000, "2000"}, {3000, "3000"}, {4000, "4000"}, {5000, "5000"}, {7500, "7500"},
        {10000, "10000"}, {15000, "15000"}, {20000, "20000"}, {30000, "30000"}, {60000, "60000"},
        {120000, "120000"}}};
    for (const auto& [bound, name] : kBuckets) {
        if (ms <= bound) return name;
    }
    return "more";
}

void RollupDelta::add(const EventOrigin& origin, const core::Event& event, const EventFacts& facts) {
    const std::int64_t misuse = facts.misuse ? 1 : 0;
    const std::string& day = origin.local.date;
    const auto answer_key = [&](std::string_view question, const std::string& answer, int kind) {
        return AnswerKey{origin.store_id, origin.region, day, event.sku, misuse, std::string(question), answer, kind};
    };
    count(answer_key("type", std::string(core::to_string(event.type)), kEventType), 1);

    const auto count_one = [&](std::string_view question, const std::string& answer, std::int64_t by = 1) {
        count(answer_key(question, answer, kAnswer), by);
    };
    const auto session = [&](FeedbackSession answered) {
        answered.kiosk_id = origin.kiosk_id;
        answered.locale = event.locale;
        answered.local_date = origin.local.date;
        answered.occurred_at = event.occurred_at;
        answered.misuse = facts.misuse;
        const auto [it, inserted] = feedback_.try_emplace({origin.store_id, event.session_id, event.sku}, answered);
        if (!inserted) combine(it->second, answered);
    };
    const nlohmann::json& data = event.data;
    switch (event.type) {
        case core::EventType::FmotReaction:
            count(answer_key("reaction", text_field(data, "reaction"), origin.local.hour), 1);
            break;
        case core::EventType::FmotDriver: {
            std::string reaction = text_field(data, "reaction");
            if (reaction.empty()) reaction = "unknown";  // older kiosks do not say
            if (const auto drivers = data.find("drivers"); drivers != data.end() && drivers->is_array()) {
                for (const auto& driver : *drivers) {
                    if (driver.is_string()) count_one("driver", reaction + "/" + driver.get<std::string>());
                }
            }
            break;
        }
        case core::EventType::FmotIntent:
            count_one("intent", text_field(data, "intent"));
            if (data.contains("why_not")) count_one("why_not", text_field(data, "why_not"));
            if (const auto ms = integer_field(data, "ms_to_answer")) count_one("decide_ms", std::string(decide_bucket(*ms)));
            break;
        case core::EventType::StaffShelf: count_one("shelf", text_field(data, "observation")); break;
        case core::EventType::StaffUndo: count_one("shelf", text_field(data, "observation"), -1); break;
        case core::EventType::SmotFeedback: {
            const auto rating = integer_field(data, "rating");
            if (rating) count_one("rating", std::to_string(*rating));
            count_one("verified", origin.verified_purchase ? "yes" : "no");
            FeedbackSession answered;
            answered.rating = rating;
            answered.verified = origin.verified_purchase;
            session(std::move(answered));
            break;
        }
        case core::EventType::SmotExpectations: count_one("expectations", text_field(data, "expectations")); break;
        case core::EventType::SmotRecommend:
            if (const auto score = integer_field(data, "score")) count_one("recommend", std::to_string(*score));
            break;
        case core::EventType::SmotTopics: {
            FeedbackSession answered;
            for (const char* kind : {"glory", "pain"}) {
                const auto topics = data.find(kind);
                if (topics == data.end() || !topics->is_array()) continue;
                for (const auto& topic : *topics) {
                    if (!topic.is_string()) continue;
                    count_one(kind, topic.get<std::string>());
                    if (std::string_view(kind) == "pain") {
                        if (!answered.pain_topics.empty()) answered.pain_topics += ',';
                        answered.pain_topics += topic.get<std::string>();
                    }
                }
            }
            session(std::move(answered));
            break;
        }
        case core::EventType::SmotComment: {
            FeedbackSession answered;
            answered.comment = text_field(data, "comment");
            session(std::move(answered));
            break;
        }
        case core::EventType::UmotReview: count_one("review", "shared"); break;
        case core::EventType::SorryCard: {
            const auto offer = data.find("offer");
            count_one("sorry", offer != data.end() && *offer == true ? "card" : "apology");
            break;
        }
        case core::EventType::KioskHeartbeat: {
            Heartbeat heartbeat;
            heartbeat.store_id = origin.store_id;
            heartbeat.occurred_at = event.occurred_at;
            heartbeat.received_at = origin.received_at;
            heartbeat.pending = integer_field(data, "pending").value_or(0);
            heartbeat.quarantined = integer_field(data, "quarantined");
            heartbeat.oldest_pending_s = integer_field(data, "oldest_pending_s");
            if (data.contains("version")) heartbeat.version = text_field(data, "version");
            combine(heartbeats_, origin.kiosk_id, heartbeat);
            break;
        }
        default: break;
    }
}

void RollupDelta::count_answer(const AnswerPlace& place, std::string_view question, const std::string& answer,
                               std::int64_t by) {
    count({place.store_id, place.region, place.day, place.sku, place.misuse, std::string(question), answer, kAnswer}, by);
}

void RollupDelta::count(AnswerKey key, std::int64_t by) { answered_[std::move(key)] += by; }

std::size_t RollupDelta::AnswerKeyHash::operator()(const AnswerKey& key) const {
    std::size_t seed = 0;
    const auto mix = [&](std::size_t value) { seed ^= value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2); };
    std::apply([&](const auto&... part) { (mix(std::hash<std::decay_t<decltype(part)>>{}(part)), ...); }, key);
    return seed;
}

void RollupDelta::spread() {
    for (const auto& [key, by] : answered_) {
        const auto& [store_id, region, day, sku, misuse, question, answer, kind] = key;
        const std::string month = day.substr(0, 7);
        const bool product = !sku.empty();
        // Events per product (rankings, the product list) and per store and month by type (the stats).
        if (kind == kEventType) {
            tiers_[{tier::kStoreTotalsMonth, store_id, "", month, "type", answer, misuse}] += by;
            if (product) {
                tiers_[{tier::kProductTotalsDay, region, sku, day, "events", "", misuse}] += by;
                tiers_[{tier::kProductTotalsMonth, region, sku, month, "events", "", misuse}] += by;
            }
            continue;
        }
        const std::string monday = add_days(day, 1 - iso_weekday(day));
        tiers_[{tier::kRegionDay, region, "", day, question, answer, misuse}] += by;
        tiers_[{tier::kRegionWeek, region, "", monday, question, answer, misuse}] += by;
        tiers_[{tier::kRegionMonth, region, "", month, question, answer, misuse}] += by;
        if (product) {
            tiers_[{tier::kRegionProductDay, region, sku, day, question, answer, misuse}] += by;
            tiers_[{tier::kRegionProductWeek, region, sku, monday, question, answer, misuse}] += by;
            tiers_[{tier::kRegionProductMonth, region, sku, month, question, answer, misuse}] += by;
        }
        answers_[{store_id, day, sku, question, answer, misuse}] += by;
        if (kind == kAnswer) continue;
        // A reaction at its local hour: the heat maps, the rankings' totals.
        const int hour = kind;
        local_hours_[{store_id, day, hour, sku, answer, misuse}] += by;
        tiers_[{tier::kRegionHour, region, "", day, hour_label(hour), answer, misuse}] += by;
        const std::string weekday_hour = weekday_hour_label(iso_weekday(day), hour);
        tiers_[{tier::kRegionHourMonth, region, "", month, weekday_hour, answer, misuse}] += by;
        tiers_[{tier::kStoreTotalsDay, store_id, "", day, "reaction", answer, misuse}] += by;
        tiers_[{tier::kStoreTotalsMonth, store_id, "", month, "reaction", answer, misuse}] += by;
        if (product) {
            tiers_[{tier::kRegionProductHour, region, sku, day, hour_label(hour), answer, misuse}] += by;
            tiers_[{tier::kRegionProductHourMonth, region, sku, month, weekday_hour, answer, misuse}] += by;
            tiers_[{tier::kStoreProductTotalsDay, store_id, sku, day, "reaction", answer, misuse}] += by;
            tiers_[{tier::kStoreProductTotalsMonth, store_id, sku, month, "reaction", answer, misuse}] += by;
            tiers_[{tier::kProductTotalsDay, region, sku, day, "reaction", answer, misuse}] += by;
            tiers_[{tier::kProductTotalsMonth, region, sku, month, "reaction", answer, misuse}] += by;
        }
    }
    answered_.clear();
}

void RollupDelta::subtract_tiers(RollupDelta& other) {
    other.spread();
    for (const auto& [key, count] : other.tiers_) tiers_[key] -= count;
}

void RollupDelta::apply(sql::Connection& db) {
    spread();
    // Text and 0/1 parameters: PostgreSQL casts them to the columns' types (timestamptz, boolean).
    add_counts(db, "INSERT INTO rollup_tiers (tier, place, sku, period, question, answer, misuse, events)",
               "ON CONFLICT (tier, place, sku, question, period, answer, misuse) "
               "DO UPDATE SET events = rollup_tiers.events + excluded.events",
               tiers_);
    add_counts(db, "INSERT INTO rollup_answers (store_id, local_date, sku, question, answer, misuse, events)",
               "ON CONFLICT (store_id, local_date, sku, question, answer, misuse) "
               "DO UPDATE SET events = rollup_answers.events + excluded.events",
               answers_);
    add_counts(db, "INSERT INTO rollup_local_hours (store_id, local_date, local_hour, sku, reaction, misuse, events)",
               "ON CONFLICT (store_id, local_date, local_hour, sku, reaction, misuse) "
               "DO UPDATE SET events = rollup_local_hours.events + excluded.events",
               local_hours_);
    // As combine(): the latest event's kiosk, locale and day; a rating (with its verified mark), pains or a
    // comment replace the stored ones; misuse sticks. SQLite's 0/1 and PostgreSQL's booleans both take OR.
    upsert(db,
           "INSERT INTO feedback_sessions (store_id, session_id, sku, kiosk_id, local_date, occurred_at, locale, "
           "rating, verified, pain_topics, comment, misuse)",
           "ON CONFLICT (store_id, session_id, sku) DO UPDATE SET "
           "kiosk_id = CASE WHEN excluded.occurred_at > feedback_sessions.occurred_at THEN excluded.kiosk_id "
           "ELSE feedback_sessions.kiosk_id END, "
           "locale = CASE WHEN excluded.occurred_at > feedback_sessions.occurred_at THEN excluded.locale "
           "ELSE feedback_sessions.locale END, "
           "local_date = CASE WHEN excluded.occurred_at > feedback_sessions.occurred_at THEN excluded.local_date "
           "ELSE feedback_sessions.local_date END, "
           "occurred_at = CASE WHEN excluded.occurred_at > feedback_sessions.occurred_at THEN excluded.occurred_at "
           "ELSE feedback_sessions.occurred_at END, "
           "rating = coalesce(excluded.rating, feedback_sessions.rating), "
           "verified = CASE WHEN excluded.rating IS NULL THEN feedback_sessions.verified ELSE excluded.verified END, "
           "pain_topics = CASE WHEN excluded.pain_topics = '' THEN feedback_sessions.pain_topics "
           "ELSE excluded.pain_topics END, "
           "comment = coalesce(excluded.comment, feedback_sessions.comment), "
           "misuse = excluded.misuse OR feedback_sessions.misuse",
           12, feedback_, [](const auto& entry, std::vector<sql::Value>& parameters) {
               const auto& [store_id, session_id, sku] = entry.first;
               const FeedbackSession& session = entry.second;
               parameters.insert(parameters.end(),
                                 {store_id, session_id, sku, session.kiosk_id, session.local_date, session.occurred_at,
                                  session.locale, or_null(session.rating), std::int64_t{session.verified ? 1 : 0},
                                  session.pain_topics, or_null(session.comment), std::int64_t{session.misuse ? 1 : 0}});
           });
    // A heartbeat older than the stored one (a kiosk's backlog delivered late) changes nothing.
    upsert(db,
           "INSERT INTO kiosk_heartbeats (kiosk_id, store_id, occurred_at, received_at, pending, quarantined, "
           "oldest_pending_s, version)",
           "ON CONFLICT (kiosk_id) DO UPDATE SET store_id = excluded.store_id, occurred_at = excluded.occurred_at, "
           "received_at = excluded.received_at, pending = excluded.pending, quarantined = excluded.quarantined, "
           "oldest_pending_s = excluded.oldest_pending_s, version = excluded.version "
           "WHERE excluded.occurred_at > kiosk_heartbeats.occurred_at",
           8, heartbeats_, [](const auto& entry, std::vector<sql::Value>& parameters) {
               const Heartbeat& heartbeat = entry.second;
               parameters.insert(parameters.end(),
                                 {entry.first, heartbeat.store_id, heartbeat.occurred_at, heartbeat.received_at,
                                  heartbeat.pending, or_null(heartbeat.quarantined),
                                  or_null(heartbeat.oldest_pending_s), or_null(heartbeat.version)});
           });
}

namespace {

using Zones = std::map<std::string, TimeZone, std::less<>>;

Zones read_zones(sql::Connection& db) {
    Zones zones;
    auto rows = db.query("SELECT store_id, time_zone FROM stores");
    while (rows->next()) {
        // A name the system no longer knows (tzdata dropped it) counts on UTC rather than stopping the count.
        auto zone = TimeZone::named(rows->text(1));
        zones.insert_or_assign(rows->text(0), zone ? *zone : TimeZone::utc());
    }
    return zones;
}

// Each store's LocalClock: a store without a zone is on UTC.
class StoreClocks {
public:
    explicit StoreClocks(Zones zones) : zones_(std::move(zones)) {}
    LocalTime local(const std::string& store_id, core::Timestamp instant) {
        if (!last_clock_ || last_store_ != store_id) {
            auto clock = clocks_.find(store_id);
            if (clock == clocks_.end()) {
                const auto zone = zones_.find(store_id);
                clock = clocks_.emplace(store_id, LocalClock(zone == zones_.end() ? TimeZone::utc() : zone->second)).first;
            }
            last_store_ = store_id;
            last_clock_ = &clock->second;
        }
        return last_clock_->local(instant);
    }

private:
    Zones zones_;
    std::map<std::string, LocalClock, std::less<>> clocks_;
    // Events come in runs from one store: its clock is found once per run.
    std::string last_store_;
    LocalClock* last_clock_ = nullptr;
};

// Counts stored events into a RollupDelta: on the stores' clocks and in their kiosks' regions as `db`
// holds them when it is made.
class EventCounter {
public:
    explicit EventCounter(sql::Connection& db, Zones zones) : clocks_(std::move(zones)) {
        auto rows = db.query("SELECT id, region FROM kiosks");
        while (rows->next()) regions_.emplace(rows->text(0), rows->text(1));
    }
    explicit EventCounter(sql::Connection& db) : EventCounter(db, read_zones(db)) {}

    // False for an event this hub cannot count (a type it does not know: as at ingest, left out).
    bool read(const StoredEvent& stored) {
        const auto type = core::parse_event_type(stored.type);
        const auto occurred = core::parse_rfc3339(stored.occurred_at);
        if (!type || !occurred) return false;
        event_.id = stored.id;
        event_.type = *type;
        event_.occurred_at = *occurred;
        event_.session_id = stored.session_id;
        event_.locale = stored.locale;
        event_.sku = stored.sku;
        event_.data = nlohmann::json::parse(stored.data);
        facts_ = event_facts(event_);
        return true;
    }
    // The event last read, into `delta`.
    void count(const StoredEvent& stored, RollupDelta& delta) {
        const auto region = regions_.find(stored.kiosk_id);
        const std::string& region_name = region == regions_.end() ? kNoRegion : region->second;
        // Only a heartbeat keeps when it was received.
        const auto received_at = event_.type == core::EventType::KioskHeartbeat
                                     ? core::parse_rfc3339(stored.received_at).value_or(event_.occurred_at)
                                     : event_.occurred_at;
        delta.add({stored.store_id, stored.kiosk_id, region_name, received_at,
                   clocks_.local(stored.store_id, event_.occurred_at), stored.verified_purchase},
                  event_, facts_);
    }

private:
    static inline const std::string kNoRegion;
    StoreClocks clocks_;
    std::map<std::string, std::string, std::less<>> regions_;  // by kiosk
    core::Event event_;  // reused: its strings keep their capacity
    EventFacts facts_;
};

}  // namespace

void rebuild_local_rollups(sql::Connection& db, std::optional<std::string_view> store_id,
                           std::optional<std::string_view> zone_before) {
    const sql::Value store = store_id ? sql::Value(*store_id) : sql::Value(sql::Null{});
    for (const char* table : {"rollup_answers", "rollup_local_hours", "feedback_sessions", "kiosk_heartbeats"}) {
        db.execute(std::string("DELETE FROM ") + table + " WHERE store_id = ?1 OR ?1 IS NULL", {store});
    }
    // A region's tiers hold other stores' counts too: one store's share is moved, not deleted.
    if (!store_id) db.execute("DELETE FROM rollup_tiers");
    const Zones zones = read_zones(db);
    EventCounter counter(db, zones);
    std::optional<EventCounter> counter_before;
    if (store_id) {
        Zones before = zones;
        auto zone = zone_before ? TimeZone::named(*zone_before) : Result<TimeZone>(TimeZone::utc());
        before.insert_or_assign(std::string(*store_id), zone ? *zone : TimeZone::utc());
        counter_before.emplace(db, std::move(before));
    }
    RollupDelta delta;
    RollupDelta counted_before;
    // Added a chunk at a time, so that memory stays flat however many events a store holds.
    constexpr std::size_t kEventsPerChunk = 100'000;
    std::size_t counted = 0;
    const auto flush = [&] {
        delta.subtract_tiers(counted_before);
        delta.apply(db);
        delta = RollupDelta{};
        counted_before = RollupDelta{};
    };
    EventFilter filter;
    if (store_id) filter.store_id = std::string(*store_id);
    each_event(db, filter, [&](const StoredEvent& stored) {
        if (!counter.read(stored)) return true;
        counter.count(stored, delta);
        if (counter_before && counter_before->read(stored)) counter_before->count(stored, counted_before);
        if (++counted % kEventsPerChunk == 0) flush();
        return true;
    });
    flush();
}

void recount_redemptions(sql::Connection& db, std::string_view store_id, std::optional<std::string_view> zone_before) {
    std::vector<RedemptionPlace> redemptions;
    {
        auto rows = db.query("SELECT store_id, region, sku, " + db.time_column("redeemed_at") +
                                 " FROM sorry_card_redemptions WHERE store_id = ?1",
                             {store_id});
        while (rows->next()) redemptions.push_back({rows->text(0), rows->text(1), rows->text(2), rows->time(3)});
    }  // read whole before writing: SQLite's statement must be done
    auto old_zone = zone_before ? TimeZone::named(*zone_before) : Result<TimeZone>(TimeZone::utc());
    LocalClock clock(store_zone(db, store_id));
    LocalClock clock_before(old_zone ? *old_zone : TimeZone::utc());
    RollupDelta delta;
    RollupDelta counted_before;
    for (const RedemptionPlace& redemption : redemptions) {
        count_redemption(delta, redemption, clock);
        count_redemption(counted_before, redemption, clock_before);
    }
    delta.subtract_tiers(counted_before);
    delta.apply(db);
}

void count_redemption(RollupDelta& delta, const RedemptionPlace& redemption, LocalClock& clock) {
    const std::string day = clock.local(redemption.redeemed_at).date;
    delta.count_answer({redemption.store_id, redemption.region, day, redemption.sku}, "sorry", "redeemed", 1);
}

TimeZone store_zone(sql::Connection& db, std::string_view store_id) {
    auto rows = db.query("SELECT time_zone FROM stores WHERE store_id = ?1", {store_id});
    if (!rows->next()) return TimeZone::utc();
    auto zone = TimeZone::named(rows->text(0));
    return zone ? *zone : TimeZone::utc();
}

std::int64_t hold_fold_progress(sql::Connection& db) {
    // An UPDATE rather than a read: on PostgreSQL it locks the row, and a second hub's waits and then
    // returns the value the first one committed.
    auto rows = db.query("UPDATE rollup_progress SET folded_through = folded_through WHERE id = 1 "
                         "RETURNING folded_through");
    if (!rows->next()) throw std::runtime_error("rollup_progress holds no row");
    const std::int64_t through = rows->integer(0);
    while (rows->next()) {
    }  // SQLite: a statement must be done before the next one writes
    return through;
}

std::int64_t fold_new_events(sql::Connection& db, std::optional<std::int64_t> horizon, std::int64_t limit) {
    const std::int64_t after = hold_fold_progress(db);
    if (horizon && *horizon <= after) return 0;
    EventCounter counter(db);
    RollupDelta delta;
    std::int64_t last = after;
    std::int64_t read = 0;
    // Read whole before writing: SQLite's statement must be done.
    each_event_arrived(db, {after, horizon, std::nullopt, limit}, [&](std::int64_t arrival, const StoredEvent& stored) {
        if (counter.read(stored)) counter.count(stored, delta);
        last = arrival;
        ++read;
    });
    if (read == 0) return 0;
    delta.apply(db);
    db.execute("UPDATE rollup_progress SET folded_through = ?1 WHERE id = 1", {last});
    return read;
}

namespace {

// Whether events are stored that the rollups do not count yet. Cheap, and without the writer: nothing to fold
// is the usual case, and a fold's transaction writes (and on SQLite syncs) even when it finds nothing.
bool behind(sql::Database& database) {
    auto db = database.lend(sql::Access::Read);
    auto rows = db->query("SELECT (SELECT folded_through FROM rollup_progress WHERE id = 1) < "
                          "(SELECT coalesce(max(" + db->arrival_column() + "), 0) FROM events)");
    return rows->next() && rows->boolean(0);
}

}  // namespace

Result<std::int64_t> Rollups::fold(std::int64_t limit) {
    return sql::guarded<std::int64_t>("counting events into the rollups", [&]() -> Result<std::int64_t> {
        if (!behind(database_)) return std::int64_t{0};
        auto db = database_.lend(sql::Access::Write);
        // Before the transaction: PostgreSQL learns it in one of its own.
        const std::optional<std::int64_t> horizon = db->arrival_horizon();
        sql::Transaction transaction(*db);
        const std::int64_t counted = fold_new_events(*db, horizon, limit);
        transaction.commit();
        return counted;
    });
}

Status catch_up_rollups_of(sql::Database& database) {
    Rollups rollups(database);
    for (;;) {
        auto counted = rollups.fold(Rollups::kEventsPerFold);
        if (!counted) return counted.error();
        if (*counted < Rollups::kEventsPerFold) return Ok{};
    }
}

Result<Stats> Rollups::stats() {
    if (auto caught_up = catch_up_rollups_of(database_); !caught_up) return caught_up.error();
    return sql::guarded<Stats>("counting events", [&]() -> Result<Stats> {
        auto db = database_.lend(sql::Access::Read);
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        Stats stats;
        std::map<std::string, StoreCounts> stores;

        auto kiosks = db->query("SELECT count(*), count(*) - count(revoked_at) FROM kiosks");
        if (kiosks->next()) {
            stats.kiosks_total = kiosks->integer(0);
            stats.kiosks_active = kiosks->integer(1);
        }
        // Stores with kiosks but no events yet still get a (zero) row.
        auto store_ids = db->query("SELECT DISTINCT store_id FROM kiosks");
        while (store_ids->next()) {
            const std::string id = store_ids->text(0);
            stores[id].store_id = id;
        }
        // misuse is a boolean on PostgreSQL, 0 or 1 on SQLite: CASE reads both as 0 or 1.
        auto counts = db->query(
            "SELECT place, answer, CASE WHEN misuse THEN 1 ELSE 0 END, sum(events) FROM rollup_tiers "
            "WHERE tier = ?1 AND question = 'type' GROUP BY place, answer, misuse",
            {tier::kStoreTotalsMonth});
        while (counts->next()) {
            const std::string store_id = counts->text(0);
            const std::int64_t count = counts->integer(3);
            stats.total_events += count;
            StoreCounts& store = stores[store_id];
            store.store_id = store_id;
            if (counts->integer(2) != 0) {
                stats.misuse_events += count;
                store.misuse += count;
                continue;
            }
            store.total += count;
            if (const auto index = event_type_index(counts->text(1))) {
                store.by_type[*index] += count;
                stats.by_type[*index] += count;
            }
        }
        auto reactions = db->query(
            "SELECT place, answer, sum(events) FROM rollup_tiers WHERE tier = ?1 AND question = 'reaction' AND NOT misuse "
            "GROUP BY place, answer",
            {tier::kStoreTotalsMonth});
        while (reactions->next()) {
            const auto reaction = core::parse_reaction(reactions->text(1));
            if (!reaction) continue;
            StoreCounts& store = stores[reactions->text(0)];
            store.store_id = reactions->text(0);
            store.reactions[static_cast<std::size_t>(*reaction)] += reactions->integer(2);
        }
        snapshot.commit();
        for (auto& [id, store_counts] : stores) stats.by_store.push_back(std::move(store_counts));
        return stats;
    });
}

}  // namespace truthpoint::hub
