// The storage role of the hourly rollups and the stats counted from them, written once over the SQL seam
// for both engines. The ingest writers (engine-specific: their bulk insert of the events) gather a
// RollupDelta for the events they stored and apply it inside their own transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Rollup increments gathered in memory while events are written, then added with one upsert per table.
struct RollupDelta {
    // store_id, sku, hour, type, misuse (0 or 1). Sorted, so that concurrent hubs lock the keys alike.
    std::map<std::tuple<std::string, std::string, std::string, std::string, std::int64_t>, std::int64_t> hourly;
    // store_id, sku, hour, reaction
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::int64_t> reactions;

    // One stored event; `facts` are event_facts(event, ...).
    void add(const std::string& store_id, const core::Event& event, const EventFacts& facts);
    void merge(const RollupDelta& other);
    // Adds the increments to rollup_hourly and rollup_reactions inside the transaction `db` is in.
    void apply(sql::Connection& db) const;
};

class Rollups {
public:
    explicit Rollups(sql::Database& database) : database_(database) {}

    // As Store::stats: from the rollups, one snapshot; the events themselves are never scanned.
    Result<Stats> stats();

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
