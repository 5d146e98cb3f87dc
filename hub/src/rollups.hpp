// The storage role of the rollups and the stats counted from them, written once over the SQL seam for both
// engines. The ingest writers (engine-specific: their bulk insert of the events) gather a RollupDelta for
// the events they stored and apply it inside their own transaction; rebuild_rollups counts stored events
// again through the same RollupDelta, so that there is one way to count.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

#include "local_time.hpp"
#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Where a stored event came from and how it was stored, besides the event itself.
struct EventOrigin {
    const std::string& store_id;
    const std::string& kiosk_id;
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

// Rollup increments gathered in memory while events are written, then added with few upserts per table.
// Maps are sorted, so that concurrent hubs lock the keys alike.
struct RollupDelta {
    // store_id, sku, hour, type, misuse (0 or 1)
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::int64_t>, std::int64_t> hourly;
    // store_id, sku, hour, reaction
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::int64_t> reactions;
    // store_id, local_date, sku, question, answer, misuse (docs/dashboard.md lists questions and answers)
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::int64_t>, std::int64_t>
        answers;
    // store_id, local_date, local_hour, sku, reaction, misuse: fmot.reaction by the store's hour
    std::map<std::tuple<std::string, std::string, std::int64_t, std::string, std::string, std::int64_t>, std::int64_t>
        local_hours;
    // store_id, session_id, sku
    std::map<std::tuple<std::string, std::string, std::string>, FeedbackSession> feedback;
    // kiosk_id
    std::map<std::string, Heartbeat> heartbeats;

    // One stored event; `facts` are event_facts(event, ...).
    void add(const EventOrigin& origin, const core::Event& event, const EventFacts& facts);
    // `other` holds events stored after this one's.
    void merge(const RollupDelta& other);
    // Adds the increments to the rollups inside the transaction `db` is in.
    void apply(sql::Connection& db) const;
};

// The answer decide_ms counts `ms` under: the upper bound of its bucket ("1000" .. "120000") or "more".
std::string_view decide_bucket(std::int64_t ms);

// Stores' time zones as the ingest writers use them. Read from `stores` at most every kRefresh (several
// hubs on one database see another's change within that time), and at once after this hub changed one.
class StoreZones {
public:
    static constexpr std::chrono::seconds kRefresh{10};
    using Zones = std::map<std::string, TimeZone, std::less<>>;

    // The zones as read within kRefresh, reading them again with `db` when older.
    std::shared_ptr<const Zones> current(sql::Connection& db);
    void forget();

private:
    std::mutex mutex_;
    std::shared_ptr<const Zones> zones_;
    std::chrono::steady_clock::time_point read_at_{};
};

// Each store's LocalClock for one group of batches (one writer thread): a store without a zone is on UTC.
class StoreClocks {
public:
    explicit StoreClocks(std::shared_ptr<const StoreZones::Zones> zones) : zones_(std::move(zones)) {}
    LocalTime local(const std::string& store_id, core::Timestamp instant);

private:
    std::shared_ptr<const StoreZones::Zones> zones_;
    std::map<std::string, LocalClock, std::less<>> clocks_;
    // A batch comes from one store: its clock is found once.
    std::string last_store_;
    LocalClock* last_clock_ = nullptr;
};

// Counts the stored events of `store_id` (every store when nullopt) again into rollup_answers,
// rollup_local_hours, feedback_sessions and kiosk_heartbeats, in their stores' zones as `stores` holds
// them now, inside the transaction `db` is in (which must write). rollup_hourly and rollup_reactions are
// by UTC hour and stay as they are.
void rebuild_local_rollups(sql::Connection& db, std::optional<std::string_view> store_id);

// The schema version that added the local-day rollups: the migration to it fills them from the events
// already held (on UTC, since no store has a zone yet), in its own transaction.
inline constexpr int kLocalRollupsSchema = 9;

class Rollups {
public:
    explicit Rollups(sql::Database& database) : database_(database) {}

    // As Store::stats: from the rollups, one snapshot; the events themselves are never scanned.
    Result<Stats> stats();

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
