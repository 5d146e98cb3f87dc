// The storage role of the rollups and the stats counted from them, written once over the SQL seam for both
// engines. Ingest stores the events only; the fold (below) counts them into the rollups through a
// RollupDelta afterwards, and rebuild_local_rollups counts them again through the same RollupDelta, so that
// there is one way to count.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "local_time.hpp"
#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Where a stored event came from and how it was stored, besides the event itself.
struct EventOrigin {
    const std::string& store_id;
    const std::string& kiosk_id;
    const std::string& region;  // the kiosk's, '' when it has none
    core::Timestamp received_at;
    LocalTime local;  // occurred_at on the store's clock
    bool verified_purchase = false;
};

// One post-purchase session's answers about one product, as feedback_sessions keeps them.
struct FeedbackSession {
    std::string kiosk_id;  // of the session's latest event, with its locale and local day
    std::string locale;
    std::string local_date;
    core::Timestamp occurred_at{};
    std::optional<std::int64_t> rating;  // smot.feedback; with it, `verified`
    bool verified = false;
    std::string pain_topics;  // the latest smot.topics naming a pain: its names joined by ','; '' keeps the stored
    std::optional<std::string> comment;
    bool misuse = false;  // any of its events
};

// A kiosk's newest heartbeat.
struct Heartbeat {
    std::string store_id;
    core::Timestamp occurred_at{};
    core::Timestamp received_at{};
    std::int64_t pending = 0;
    std::optional<std::int64_t> quarantined;
    std::optional<std::int64_t> oldest_pending_s;
    std::optional<std::string> version;
};

// The coarser rollups in rollup_tiers, by the `tier` column. A region's or the chain's view reads the region_
// tiers (a row per region, day and answer, against rollup_answers' row per store, product, day and answer);
// the rankings, the product list and the stats read the _totals_ tiers, whose months let a year be twelve rows
// plus the days at its two ends. Region is the sending kiosk's.
namespace tier {
inline constexpr std::string_view kRegionDay = "region_day";                  // every answer
inline constexpr std::string_view kRegionMonth = "region_month";              // every answer
inline constexpr std::string_view kRegionHour = "region_hour";                // question: local hour "HH", answer: reaction
// by month: question: ISO weekday and local hour "1-09", answer: reaction
inline constexpr std::string_view kRegionHourMonth = "region_hour_month";
inline constexpr std::string_view kRegionProductDay = "region_product_day";   // every answer, by product
inline constexpr std::string_view kRegionProductMonth = "region_product_month";
inline constexpr std::string_view kRegionProductHour = "region_product_hour"; // as region_hour, by product
inline constexpr std::string_view kRegionProductHourMonth = "region_product_hour_month";  // as region_hour_month
// as region_day and region_product_day, by ISO week: period is the week's Monday 'YYYY-MM-DD'
inline constexpr std::string_view kRegionWeek = "region_week";
inline constexpr std::string_view kRegionProductWeek = "region_product_week";
// place: region, by product: question 'events' (answer ''), 'reaction' (answer: the reaction)
inline constexpr std::string_view kProductTotalsDay = "product_totals_day";
inline constexpr std::string_view kProductTotalsMonth = "product_totals_month";
// place: store, no product: 'reaction' by day and month; 'type' (answer: the event type) by month
inline constexpr std::string_view kStoreTotalsDay = "store_totals_day";
inline constexpr std::string_view kStoreTotalsMonth = "store_totals_month";
// place: store, by product: 'reaction'
inline constexpr std::string_view kStoreProductTotalsDay = "store_product_totals_day";
inline constexpr std::string_view kStoreProductTotalsMonth = "store_product_totals_month";
}  // namespace tier

// Every question an answer is counted under (docs/dashboard.md): the figures read these ranges of the tiers.
inline constexpr std::array<std::string_view, 14> kAnswerQuestions = {
    "reaction", "driver", "intent", "why_not", "decide_ms", "shelf", "rating",
    "verified", "expectations", "recommend", "glory", "pain", "review", "sorry"};

// The heat map's questions in the hour tiers: "09" by day, "1-09" (ISO weekday, hour) by month.
inline std::string hour_label(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour); }
inline std::string weekday_hour_label(int iso_weekday, int hour) {
    return std::to_string(iso_weekday) + "-" + hour_label(hour);
}

// Rollup increments gathered in memory while events are folded, then added with one upsert per key.
// add() and count_answer() count each answer once, where it was given (`answered_`); apply() then spreads
// each distinct one over the rollup rows that keep it (up to eighteen), so that a fold of thousands of
// events does that work per distinct answer, not per event. The maps apply() writes are sorted: the rows
// are written in key order.
class RollupDelta {
public:
    // Where an answer is counted: the store's local day, the sending kiosk's region.
    struct AnswerPlace {
        const std::string& store_id;
        const std::string& region;
        const std::string& day;
        const std::string& sku;
        std::int64_t misuse = 0;
    };

