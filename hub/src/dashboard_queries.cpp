// The dashboard's reads, once for both engines (see dashboard_queries.hpp).
#include "truthpoint/hub/dashboard_queries.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "local_time.hpp"
#include "rollups.hpp"
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
                  bool by_sku = true, const char* store_column = "store_id") {
    statement << " WHERE " << store_column << " IN (";
    for (std::size_t i = 0; i < stores.size(); ++i) statement << (i ? ", " : "") << statement.bind(stores[i]);
    statement << ") AND local_date >= " << statement.bind(filter.from) << " AND local_date <= " << statement.bind(filter.to);
    if (by_sku && filter.sku) statement << " AND sku = " << statement.bind(*filter.sku);
    // misuse is a boolean on PostgreSQL, 0 or 1 on SQLite: NOT reads both.
    if (!filter.include_misuse) statement << " AND NOT misuse";
}

// The regions a filter without a store covers: its own, or every region a kiosk is in ('' included).
std::vector<std::string> regions_of(sql::Connection& db, const DashboardFilter& filter) {
    if (filter.region) return {*filter.region};
    auto rows = db.query("SELECT DISTINCT region FROM kiosks");
    std::vector<std::string> regions;
    while (rows->next()) regions.push_back(rows->text(0));
    return regions;
}

// Where a filter's answers are read: one store (and within it a product) from rollup_answers and
// rollup_local_hours, whose keys start with the store; a region or the chain from the region tiers of
// rollup_tiers, a few rows a region and day instead of one per store, product and day.
struct Scope {
    std::vector<std::string> stores;   // the filter's stores
    std::vector<std::string> regions;  // when the filter names no store: the regions it covers
    bool by_store() const { return regions.empty(); }
    bool empty() const { return stores.empty() && regions.empty(); }
};

// " (..)" of `values`, bound.
void bind_list(sql::QueryBuilder& statement, const std::vector<std::string>& values) {
    statement << " (";
    for (std::size_t i = 0; i < values.size(); ++i) statement << (i ? ", " : "") << statement.bind(values[i]);
    statement << ")";
}

// " WHERE tier = .. AND place IN (..) AND sku IN (..) AND question IN (..) AND period BETWEEN .." for
// rollup_tiers, whose key is in that order: both engines read only the ranges of the places, products,
// questions and days asked.
template <typename Questions>
void where_tier(sql::QueryBuilder& statement, std::string_view tier, const std::vector<std::string>& places,
                const std::vector<std::string>& skus, const Questions& questions, std::string_view from,
                std::string_view to, bool include_misuse) {
    statement << " WHERE tier = " << statement.bind(std::string(tier)) << " AND place IN";
    bind_list(statement, places);
    statement << " AND sku IN";
    bind_list(statement, skus);
    statement << " AND question IN";
    bind_list(statement, std::vector<std::string>(std::begin(questions), std::end(questions)));
    statement << " AND period >= " << statement.bind(std::string(from)) << " AND period <= "
              << statement.bind(std::string(to));
    if (!include_misuse) statement << " AND NOT misuse";
}

std::string first_of_next_month(std::string_view day) {
    int year = std::stoi(std::string(day.substr(0, 4)));
    int month = std::stoi(std::string(day.substr(5, 2))) + 1;
    if (month == 13) {
        month = 1;
        ++year;
    }
    char text[32];  // room for any int, as the compiler checks
    std::snprintf(text, sizeof text, "%04d-%02d-01", year, month);
    return text;
}

// Reads [from, to] as the whole weeks or months in it, [first_whole, after_last_whole), from `span_tier`,
// where their periods run from `first_span` to `last_span`, and the days at either end from `day_tier`:
// `read(tier, first period, last period)`, both ends included.
template <typename Read>
void read_by_spans(const std::string& from, const std::string& to, const std::string& first_whole,
                   const std::string& after_last_whole, std::string_view day_tier, std::string_view span_tier,
                   const std::string& first_span, const std::string& last_span, Read&& read) {
    if (first_whole >= after_last_whole) {
        read(day_tier, from, to);
        return;
    }
    read(span_tier, first_span, last_span);
    if (from < first_whole) read(day_tier, from, add_days(first_whole, -1));
    if (after_last_whole <= to) read(day_tier, after_last_whole, to);
}

