// The dashboard's reads, once for both engines (see dashboard_queries.hpp).
#include "truthpoint/hub/dashboard_queries.hpp"

#include <algorithm>
#include <map>

#include "local_time.hpp"
#include "sql.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"

namespace truthpoint::hub {
namespace {

// The stores a filter covers, by id: its store, the stores of its region, or every store a kiosk is in.
std::vector<std::string> stores_of(sql::Connection& db, const DashboardFilter& filter) {
    if (filter.store_id && !filter.region) return {*filter.store_id};
    sql::QueryBuilder select("SELECT DISTINCT store_id FROM kiosks WHERE 1 = 1");
    if (filter.region) select << " AND region = " << select.bind(*filter.region);
    if (filter.store_id) select << " AND store_id = " << select.bind(*filter.store_id);
    auto rows = select.query(db);
    std::vector<std::string> stores;
    while (rows->next()) stores.push_back(rows->text(0));
    return stores;
}

// " WHERE store_id IN (...) AND local_date BETWEEN ..." for the rollups and feedback_sessions: their keys
// start with store_id, local_date, so both engines read only the filter's ranges.
void where_filter(sql::QueryBuilder& statement, const std::vector<std::string>& stores, const DashboardFilter& filter,
                  bool by_sku = true) {
    statement << " WHERE store_id IN (";
    for (std::size_t i = 0; i < stores.size(); ++i) statement << (i ? ", " : "") << statement.bind(stores[i]);
    statement << ") AND local_date >= " << statement.bind(filter.from) << " AND local_date <= " << statement.bind(filter.to);
    if (by_sku && filter.sku) statement << " AND sku = " << statement.bind(*filter.sku);
    // misuse is a boolean on PostgreSQL, 0 or 1 on SQLite: NOT reads both.
    if (!filter.include_misuse) statement << " AND NOT misuse";
}

// Runs `body(db, stores)` on a read snapshot, with the filter's stores resolved; `empty` when there are none.
template <typename T, typename Body>
Result<T> with_stores(sql::Database& database, const char* what, const DashboardFilter& filter, Body&& body) {
    return sql::guarded<T>(what, [&]() -> Result<T> {
        auto db = database.lend(sql::Access::Read);
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        const std::vector<std::string> stores = stores_of(*db, filter);
        T result = body(*db, stores);
        snapshot.commit();
        return result;
    });
}

// Rows (id, reaction, events) summed per id into ranking rows, not yet ordered; `names` gives the ids'
// names, `total` (if given) sums every row.
std::vector<RankingRow> ranking(sql::Rows& rows, const std::map<std::string, std::string>& names, ReactionCounts* total) {
    std::map<std::string, ReactionCounts> by_id;
    while (rows.next()) {
        const auto reaction = core::parse_reaction(rows.text(1));
        if (!reaction) continue;
        const std::int64_t events = rows.integer(2);
        by_id[rows.text(0)][static_cast<std::size_t>(*reaction)] += events;
        if (total) (*total)[static_cast<std::size_t>(*reaction)] += events;
    }
    std::vector<RankingRow> out;
    for (const auto& [id, reactions] : by_id) {
        RankingRow row;
        row.id = id;
        if (const auto name = names.find(id); name != names.end()) row.name = name->second;
        for (std::int64_t count : reactions) row.answers += count;
        if (row.answers <= 0) continue;
        row.index = reaction_index(reactions);
        out.push_back(std::move(row));
    }
    return out;
}

// Best first by adjusted index, then by more answers, then by id.
void order_ranking(std::vector<RankingRow>& rows, double prior) {
    for (RankingRow& row : rows) row.adjusted_index = adjusted_index(row.answers, row.index, prior);
    std::sort(rows.begin(), rows.end(), [](const RankingRow& a, const RankingRow& b) {
        if (a.adjusted_index != b.adjusted_index) return a.adjusted_index > b.adjusted_index;
        if (a.answers != b.answers) return a.answers > b.answers;
        return a.id < b.id;
    });
}

std::vector<std::string> split_topics(const std::string& joined) {
    std::vector<std::string> topics;
    std::size_t start = 0;
    while (start < joined.size()) {
        const auto comma = joined.find(',', start);
        const auto end = comma == std::string::npos ? joined.size() : comma;
        if (end > start) topics.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return topics;
}

// `text` with LIKE's wildcards and the escape character escaped by '\'.
std::string like_literal(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

Result<PeriodFigures> DashboardQueries::figures(const DashboardFilter& filter) {
    return with_stores<PeriodFigures>(database_, "computing the dashboard's figures", filter,
                                      [&](sql::Connection& db, const std::vector<std::string>& stores) {
        FigureTally tally;
        if (!stores.empty()) {
            sql::QueryBuilder select("SELECT question, answer, sum(events) FROM rollup_answers");
            where_filter(select, stores, filter);
            select << " GROUP BY question, answer";
            auto rows = select.query(db);
            while (rows->next()) tally.add(rows->text(0), rows->text(1), rows->integer(2));
        }
        return tally.period(filter.from, filter.to);
    });
}

Result<std::vector<TrendPoint>> DashboardQueries::trend(const DashboardFilter& filter) {
    return with_stores<std::vector<TrendPoint>>(database_, "computing the dashboard's trend", filter,
                                                [&](sql::Connection& db, const std::vector<std::string>& stores) {
        const std::vector<std::string> starts = trend_starts(filter);
        std::map<std::string, FigureTally> tallies;
        for (const std::string& start : starts) tallies[start];
        const bool weekly = trend_step(filter) == "week";
        if (!stores.empty()) {
            sql::QueryBuilder select("SELECT local_date, question, answer, sum(events) FROM rollup_answers");
            where_filter(select, stores, filter);
            select << " AND question IN ('reaction', 'rating', 'recommend', 'pain') GROUP BY local_date, question, answer";
            auto rows = select.query(db);
            while (rows->next()) {
                const std::string day = rows->text(0);
                if (!is_local_date(day)) continue;
                const auto tally = tallies.find(weekly ? add_days(day, 1 - iso_weekday(day)) : day);
                if (tally != tallies.end()) tally->second.add(rows->text(1), rows->text(2), rows->integer(3));
            }
        }
        std::vector<TrendPoint> points;
        for (const std::string& start : starts) points.push_back(tallies[start].trend_point(start));
        return points;
    });
}

Result<std::vector<HeatCell>> DashboardQueries::heat_map(const DashboardFilter& filter) {
    return with_stores<std::vector<HeatCell>>(database_, "computing the dashboard's heat map", filter,
                                              [&](sql::Connection& db, const std::vector<std::string>& stores) {
        std::array<ReactionCounts, 7 * 24> cells{};
        if (!stores.empty()) {
            sql::QueryBuilder select("SELECT local_date, local_hour, reaction, sum(events) FROM rollup_local_hours");
            where_filter(select, stores, filter);
            select << " GROUP BY local_date, local_hour, reaction";
            auto rows = select.query(db);
            while (rows->next()) {
                const std::string day = rows->text(0);
                const std::int64_t hour = rows->integer(1);
                const auto reaction = core::parse_reaction(rows->text(2));
                if (!is_local_date(day) || hour < 0 || hour > 23 || !reaction) continue;
                const auto cell = static_cast<std::size_t>((iso_weekday(day) - 1) * 24 + hour);
                cells[cell][static_cast<std::size_t>(*reaction)] += rows->integer(3);
            }
        }
        std::vector<HeatCell> heat;
        for (std::size_t cell = 0; cell < cells.size(); ++cell) {
            HeatCell& out = heat.emplace_back();
            out.iso_weekday = static_cast<int>(cell / 24) + 1;
            out.hour = static_cast<int>(cell % 24);
            for (std::int64_t count : cells[cell]) out.answers += count;
            out.index = reaction_index(cells[cell]);
        }
        return heat;
    });
}

Result<DashboardRankings> DashboardQueries::rankings(const DashboardFilter& filter) {
    return with_stores<DashboardRankings>(database_, "ranking the dashboard's stores and products", filter,
                                          [&](sql::Connection& db, const std::vector<std::string>& stores) {
        DashboardRankings rankings;
        if (stores.empty()) return rankings;
        std::map<std::string, std::string> names;
        sql::QueryBuilder select_names("SELECT store_id, name FROM stores");
        select_names << " WHERE store_id IN (";
        for (std::size_t i = 0; i < stores.size(); ++i) select_names << (i ? ", " : "") << select_names.bind(stores[i]);
        select_names << ")";
        auto name_rows = select_names.query(db);
        while (name_rows->next()) names[name_rows->text(0)] = name_rows->text(1);

        // The prior is only known once every store is summed: the rows are ordered after.
        ReactionCounts total{};
        sql::QueryBuilder by_store("SELECT store_id, answer, sum(events) FROM rollup_answers");
        where_filter(by_store, stores, filter);
        by_store << " AND question = 'reaction' GROUP BY store_id, answer";
        auto store_rows = by_store.query(db);
        rankings.stores = ranking(*store_rows, names, &total);
        rankings.prior = reaction_index(total);
        if (!rankings.prior) return rankings;

        sql::QueryBuilder by_product("SELECT sku, answer, sum(events) FROM rollup_answers");
        where_filter(by_product, stores, filter);
        by_product << " AND question = 'reaction' AND sku <> '' GROUP BY sku, answer";
        auto product_rows = by_product.query(db);
        rankings.products = ranking(*product_rows, {}, nullptr);
        order_ranking(rankings.stores, *rankings.prior);
        order_ranking(rankings.products, *rankings.prior);
        return rankings;
    });
}

Result<std::vector<FeedbackRow>> DashboardQueries::feedback(const DashboardFilter& filter,
                                                            const std::optional<std::string>& pain_topic,
                                                            std::size_t limit) {
    return with_stores<std::vector<FeedbackRow>>(database_, "reading the dashboard's open feedback", filter,
                                                 [&](sql::Connection& db, const std::vector<std::string>& stores) {
        std::vector<FeedbackRow> feedback;
        if (stores.empty() || limit == 0) return feedback;
        sql::QueryBuilder select("SELECT " + db.time_column("occurred_at") +
                         ", local_date, store_id, sku, kiosk_id, locale, rating, "
                         "CASE WHEN verified THEN 1 ELSE 0 END, pain_topics, comment FROM feedback_sessions");
        where_filter(select, stores, filter);
        select << " AND comment IS NOT NULL AND comment <> ''";
        if (pain_topic) {
            select << " AND (',' || pain_topics || ',') LIKE " << select.bind("%," + like_literal(*pain_topic) + ",%")
                   << " ESCAPE '\\'";
        }
        const std::string order = db.byte_order();
        select << " ORDER BY occurred_at DESC, store_id" << order << ", session_id" << order << ", sku" << order
               << " LIMIT " << select.bind(static_cast<std::int64_t>(limit));
        auto rows = select.query(db);
        while (rows->next()) {
            FeedbackRow& row = feedback.emplace_back();
            row.occurred_at = rows->time(0);
            row.local_date = rows->text(1);
            row.store_id = rows->text(2);
            row.sku = rows->text(3);
            row.kiosk_id = rows->text(4);
            row.locale = rows->text(5);
            if (!rows->is_null(6)) row.rating = static_cast<int>(rows->integer(6));
            row.verified = rows->integer(7) != 0;
            row.pain_topics = split_topics(rows->text(8));
            row.comment = rows->text(9);
        }
        return feedback;
    });
}

Result<std::vector<KioskHealthRow>> DashboardQueries::kiosks(const DashboardFilter& filter, core::Timestamp now) {
    return sql::guarded<std::vector<KioskHealthRow>>("reading the kiosks' health", [&]() -> Result<std::vector<KioskHealthRow>> {
        auto db = database_.lend(sql::Access::Read);
        const std::string order = db->byte_order();
        sql::QueryBuilder select("SELECT k.id, k.store_id, CASE WHEN k.revoked_at IS NULL THEN 0 ELSE 1 END, " +
                         db->time_column("k.last_seen_at") + ", " + db->time_column("h.occurred_at") +
                         ", h.pending, h.quarantined, h.oldest_pending_s, coalesce(h.version, '') "
                         "FROM kiosks k LEFT JOIN kiosk_heartbeats h ON h.kiosk_id = k.id WHERE 1 = 1");
        if (filter.region) select << " AND k.region = " << select.bind(*filter.region);
        if (filter.store_id) select << " AND k.store_id = " << select.bind(*filter.store_id);
        select << " ORDER BY k.store_id" << order << ", k.id" << order;
        auto rows = select.query(*db);
        std::vector<KioskHealthRow> kiosks;
        while (rows->next()) {
            KioskHealthRow& row = kiosks.emplace_back();
            row.kiosk_id = rows->text(0);
            row.store_id = rows->text(1);
            row.revoked = rows->integer(2) != 0;
            if (!rows->is_null(3)) row.last_contact = rows->time(3);
            if (!rows->is_null(4)) row.last_heartbeat = rows->time(4);
            if (!rows->is_null(5)) row.pending = rows->integer(5);
            if (!rows->is_null(6)) row.quarantined = rows->integer(6);
            if (!rows->is_null(7)) row.oldest_pending_s = rows->integer(7);
            row.version = rows->text(8);
            // A revoked kiosk is expected to be quiet.
            row.silent = !row.revoked && (!row.last_contact || now - *row.last_contact > kSilentKioskAfter);
        }
        return kiosks;
    });
}

Result<DashboardPlaces> DashboardQueries::places(const DashboardFilter& filter,
                                                 const std::optional<std::string>& viewer_region) {
    return with_stores<DashboardPlaces>(database_, "listing the dashboard's places", filter,
                                        [&](sql::Connection& db, const std::vector<std::string>& stores) {
        DashboardPlaces places;
        const std::string order = db.byte_order();
        if (viewer_region) {
            places.regions.push_back({*viewer_region, *viewer_region, ""});
        } else {
            auto regions = db.query("SELECT region FROM kiosks WHERE region <> '' GROUP BY region ORDER BY region" + order);
            while (regions->next()) places.regions.push_back({regions->text(0), regions->text(0), ""});
        }
        // The stores of the region, not only the chosen one: the navigation offers its siblings.
        sql::QueryBuilder select_stores(
            "SELECT k.store_id, coalesce(s.name, ''), coalesce(s.time_zone, 'UTC') FROM (SELECT DISTINCT store_id FROM "
            "kiosks");
        if (filter.region) select_stores << " WHERE region = " << select_stores.bind(*filter.region);
        select_stores << ") k LEFT JOIN stores s ON s.store_id = k.store_id ORDER BY k.store_id" << order;
        auto store_rows = select_stores.query(db);
        while (store_rows->next()) places.stores.push_back({store_rows->text(0), store_rows->text(1), store_rows->text(2)});

        if (!stores.empty()) {
            // GROUP BY, not DISTINCT: PostgreSQL orders DISTINCT rows only by what they select, collation included.
            sql::QueryBuilder select_products("SELECT sku FROM rollup_answers");
            where_filter(select_products, stores, filter, /*by_sku=*/false);
            select_products << " AND sku <> '' GROUP BY sku ORDER BY sku" << order;
            auto products = select_products.query(db);
            while (products->next()) places.products.push_back({products->text(0), products->text(0), ""});
        }
        return places;
    });
}

Result<bool> DashboardQueries::store_in_region(const std::string& store_id, const std::string& region) {
    return sql::guarded<bool>("looking up a store's region", [&]() -> Result<bool> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT 1 FROM kiosks WHERE store_id = ?1 AND region = ?2 LIMIT 1", {store_id, region});
        return rows->next();
    });
}

}  // namespace truthpoint::hub
