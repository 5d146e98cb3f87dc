// The rollups and stats, once for both engines (see rollups.hpp).
#include "rollups.hpp"

#include <algorithm>
#include <vector>

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

// Upserts `keys` (a map from a tuple of columns to a count) in chunks: `head` names the table and its
// columns, `tail` says what a key already held does.
template <typename Keys>
void upsert(sql::Connection& db, const char* head, const char* tail, const Keys& keys) {
    constexpr std::size_t width = std::tuple_size_v<typename Keys::key_type> + 1;
    std::vector<sql::Value> parameters;
    std::string statement;
    std::size_t statement_rows = 0;
    for (auto next = keys.begin(); next != keys.end();) {
        const std::size_t rows = std::min<std::size_t>(db.rows_per_statement(), std::distance(next, keys.end()));
        if (rows != statement_rows) {  // on SQLite one row each time: the same text, written once
            statement = std::string(head) + " VALUES " + values_list(rows, width) + " " + tail;
            statement_rows = rows;
        }
        parameters.clear();
        for (std::size_t row = 0; row < rows; ++row, ++next) {
            std::apply([&](const auto&... column) { (parameters.emplace_back(sql::Value(column)), ...); }, next->first);
            parameters.emplace_back(next->second);
        }
        db.execute(statement, parameters);
    }
}

}  // namespace

void RollupDelta::add(const std::string& store_id, const core::Event& event, const EventFacts& facts) {
    ++hourly[{store_id, event.sku, facts.hour, std::string(core::to_string(event.type)), facts.misuse ? 1 : 0}];
    if (!facts.reaction.empty()) ++reactions[{store_id, event.sku, facts.hour, facts.reaction}];
}

void RollupDelta::merge(const RollupDelta& other) {
    for (const auto& [key, count] : other.hourly) hourly[key] += count;
    for (const auto& [key, count] : other.reactions) reactions[key] += count;
}

void RollupDelta::apply(sql::Connection& db) const {
    // Text and 0/1 parameters: PostgreSQL casts them to the columns' types (timestamptz, boolean).
    upsert(db, "INSERT INTO rollup_hourly (store_id, sku, hour, type, misuse, events)",
           "ON CONFLICT (store_id, sku, hour, type, misuse) DO UPDATE SET events = rollup_hourly.events + excluded.events",
           hourly);
    upsert(db, "INSERT INTO rollup_reactions (store_id, sku, hour, reaction, events)",
           "ON CONFLICT (store_id, sku, hour, reaction) DO UPDATE SET events = rollup_reactions.events + excluded.events",
           reactions);
}

Result<Stats> Rollups::stats() {
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
            "SELECT store_id, type, CASE WHEN misuse THEN 1 ELSE 0 END, sum(events) FROM rollup_hourly "
            "GROUP BY store_id, type, misuse");
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
        auto reactions = db->query("SELECT store_id, reaction, sum(events) FROM rollup_reactions GROUP BY store_id, reaction");
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