// [from, to] as whole months ('YYYY-MM' periods) and the days at either end, so that a year reads twelve
// month rows and a few days.
template <typename Read>
void read_by_months(const std::string& from, const std::string& to, std::string_view day_tier,
                    std::string_view month_tier, Read&& read) {
    const std::string first_whole = from.substr(8, 2) == "01" ? from : first_of_next_month(from);
    const std::string next_after_to = add_days(to, 1);
    const std::string after_last_whole = next_after_to.substr(8, 2) == "01" ? next_after_to : to.substr(0, 8) + "01";
    read_by_spans(from, to, first_whole, after_last_whole, day_tier, month_tier, first_whole.substr(0, 7),
                  add_days(after_last_whole, -1).substr(0, 7), read);
}

// [from, to] as whole ISO weeks (periods: their Mondays) and the days at either end.
template <typename Read>
void read_by_weeks(const std::string& from, const std::string& to, std::string_view day_tier,
                   std::string_view week_tier, Read&& read) {
    const std::string first_whole = add_days(from, (8 - iso_weekday(from)) % 7);  // the first Monday from `from`
    const std::string next_after_to = add_days(to, 1);
    const std::string after_last_whole = add_days(next_after_to, 1 - iso_weekday(next_after_to));
    read_by_spans(from, to, first_whole, after_last_whole, day_tier, week_tier, first_whole,
                  add_days(after_last_whole, -7), read);
}

// Calls `each(rows)` for (place or sku, answer, events) rows of a _totals_ tier pair over the filter's period:
// `key` is the column the rows are grouped by.
template <typename Each>
void read_totals(sql::Connection& db, std::string_view day_tier, std::string_view month_tier,
                 const std::vector<std::string>& places, const std::vector<std::string>& skus, std::string_view question,
                 const char* key, const DashboardFilter& filter, Each&& each) {
    if (places.empty() || skus.empty()) return;
    read_by_months(filter.from, filter.to, day_tier, month_tier, [&](std::string_view tier, const std::string& from,
                                                                      const std::string& to) {
        sql::QueryBuilder select(std::string("SELECT ") + key + ", answer, sum(events) FROM rollup_tiers");
        where_tier(select, tier, places, skus, std::vector<std::string>{std::string(question)}, from, to,
                   filter.include_misuse);
        select << " GROUP BY " << key << ", answer";
        auto rows = select.query(db);
        each(*rows);
    });
}

// Every product the scope's regions ever had events of, from the product months (a few rows a product and
// month): the ranges the day tiers are then read in.
std::vector<std::string> region_products(sql::Connection& db, const Scope& scope) {
    sql::QueryBuilder select("SELECT DISTINCT sku FROM rollup_tiers WHERE tier = ");
    select << select.bind(std::string(tier::kProductTotalsMonth)) << " AND place IN";
    bind_list(select, scope.regions);
    auto rows = select.query(db);
    std::vector<std::string> skus;
    while (rows->next()) skus.push_back(rows->text(0));
    return skus;
}

// The questions the trend reads.
const std::vector<std::string> kTrendQuestions = {"reaction", "rating", "recommend", "pain"};

// "09" → 9; -1 for anything else.
std::int64_t hour_of(const std::string& text) {
    if (text.size() != 2 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
        !std::isdigit(static_cast<unsigned char>(text[1]))) {
        return -1;
    }
    return (text[0] - '0') * 10 + (text[1] - '0');
}

// Runs `body(db, scope)` on a read snapshot of rollups that count every event stored before, with the
// filter's stores and regions resolved.
template <typename T, typename Body>
Result<T> with_scope(sql::Database& database, const char* what, const DashboardFilter& filter, Body&& body) {
    if (auto caught_up = catch_up_rollups_of(database); !caught_up) return caught_up.error();
    return sql::guarded<T>(what, [&]() -> Result<T> {
        auto db = database.lend(sql::Access::Read);
        sql::Transaction snapshot(*db, sql::Intent::ReadSnapshot);
        Scope scope;
        scope.stores = stores_of(*db, filter);
        if (!filter.store_id) scope.regions = regions_of(*db, filter);
        T result = body(*db, scope);
        snapshot.commit();
        return result;
    });
}

using ReactionsById = std::map<std::string, ReactionCounts>;

// Rows (id, reaction, events) added per id.
void add_reactions(sql::Rows& rows, ReactionsById& by_id) {
    while (rows.next()) {
        const auto reaction = core::parse_reaction(rows.text(1));
        if (reaction) by_id[rows.text(0)][static_cast<std::size_t>(*reaction)] += rows.integer(2);
    }
}