    // One stored event; `facts` are event_facts(event).
    void add(const EventOrigin& origin, const core::Event& event, const EventFacts& facts);
    // `by` answers to `question` (docs/dashboard.md) in rollup_answers and the region's tiers.
    void count_answer(const AnswerPlace& place, std::string_view question, const std::string& answer, std::int64_t by);
    // Takes `other`'s tier counts away (a store's events counted on its old clock, before its new one).
    void subtract_tiers(RollupDelta& other);
    // Adds the increments to the rollups inside the transaction `db` is in.
    void apply(sql::Connection& db);

private:
    // What an entry of `answered` is besides an answer to its question.
    static constexpr int kAnswer = -1;
    static constexpr int kEventType = -2;  // question "type", answer the event type: one per event
    // store_id, region, local day, sku, misuse, question, answer, and the local hour (0..23) of a reaction,
    // else kAnswer or kEventType
    using AnswerKey = std::tuple<std::string, std::string, std::string, std::string, std::int64_t, std::string,
                                 std::string, int>;
    struct AnswerKeyHash {
        std::size_t operator()(const AnswerKey& key) const;
    };
    // tier, place, sku, period, question, answer, misuse (0 or 1)
    using TierKey =
        std::tuple<std::string_view, std::string, std::string, std::string, std::string, std::string, std::int64_t>;

    void count(AnswerKey key, std::int64_t by);
    // Moves `answered_` into the rollups' own maps.
    void spread();

    std::unordered_map<AnswerKey, std::int64_t, AnswerKeyHash> answered_;
    std::map<TierKey, std::int64_t> tiers_;
    // store_id, local_date, sku, question, answer, misuse (docs/dashboard.md lists questions and answers)
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::int64_t>, std::int64_t>
        answers_;
    // store_id, local_date, local_hour, sku, reaction, misuse: fmot.reaction by the store's hour
    std::map<std::tuple<std::string, std::string, std::int64_t, std::string, std::string, std::int64_t>, std::int64_t>
        local_hours_;
    // store_id, session_id, sku
    std::map<std::tuple<std::string, std::string, std::string>, FeedbackSession> feedback_;
    // kiosk_id
    std::map<std::string, Heartbeat> heartbeats_;
};

// The answer decide_ms counts `ms` under: the upper bound of its bucket ("1000" .. "120000") or "more".
std::string_view decide_bucket(std::int64_t ms);

// Counts the stored events again into rollup_answers, rollup_local_hours, feedback_sessions,
// kiosk_heartbeats and rollup_tiers, in their stores' zones as `stores` holds them now, inside the
// transaction `db` is in (which must write): every store's when `store_id` is nullopt. For one store whose
// zone was `zone_before` (UTC when nullopt), its rows are counted again and its share of the tiers moved
// from the old clock to the new one. Events only: a store's redemptions are recount_redemptions'.
void rebuild_local_rollups(sql::Connection& db, std::optional<std::string_view> store_id,
                           std::optional<std::string_view> zone_before = std::nullopt);

// A sorry card's redemption at a till: the answer "redeemed" to "sorry" on the store's local day of the
// redemption, in the issuing kiosk's region. It is no event: redeem_sorry_card counts it, and
// recount_redemptions counts a store's again from sorry_card_redemptions.
struct RedemptionPlace {
    std::string store_id;
    std::string region;
    std::string sku;
    core::Timestamp redeemed_at{};
};
void count_redemption(RollupDelta& delta, const RedemptionPlace& redemption, LocalClock& clock);

// After rebuild_local_rollups of one store (whose rollup_answers it emptied): counts the store's redemptions
// again on its clock as `stores` holds it now, and moves their share of the tiers from its old clock.
void recount_redemptions(sql::Connection& db, std::string_view store_id, std::optional<std::string_view> zone_before);

// The store's clock as `stores` holds it in the transaction `db` is in: UTC for a store without one.
TimeZone store_zone(sql::Connection& db, std::string_view store_id);

// The schema version that last added local rollups: the migration to it counts the events already held
// into all of them (on the zones `stores` holds then), in its own transaction.
inline constexpr int kLocalRollupsSchema = 10;

// The fold: ingest stores events only, and their rollups (everything above) are counted afterwards, many
// events at a time, so that an answer's rollup rows are written once per fold rather than once per
// batch. rollup_progress holds the arrival number (Connection::arrival_column) up to which every event is
// counted; a fold counts the next ones and moves it on in the same transaction, so that a crash loses or
// repeats nothing. The hub's rollup worker folds several times a second; every reader of the rollups
// catches up first, so that it sees each event already stored.

// Inside a write transaction: locks rollup_progress until the transaction ends (a fold of another hub
// waits) and returns the arrival number up to which every event is counted.
std::int64_t hold_fold_progress(sql::Connection& db);

// Inside a write transaction: counts the events not yet counted, up to arrival number `horizon` (every one
// visible when nullopt), at most `limit` of them. Returns how many it counted.
std::int64_t fold_new_events(sql::Connection& db, std::optional<std::int64_t> horizon, std::int64_t limit);

class Rollups {
public:
    explicit Rollups(sql::Database& database) : database_(database) {}

    static constexpr std::int64_t kEventsPerFold = 20'000;  // a catch-up's transactions

    // As Store::fold_rollups.
    Result<std::int64_t> fold(std::int64_t limit);

    // As Store::stats: from the rollups, one snapshot; the events themselves are never scanned.
    Result<Stats> stats();

private:
    sql::Database& database_;
};

// As Store::catch_up_rollups: folds until none is left. The readers of the rollups call it first.
Status catch_up_rollups_of(sql::Database& database);

}  // namespace truthpoint::hub