// Reactions per id as ranking rows, not yet ordered; `names` gives the ids' names, `total` (if given) sums
// every row.
std::vector<RankingRow> ranking(const ReactionsById& by_id, const std::map<std::string, std::string>& names,
                                ReactionCounts* total) {
    if (total) {
        for (const auto& [id, reactions] : by_id) {
            for (std::size_t i = 0; i < reactions.size(); ++i) (*total)[i] += reactions[i];
        }
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
    return with_scope<PeriodFigures>(database_, "computing the dashboard's figures", filter,
                                     [&](sql::Connection& db, const Scope& scope) {
        FigureTally tally;
        const auto add = [&](sql::QueryBuilder& select) {
            select << " GROUP BY question, answer";
            auto rows = select.query(db);
            while (rows->next()) tally.add(rows->text(0), rows->text(1), rows->integer(2));
        };
        if (scope.empty()) {
        } else if (scope.by_store()) {
            sql::QueryBuilder select("SELECT question, answer, sum(events) FROM rollup_answers");
            where_filter(select, scope.stores, filter);
            add(select);
        } else {
            read_by_months(filter.from, filter.to, filter.sku ? tier::kRegionProductDay : tier::kRegionDay,
                           filter.sku ? tier::kRegionProductMonth : tier::kRegionMonth,
                           [&](std::string_view tier, const std::string& from, const std::string& to) {
                               sql::QueryBuilder select("SELECT question, answer, sum(events) FROM rollup_tiers");
                               where_tier(select, tier, scope.regions, {filter.sku.value_or("")}, kAnswerQuestions,
                                          from, to, filter.include_misuse);
                               add(select);
                           });
        }
        return tally.period(filter.from, filter.to);
    });
}

Result<std::vector<TrendPoint>> DashboardQueries::trend(const DashboardFilter& filter) {
    return with_scope<std::vector<TrendPoint>>(database_, "computing the dashboard's trend", filter,
                                               [&](sql::Connection& db, const Scope& scope) {
        const std::vector<std::string> starts = trend_starts(filter);
        std::map<std::string, FigureTally> tallies;
        for (const std::string& start : starts) tallies[start];
        const bool weekly = trend_step(filter) == "week";
        if (!scope.empty()) {
            sql::QueryBuilder select;
            // Rows (local day, or a week's Monday, question, answer, events).
            const auto add = [&](sql::QueryBuilder& select) {
                auto rows = select.query(db);
                while (rows->next()) {
                    const std::string day = rows->text(0);
                    if (!is_local_date(day)) continue;
                    const auto tally = tallies.find(weekly ? add_days(day, 1 - iso_weekday(day)) : day);
                    if (tally != tallies.end()) tally->second.add(rows->text(1), rows->text(2), rows->integer(3));
                }
            };
            if (scope.by_store()) {
                sql::QueryBuilder select("SELECT local_date, question, answer, sum(events) FROM rollup_answers");
                where_filter(select, scope.stores, filter);
                select << " AND question IN ('reaction', 'rating', 'recommend', 'pain') GROUP BY 1, question, answer";
                add(select);
            } else {
                const auto read = [&](std::string_view tier, const std::string& from, const std::string& to) {
                    sql::QueryBuilder select("SELECT period, question, answer, sum(events) FROM rollup_tiers");
                    where_tier(select, tier, scope.regions, {filter.sku.value_or("")}, kTrendQuestions, from, to,
                               filter.include_misuse);
                    select << " GROUP BY period, question, answer";
                    add(select);
                };
                // By week, the whole weeks come from the week tiers: a year is 52 rows an answer, not 365.
                const std::string_view day_tier = filter.sku ? tier::kRegionProductDay : tier::kRegionDay;
                if (weekly) {
                    read_by_weeks(filter.from, filter.to, day_tier,
                                  filter.sku ? tier::kRegionProductWeek : tier::kRegionWeek, read);
                } else {
                    read(day_tier, filter.from, filter.to);
                }
            }
        }
        std::vector<TrendPoint> points;
        for (const std::string& start : starts) points.push_back(tallies[start].trend_point(start));
        return points;
    });
}

Result<std::vector<HeatCell>> DashboardQueries::heat_map(const DashboardFilter& filter) {
    return with_scope<std::vector<HeatCell>>(database_, "computing the dashboard's heat map", filter,
                                             [&](sql::Connection& db, const Scope& scope) {
        std::array<ReactionCounts, 7 * 24> cells{};
        // Rows (local day, hour, reaction, events), or (month, "D-HH", reaction, events) from region_hour_month.
        const auto add = [&](sql::QueryBuilder& select, bool by_hour_number) {
            auto rows = select.query(db);
            while (rows->next()) {
                const std::string period = rows->text(0);
                const auto reaction = core::parse_reaction(rows->text(2));
                if (!reaction) continue;
                int weekday = 0;
                std::int64_t hour = -1;
                if (by_hour_number) {
                    hour = rows->integer(1);
                } else if (const std::string question = rows->text(1); question.size() == 4 && question[1] == '-') {
                    weekday = question[0] - '0';  // "1-09"
                    hour = hour_of(question.substr(2));
                } else {
                    hour = hour_of(question);  // "09"
                }
                if (weekday == 0 && is_local_date(period)) weekday = iso_weekday(period);
                if (weekday < 1 || weekday > 7 || hour < 0 || hour > 23) continue;
                cells[static_cast<std::size_t>((weekday - 1) * 24 + hour)][static_cast<std::size_t>(*reaction)] +=
                    rows->integer(3);
            }
        };
        if (scope.empty()) {
        } else if (scope.by_store()) {
            sql::QueryBuilder select("SELECT local_date, local_hour, reaction, sum(events) FROM rollup_local_hours");
            where_filter(select, scope.stores, filter);
            select << " GROUP BY local_date, local_hour, reaction";
            add(select, true);
        } else {
            // The region tiers keep the hour as the question ("09", by month "1-09") and the reaction as the answer.
            static const std::vector<std::string> hours = [] {
                std::vector<std::string> all;
                for (int hour = 0; hour < 24; ++hour) all.push_back(hour_label(hour));
                return all;
            }();
            static const std::vector<std::string> weekday_hours = [] {
                std::vector<std::string> all;
                for (int day = 1; day <= 7; ++day) {
                    for (int hour = 0; hour < 24; ++hour) all.push_back(weekday_hour_label(day, hour));
                }
                return all;
            }();
            const auto read = [&](std::string_view tier, const std::string& from, const std::string& to) {
                sql::QueryBuilder select("SELECT period, question, answer, sum(events) FROM rollup_tiers");
                const bool by_month = tier == tier::kRegionHourMonth || tier == tier::kRegionProductHourMonth;
                where_tier(select, tier, scope.regions, {filter.sku.value_or("")}, by_month ? weekday_hours : hours,
                           from, to, filter.include_misuse);
                select << " GROUP BY period, question, answer";
                add(select, false);
            };
            read_by_months(filter.from, filter.to, filter.sku ? tier::kRegionProductHour : tier::kRegionHour,
                           filter.sku ? tier::kRegionProductHourMonth : tier::kRegionHourMonth, read);
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
    return with_scope<DashboardRankings>(database_, "ranking the dashboard's stores and products", filter,
                                         [&](sql::Connection& db, const Scope& scope) {
        DashboardRankings rankings;
        const std::vector<std::string>& stores = scope.stores;
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
        ReactionsById by_store;
        const auto add_stores = [&](sql::Rows& rows) { add_reactions(rows, by_store); };
        if (filter.sku) {
            read_totals(db, tier::kStoreProductTotalsDay, tier::kStoreProductTotalsMonth, stores, {*filter.sku},
                        "reaction", "place", filter, add_stores);
        } else {
            read_totals(db, tier::kStoreTotalsDay, tier::kStoreTotalsMonth, stores, {""}, "reaction", "place", filter,
                        add_stores);
        }
        rankings.stores = ranking(by_store, names, &total);
        rankings.prior = reaction_index(total);
        if (!rankings.prior) return rankings;

        ReactionsById by_product;
        if (scope.by_store()) {
            sql::QueryBuilder select("SELECT sku, answer, sum(events) FROM rollup_answers");
            where_filter(select, stores, filter);
            select << " AND question = 'reaction' AND sku <> '' GROUP BY sku, answer";
            auto rows = select.query(db);
            add_reactions(*rows, by_product);
        } else {
            const std::vector<std::string> skus = filter.sku ? std::vector<std::string>{*filter.sku} : region_products(db, scope);
            read_totals(db, tier::kProductTotalsDay, tier::kProductTotalsMonth, scope.regions, skus, "reaction", "sku",
                        filter, [&](sql::Rows& rows) { add_reactions(rows, by_product); });
        }
        rankings.products = ranking(by_product, {}, nullptr);
        order_ranking(rankings.stores, *rankings.prior);
        order_ranking(rankings.products, *rankings.prior);
        return rankings;
    });
}

Result<std::vector<FeedbackRow>> DashboardQueries::feedback(const DashboardFilter& filter,
                                                            const std::optional<std::string>& pain_topic,
                                                            std::size_t limit) {
    return with_scope<std::vector<FeedbackRow>>(database_, "reading the dashboard's open feedback", filter,
                                                [&](sql::Connection& db, const Scope& scope) {
        const std::vector<std::string>& stores = scope.stores;
        std::vector<FeedbackRow> feedback;
        if (stores.empty() || limit == 0) return feedback;
        sql::QueryBuilder select("SELECT " + db.time_column("occurred_at") +
                         ", local_date, store_id, sku, kiosk_id, locale, rating, "
                         "CASE WHEN verified THEN 1 ELSE 0 END, pain_topics, comment FROM feedback_sessions");
        // A region's or the chain's latest comments are found newest first along feedback_comments_by_time,
        // stopping at `limit`; the index on the store and day would read and sort every comment of the
        // period. `store_id || ''` keeps both engines' planners off the latter (an expression no index holds).
        where_filter(select, stores, filter, /*by_sku=*/true, scope.by_store() ? "store_id" : "(store_id || '')");
        // The instants the period's local days can hold on any clock (UTC-12 to UTC+14), so that the index
        // is read from the period's end: a planner cannot know that the day follows the instant, and would
        // otherwise read every comment held, or all of the newest that fall after a past period.
        const TimeZone utc = TimeZone::utc();
        select << " AND occurred_at >= " << select.bind(utc.day_starts(filter.from) - std::chrono::hours(14))
               << " AND occurred_at < " << select.bind(utc.day_starts(add_days(filter.to, 1)) + std::chrono::hours(12));
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
    if (auto caught_up = catch_up_rollups_of(database_); !caught_up) return caught_up.error();  // the heartbeats
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
    return with_scope<DashboardPlaces>(database_, "listing the dashboard's places", filter,
                                       [&](sql::Connection& db, const Scope& scope) {
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

        if (scope.by_store() && !scope.stores.empty()) {
            // GROUP BY, not DISTINCT: PostgreSQL orders DISTINCT rows only by what they select, collation included.
            sql::QueryBuilder select_products("SELECT sku FROM rollup_answers");
            where_filter(select_products, scope.stores, filter, /*by_sku=*/false);
            select_products << " AND sku <> '' GROUP BY sku ORDER BY sku" << order;
            auto products = select_products.query(db);
            while (products->next()) places.products.push_back({products->text(0), products->text(0), ""});
        } else if (!scope.by_store()) {
            // The products with events in the period (a zone change can leave a count at 0).
            std::map<std::string, std::int64_t> events;
            read_totals(db, tier::kProductTotalsDay, tier::kProductTotalsMonth, scope.regions, region_products(db, scope),
                        "events", "sku", filter, [&](sql::Rows& rows) {
                            while (rows.next()) events[rows.text(0)] += rows.integer(2);
                        });
            std::vector<std::string> skus;
            for (const auto& [sku, count] : events) {
                if (count != 0) skus.push_back(sku);
            }
            // std::map orders by bytes, as byte_order() has both engines do.
            for (const std::string& sku : skus) places.products.push_back({sku, sku, ""});
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

Result<std::string> DashboardQueries::today(const DashboardFilter& filter, core::Timestamp now) {
    return sql::guarded<std::string>("looking up the stores' time zone", [&]() -> Result<std::string> {
        auto db = database_.lend(sql::Access::Read);
        sql::QueryBuilder select("SELECT DISTINCT coalesce(s.time_zone, 'UTC') FROM kiosks k LEFT JOIN stores s ON "
                                 "s.store_id = k.store_id WHERE 1 = 1");
        if (filter.region) select << " AND k.region = " << select.bind(*filter.region);
        if (filter.store_id) select << " AND k.store_id = " << select.bind(*filter.store_id);
        select << " LIMIT 2";
        auto rows = select.query(*db);
        std::vector<std::string> zones;
        while (rows->next()) zones.push_back(rows->text(0));
        if (zones.size() != 1) return utc_date(now);
        auto zone = TimeZone::named(zones.front());  // `store set` checked it; a zone database update may not know it
        return zone ? zone->local(now).date : utc_date(now);
    });
}

}  // namespace truthpoint::hub
