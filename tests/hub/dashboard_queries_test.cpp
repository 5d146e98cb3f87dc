// The dashboard's reads on both engines: rollup rows put straight into the tables (as ingest leaves them),
// then each view checked — figures, the previous period, misuse, region scope, trend, heat map, rankings
// with small samples, open feedback, kiosk health and the places to choose from.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <tuple>

#include "../../hub/src/local_time.hpp"
#include "support.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"
#include "truthpoint/hub/dashboard_queries.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;

namespace {

struct AnswerRow {
    std::string store_id, local_date, sku, question, answer;
    std::int64_t events = 1;
    bool misuse = false;
};

struct HourRow {
    std::string store_id, local_date;
    int hour = 0;
    std::string sku, reaction;
    std::int64_t events = 1;
    bool misuse = false;
};

struct SessionRow {
    std::string store_id, session_id, sku, kiosk_id, local_date, occurred_at, locale;
    std::optional<int> rating;
    bool verified = false;
    std::string pain_topics;
    std::optional<std::string> comment;
    bool misuse = false;
};

std::string quoted(const std::string& text) { return "'" + text + "'"; }
std::string boolean(bool value) { return value ? "TRUE" : "FALSE"; }

// The fixture's kiosks' regions, by store (fill()).
std::string region_of(const std::string& store_id) { return store_id == "s-3" ? "south" : "north"; }

// rollup_tiers' rows as ingest leaves them beside rollup_answers' and rollup_local_hours' (rollups.hpp):
// tier, place, sku, period, question, answer, misuse → events.
using TierRows = std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, bool>,
                          std::int64_t>;

void insert(const TestDatabase& database, const TierRows& rows) {
    std::ostringstream sql;
    sql << "INSERT INTO rollup_tiers (tier, place, sku, period, question, answer, misuse, events) VALUES ";
    bool first = true;
    for (const auto& [key, events] : rows) {
        const auto& [tier, place, sku, period, question, answer, misuse] = key;
        sql << (first ? "(" : ", (") << quoted(tier) << ", " << quoted(place) << ", " << quoted(sku) << ", "
            << quoted(period) << ", " << quoted(question) << ", " << quoted(answer) << ", " << boolean(misuse) << ", "
            << events << ")";
        first = false;
    }
    sql << " ON CONFLICT (tier, place, sku, question, period, answer, misuse) DO UPDATE SET events = "
           "rollup_tiers.events + excluded.events";
    database.execute(sql.str());
}

// One INSERT per table: TestDatabase::execute runs one statement on a connection of its own.
void insert(const TestDatabase& database, const std::vector<AnswerRow>& rows) {
    TierRows tiers;
    for (const AnswerRow& row : rows) {
        const std::string region = region_of(row.store_id);
        const std::string month = row.local_date.substr(0, 7);
        const auto add = [&](const char* tier, const std::string& place, const std::string& sku, const std::string& period,
                             const std::string& question, const std::string& answer) {
            tiers[{tier, place, sku, period, question, answer, row.misuse}] += row.events;
        };
        const std::string monday = hub::add_days(row.local_date, 1 - hub::iso_weekday(row.local_date));
        add("region_day", region, "", row.local_date, row.question, row.answer);
        add("region_week", region, "", monday, row.question, row.answer);
        add("region_month", region, "", month, row.question, row.answer);
        if (!row.sku.empty()) {
            add("region_product_day", region, row.sku, row.local_date, row.question, row.answer);
            add("region_product_week", region, row.sku, monday, row.question, row.answer);
            add("region_product_month", region, row.sku, month, row.question, row.answer);
            add("product_totals_day", region, row.sku, row.local_date, "events", "");
            add("product_totals_month", region, row.sku, month, "events", "");
        }
        if (row.question != "reaction") continue;
        add("store_totals_day", row.store_id, "", row.local_date, "reaction", row.answer);
        add("store_totals_month", row.store_id, "", month, "reaction", row.answer);
        if (row.sku.empty()) continue;
        add("store_product_totals_day", row.store_id, row.sku, row.local_date, "reaction", row.answer);
        add("store_product_totals_month", row.store_id, row.sku, month, "reaction", row.answer);
        add("product_totals_day", region, row.sku, row.local_date, "reaction", row.answer);
        add("product_totals_month", region, row.sku, month, "reaction", row.answer);
    }
    insert(database, tiers);
    std::ostringstream sql;
    sql << "INSERT INTO rollup_answers (store_id, local_date, sku, question, answer, misuse, events) VALUES ";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const AnswerRow& row = rows[i];
        sql << (i ? ", (" : "(") << quoted(row.store_id) << ", " << quoted(row.local_date) << ", " << quoted(row.sku)
            << ", " << quoted(row.question) << ", " << quoted(row.answer) << ", " << boolean(row.misuse) << ", "
            << row.events << ")";
    }
    database.execute(sql.str());
}

void insert(const TestDatabase& database, const std::vector<HourRow>& rows) {
    TierRows tiers;
    for (const HourRow& row : rows) {
        const std::string hour = (row.hour < 10 ? "0" : "") + std::to_string(row.hour);
        const std::string month = row.local_date.substr(0, 7);
        const std::string weekday_hour = std::to_string(hub::iso_weekday(row.local_date)) + "-" + hour;
        tiers[{"region_hour", region_of(row.store_id), "", row.local_date, hour, row.reaction, row.misuse}] += row.events;
        tiers[{"region_hour_month", region_of(row.store_id), "", month, weekday_hour, row.reaction, row.misuse}] +=
            row.events;
        if (!row.sku.empty()) {
            tiers[{"region_product_hour", region_of(row.store_id), row.sku, row.local_date, hour, row.reaction,
                   row.misuse}] += row.events;
            tiers[{"region_product_hour_month", region_of(row.store_id), row.sku, month, weekday_hour, row.reaction,
                   row.misuse}] += row.events;
        }
    }
    insert(database, tiers);
    std::ostringstream sql;
    sql << "INSERT INTO rollup_local_hours (store_id, local_date, local_hour, sku, reaction, misuse, events) VALUES ";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const HourRow& row = rows[i];
        sql << (i ? ", (" : "(") << quoted(row.store_id) << ", " << quoted(row.local_date) << ", " << row.hour << ", "
            << quoted(row.sku) << ", " << quoted(row.reaction) << ", " << boolean(row.misuse) << ", " << row.events
            << ")";
    }
    database.execute(sql.str());
}

void insert(const TestDatabase& database, const std::vector<SessionRow>& rows) {
    std::ostringstream sql;
    sql << "INSERT INTO feedback_sessions (store_id, session_id, sku, kiosk_id, local_date, occurred_at, locale, "
           "rating, verified, pain_topics, comment, misuse) VALUES ";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const SessionRow& row = rows[i];
        sql << (i ? ", (" : "(") << quoted(row.store_id) << ", " << quoted(row.session_id) << ", " << quoted(row.sku)
            << ", " << quoted(row.kiosk_id) << ", " << quoted(row.local_date) << ", " << quoted(row.occurred_at) << ", "
            << quoted(row.locale) << ", " << (row.rating ? std::to_string(*row.rating) : "NULL") << ", "
            << boolean(row.verified) << ", " << quoted(row.pain_topics) << ", "
            << (row.comment ? quoted(*row.comment) : "NULL") << ", " << boolean(row.misuse) << ")";
    }
    database.execute(sql.str());
}

DashboardFilter north_week() {
    DashboardFilter filter;
    filter.region = "north";
    filter.from = "2026-11-01";  // a Sunday
    filter.to = "2026-11-07";
    return filter;
}

// Three stores in the north (s-1 with a name and Tehran's zone), one in the south, and a week of answers.
void fill(Store& store, const TestDatabase& database) {
    hub_test::enrol(store, "k-n1", "s-1", "north");
    hub_test::enrol(store, "k-n2", "s-2", "north");
    hub_test::enrol(store, "k-n4", "s-4", "north");
    hub_test::enrol(store, "k-s1", "s-3", "south");
    database.execute("INSERT INTO stores (store_id, time_zone, name, updated_at) VALUES "
                     "('s-1', 'Asia/Tehran', 'Harbour', '2026-10-01T00:00:00.000Z')");
    insert(database, std::vector<AnswerRow>{
                         // s-1: 200 answers, index 80.
                         {"s-1", "2026-11-02", "p-1", "reaction", "very_happy", 100},
                         {"s-1", "2026-11-02", "p-1", "reaction", "happy", 80},
                         {"s-1", "2026-11-02", "p-1", "reaction", "unhappy", 20},
                         {"s-1", "2026-11-02", "p-1", "reaction", "very_unhappy", 7, /*misuse=*/true},
                         {"s-1", "2026-11-02", "p-1", "driver", "very_happy/price", 5},
                         {"s-1", "2026-11-02", "p-1", "intent", "buy_now", 4},
                         {"s-1", "2026-11-02", "p-1", "decide_ms", "3000", 3},
                         {"s-1", "2026-11-02", "p-1", "rating", "5", 3},
                         {"s-1", "2026-11-02", "p-1", "rating", "2", 1},
                         {"s-1", "2026-11-02", "p-1", "recommend", "10", 2},
                         {"s-1", "2026-11-02", "p-1", "recommend", "4", 1},
                         {"s-1", "2026-11-02", "p-1", "pain", "checkout", 2},
                         // s-2: three perfect answers.
                         {"s-2", "2026-11-03", "p-2", "reaction", "very_happy", 3},
                         // s-4: 200 poor answers, no product.
                         {"s-4", "2026-11-04", "", "reaction", "unhappy", 100},
                         {"s-4", "2026-11-04", "", "reaction", "very_unhappy", 100},
                         // Outside the week, or in the south.
                         {"s-1", "2026-10-27", "p-1", "reaction", "unhappy", 4},
                         {"s-1", "2026-11-08", "p-1", "reaction", "unhappy", 9},
                         {"s-3", "2026-11-02", "p-3", "reaction", "unhappy", 10},
                     });
}

}  // namespace

TEST_CASE("the dashboard's figures sum the rollups of the filter's stores and days", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);
    DashboardQueries& dashboard = store->dashboard();

    SECTION("the region's week, misuse left out") {
        auto figures = dashboard.figures(north_week());
        REQUIRE(figures);
        CHECK(figures->from == "2026-11-01");
        CHECK(figures->to == "2026-11-07");
        CHECK(figures->fmot.reactions == ReactionCounts{100, 120, 80, 103});
        CHECK(figures->fmot.answers == 403);
        CHECK(*figures->fmot.index == Approx(100.0 * (120 + 160 + 309) / (3 * 403)));
        CHECK(figures->fmot.drivers_by_reaction[3].at(0).answer == "price");
        CHECK(figures->fmot.intents[0] == 4);
        CHECK(figures->fmot.median_ms_to_decide == 3000);
        CHECK(figures->smot.rated == 4);
        CHECK(*figures->smot.average_rating == Approx(17.0 / 4));
        CHECK(*figures->smot.recommend_score == Approx(100.0 * (2 - 1) / 3));
        CHECK(figures->smot.pain.at(0).events == 2);
    }
    SECTION("misuse counted when asked for") {
        DashboardFilter filter = north_week();
        filter.include_misuse = true;
        CHECK(dashboard.figures(filter)->fmot.reactions[0] == 107);
    }
    SECTION("the previous period: the seven days before") {
        auto previous = dashboard.figures(previous_period(north_week()));
        REQUIRE(previous);
        CHECK(previous->from == "2026-10-25");
        CHECK(previous->fmot.reactions == ReactionCounts{0, 4, 0, 0});
    }
    SECTION("a store, a product, another region, every region") {
        DashboardFilter filter = north_week();
        filter.store_id = "s-2";
        CHECK(dashboard.figures(filter)->fmot.answers == 3);
        filter.store_id = "s-3";  // in the south: not in the north's figures
        CHECK(dashboard.figures(filter)->fmot.answers == 0);
        filter.store_id.reset();
        filter.sku = "p-1";
        CHECK(dashboard.figures(filter)->fmot.answers == 200);
        filter.sku.reset();
        filter.region = "south";
        CHECK(dashboard.figures(filter)->fmot.reactions == ReactionCounts{0, 10, 0, 0});
        filter.region.reset();
        CHECK(dashboard.figures(filter)->fmot.answers == 413);
        filter.region = "nowhere";
        auto none = dashboard.figures(filter);
        REQUIRE(none);
        CHECK(none->fmot.answers == 0);
        CHECK_FALSE(none->fmot.index);
    }
    SECTION("a store of two regions: each region counts its own kiosks' answers, the store all of them") {
        hub_test::enrol(*store, "k-s3", "s-1", "south");
        DashboardFilter filter = north_week();
        filter.region = "south";
        CHECK(dashboard.figures(filter)->fmot.answers == 10);  // s-1's came from its kiosk in the north
        filter.store_id = "s-1";
        CHECK(dashboard.figures(filter)->fmot.answers == 200);
        CHECK(dashboard.store_in_region("s-1", "south").value());
        CHECK_FALSE(dashboard.store_in_region("s-2", "south").value());
    }
}

TEST_CASE("the dashboard's trend has a point per day, or per week beyond a month", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);

    auto daily = store->dashboard().trend(north_week());
    REQUIRE(daily);
    REQUIRE(daily->size() == 7);
    CHECK((*daily)[0].starts == "2026-11-01");
    CHECK((*daily)[0].answers == 0);
    CHECK_FALSE((*daily)[0].index);
    CHECK((*daily)[1].starts == "2026-11-02");
    CHECK((*daily)[1].answers == 200);
    CHECK(*(*daily)[1].index == Approx(80));
    CHECK((*daily)[1].rated == 4);
    CHECK((*daily)[1].pains == 2);
    CHECK(*(*daily)[1].recommend_score == Approx(100.0 / 3));
    CHECK((*daily)[2].answers == 3);
    CHECK((*daily)[3].answers == 200);

    // 1 October is a Thursday: its week is read by day, so 30 September stays out of it.
    insert(database, std::vector<AnswerRow>{{"s-2", "2026-09-30", "p-2", "reaction", "happy", 5},
                                            {"s-2", "2026-10-01", "p-2", "reaction", "happy", 6}});
    DashboardFilter quarter = north_week();
    quarter.from = "2026-10-01";
    quarter.to = "2026-11-30";
    auto weekly = store->dashboard().trend(quarter);
    REQUIRE(weekly);
    REQUIRE(weekly->size() == 10);  // the Mondays from 28 September to 30 November
    CHECK(weekly->front().starts == "2026-09-28");
    const auto week_of = [&](const std::string& monday) {
        for (const TrendPoint& point : *weekly) {
            if (point.starts == monday) return point.answers;
        }
        FAIL("no point for " << monday);
        return std::int64_t{-1};
    };
    CHECK(week_of("2026-10-26") == 4);    // 27 October
    CHECK(week_of("2026-11-02") == 412);  // 2 to 4 November, and Sunday 8 November ends that week
    CHECK(week_of("2026-11-09") == 0);
    CHECK(week_of("2026-09-28") == 6);

    quarter.sku = "p-1";
    weekly = store->dashboard().trend(quarter);
    REQUIRE(weekly);
    REQUIRE(weekly->size() == 10);
    CHECK(week_of("2026-11-02") == 209);  // p-1's 200 on 2 November and 9 on Sunday 8 November
    CHECK(week_of("2026-09-28") == 0);
}

TEST_CASE("the dashboard's heat map is by the local weekday and hour", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);
    insert(database, std::vector<HourRow>{
                         {"s-1", "2026-11-02", 9, "p-1", "very_happy", 5},          // Monday 09
                         {"s-1", "2026-11-02", 9, "p-1", "very_unhappy", 4, true},  // misuse
                         {"s-2", "2026-11-01", 23, "p-2", "unhappy", 2},            // Sunday 23
                         {"s-3", "2026-11-02", 9, "p-3", "very_unhappy", 50},       // the south
                         {"s-1", "2026-11-09", 9, "p-1", "happy", 8},               // the week after
                         {"s-1", "2026-10-20", 9, "p-1", "happy", 3},               // Tuesday 09, in October
                     });
    auto heat = store->dashboard().heat_map(north_week());
    REQUIRE(heat);
    REQUIRE(heat->size() == 7 * 24);
    CHECK(heat->front().iso_weekday == 1);
    CHECK(heat->front().hour == 0);
    const HeatCell& monday9 = (*heat)[9];
    CHECK(monday9.iso_weekday == 1);
    CHECK(monday9.hour == 9);
    CHECK(monday9.answers == 5);
    CHECK(*monday9.index == Approx(100));
    const HeatCell& sunday23 = heat->back();
    CHECK(sunday23.iso_weekday == 7);
    CHECK(sunday23.hour == 23);
    CHECK(sunday23.answers == 2);
    CHECK(*sunday23.index == Approx(100.0 / 3));
    std::int64_t total = 0;
    for (const HeatCell& cell : *heat) total += cell.answers;
    CHECK(total == 7);

    DashboardFilter with_misuse = north_week();
    with_misuse.include_misuse = true;
    CHECK(store->dashboard().heat_map(with_misuse)->at(9).answers == 9);

    // A product's heat map over whole months (read by month) and the days before them (read by day).
    DashboardFilter product = north_week();
    product.sku = "p-1";
    product.from = "2026-10-15";
    product.to = "2026-11-30";
    auto product_heat = store->dashboard().heat_map(product);
    REQUIRE(product_heat);
    CHECK(product_heat->at(9).answers == 13);       // Mondays 09: 2 and 9 November
    CHECK(product_heat->at(24 + 9).answers == 3);   // Tuesday 09: 20 October
    total = 0;
    for (const HeatCell& cell : *product_heat) total += cell.answers;
    CHECK(total == 16);
}

TEST_CASE("the dashboard's rankings adjust for small samples", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);

    auto rankings = store->dashboard().rankings(north_week());
    REQUIRE(rankings);
    const double prior = 100.0 * (120 + 160 + 309) / (3 * 403);
    CHECK(*rankings->prior == Approx(prior));
    REQUIRE(rankings->stores.size() == 3);
    const RankingRow& first = rankings->stores[0];
    const RankingRow& second = rankings->stores[1];
    CHECK(first.id == "s-1");  // 200 answers at 80 top 3 answers at 100
    CHECK(first.name == "Harbour");
    CHECK(first.answers == 200);
    CHECK(*first.index == Approx(80));
    CHECK(first.adjusted_index == Approx((200 * 80 + 20 * prior) / 220));
    CHECK(second.id == "s-2");
    CHECK(second.answers == 3);
    CHECK(*second.index == Approx(100));
    CHECK(second.adjusted_index == Approx((300 + 20 * prior) / 23));
    CHECK(rankings->stores[2].id == "s-4");
    CHECK(rankings->stores[2].name.empty());

    // Products: answers without one (s-4's) are left out.
    REQUIRE(rankings->products.size() == 2);
    CHECK(rankings->products[0].id == "p-1");
    CHECK(rankings->products[1].id == "p-2");

    DashboardFilter nowhere = north_week();
    nowhere.region = "nowhere";
    auto empty = store->dashboard().rankings(nowhere);
    REQUIRE(empty);
    CHECK_FALSE(empty->prior);
    CHECK(empty->stores.empty());
}

TEST_CASE("the dashboard's open feedback: the latest comments, by pain topic", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);
    insert(database, std::vector<SessionRow>{
                         {"s-1", "a", "p-1", "k-n1", "2026-11-02", "2026-11-02T08:00:00.000Z", "en", 5, true, "", "Great"},
                         {"s-1", "b", "p-1", "k-n1", "2026-11-03", "2026-11-03T09:00:00.000Z", "fa", 2, false,
                          "checkout,price_x", "<script>alert(1)</script>"},
                         {"s-2", "c", "p-2", "k-n2", "2026-11-04", "2026-11-04T10:00:00.000Z", "ar", std::nullopt, false,
                          "checkout", "queue"},
                         {"s-2", "d", "p-2", "k-n2", "2026-11-05", "2026-11-05T10:00:00.000Z", "en", 4, false, "", std::nullopt},
                         {"s-1", "e", "p-1", "k-n1", "2026-11-05", "2026-11-05T11:00:00.000Z", "en", 1, false, "", "spam",
                          /*misuse=*/true},
                         {"s-3", "f", "p-3", "k-s1", "2026-11-05", "2026-11-05T12:00:00.000Z", "tr", 3, false, "", "south"},
                         {"s-1", "g", "p-1", "k-n1", "2026-11-06", "2026-11-06T07:00:00.000Z", "el", 3, false,
                          "check,priceyx", "partial"},
                         {"s-1", "h", "p-1", "k-n1", "2026-11-09", "2026-11-09T07:00:00.000Z", "en", 3, false, "", "later"},
                     });
    DashboardQueries& dashboard = store->dashboard();
    const auto sessions = [](const std::vector<FeedbackRow>& rows) {
        std::string out;
        for (const FeedbackRow& row : rows) out += row.comment.substr(0, 1);
        return out;
    };

    auto all = dashboard.feedback(north_week(), std::nullopt, 50);
    REQUIRE(all);
    CHECK(sessions(*all) == "pq<G");  // newest first; no comment, misuse, the south, next week: left out
    const FeedbackRow& b = (*all)[2];
    CHECK(b.comment == "<script>alert(1)</script>");
    CHECK(b.store_id == "s-1");
    CHECK(b.sku == "p-1");
    CHECK(b.kiosk_id == "k-n1");
    CHECK(b.locale == "fa");
    CHECK(b.local_date == "2026-11-03");
    CHECK(b.occurred_at == core::parse_rfc3339("2026-11-03T09:00:00.000Z").value());
    CHECK(b.rating == 2);
    CHECK_FALSE(b.verified);
    CHECK(b.pain_topics == std::vector<std::string>{"checkout", "price_x"});
    CHECK((*all)[3].verified);
    CHECK_FALSE((*all)[1].rating);

    CHECK(sessions(dashboard.feedback(north_week(), std::nullopt, 2).value()) == "pq");
    CHECK(sessions(dashboard.feedback(north_week(), std::string("checkout"), 50).value()) == "q<");
    CHECK(sessions(dashboard.feedback(north_week(), std::string("check"), 50).value()) == "p");
    CHECK(sessions(dashboard.feedback(north_week(), std::string("price_x"), 50).value()) == "<");  // '_' is no wildcard
    CHECK(sessions(dashboard.feedback(north_week(), std::string("quality"), 50).value()).empty());

    DashboardFilter with_misuse = north_week();
    with_misuse.include_misuse = true;
    with_misuse.store_id = "s-1";
    CHECK(sessions(dashboard.feedback(with_misuse, std::nullopt, 50).value()) == "ps<G");

    // The period's first and last minutes on the clocks farthest from UTC (+14:00 and -12:00) are in it, and
    // so is a period long past, with newer comments after it.
    insert(database, std::vector<SessionRow>{
                         {"s-2", "i", "p-2", "k-n2", "2026-11-01", "2026-10-31T10:00:00.000Z", "en", 4, false, "", "Kiritimati"},
                         {"s-2", "j", "p-2", "k-n2", "2026-11-07", "2026-11-08T11:59:00.000Z", "en", 4, false, "", "Baker Island"},
                         {"s-2", "k", "p-2", "k-n2", "2026-10-31", "2026-10-31T09:59:00.000Z", "en", 4, false, "", "before"},
                         {"s-2", "l", "p-2", "k-n2", "2026-11-08", "2026-11-08T12:00:00.000Z", "en", 4, false, "", "after"},
                     });
    CHECK(sessions(dashboard.feedback(north_week(), std::nullopt, 50).value()) == "Bpq<GK");
    DashboardFilter last_year = north_week();
    last_year.from = "2025-11-01";
    last_year.to = "2025-11-30";
    insert(database, std::vector<SessionRow>{
                         {"s-1", "m", "p-1", "k-n1", "2025-11-20", "2025-11-20T08:00:00.000Z", "en", 5, false, "", "Then"}});
    CHECK(sessions(dashboard.feedback(last_year, std::nullopt, 2).value()) == "T");
}

TEST_CASE("the dashboard's kiosk health: last contact, latest heartbeat, silent kiosks", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);
    const auto now = core::parse_rfc3339("2026-11-07T12:00:00.000Z").value();
    database.execute("UPDATE kiosks SET last_seen_at = '2026-11-07T11:55:00.000Z' WHERE id = 'k-n1'");
    database.execute("UPDATE kiosks SET last_seen_at = '2026-11-07T11:00:00.000Z' WHERE id = 'k-n2'");
    database.execute("INSERT INTO kiosk_heartbeats (kiosk_id, store_id, occurred_at, received_at, pending, quarantined, "
                     "oldest_pending_s, version) VALUES ('k-n1', 's-1', '2026-11-07T11:54:00.000Z', "
                     "'2026-11-07T11:55:00.000Z', 12, 1, 300, '1.4.0')");
    REQUIRE(store->revoke_kiosk("k-n4", now));

    auto kiosks = store->dashboard().kiosks(north_week(), now);
    REQUIRE(kiosks);
    REQUIRE(kiosks->size() == 3);
    const KioskHealthRow& n1 = (*kiosks)[0];
    CHECK(n1.kiosk_id == "k-n1");
    CHECK(n1.store_id == "s-1");
    CHECK(n1.last_contact == core::parse_rfc3339("2026-11-07T11:55:00.000Z"));
    CHECK(n1.last_heartbeat == core::parse_rfc3339("2026-11-07T11:54:00.000Z"));
    CHECK(n1.pending == 12);
    CHECK(n1.quarantined == 1);
    CHECK(n1.oldest_pending_s == 300);
    CHECK(n1.version == "1.4.0");
    CHECK_FALSE(n1.revoked);
    CHECK_FALSE(n1.silent);
    const KioskHealthRow& n2 = (*kiosks)[1];
    CHECK(n2.kiosk_id == "k-n2");
    CHECK(n2.silent);  // an hour without contact
    CHECK_FALSE(n2.last_heartbeat);
    CHECK(n2.version.empty());
    CHECK_FALSE(n2.oldest_pending_s);
    const KioskHealthRow& n4 = (*kiosks)[2];
    CHECK(n4.revoked);
    CHECK_FALSE(n4.silent);  // revoked: expected quiet
    CHECK_FALSE(n4.last_contact);

    DashboardFilter one_store;
    one_store.store_id = "s-3";
    auto south = store->dashboard().kiosks(one_store, now);
    REQUIRE(south);
    REQUIRE(south->size() == 1);
    CHECK(south->front().kiosk_id == "k-s1");
    CHECK(south->front().silent);  // never seen
}

TEST_CASE("the dashboard's places: regions, the region's stores, the products answered", "[hub][dashboard][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    fill(*store, database);
    const auto ids = [](const std::vector<PlaceChoice>& places) {
        std::vector<std::string> out;
        for (const PlaceChoice& place : places) out.push_back(place.id);
        return out;
    };

    auto admin = store->dashboard().places(north_week(), std::nullopt);
    REQUIRE(admin);
    CHECK(ids(admin->regions) == std::vector<std::string>{"north", "south"});
    CHECK(ids(admin->stores) == std::vector<std::string>{"s-1", "s-2", "s-4"});
    CHECK(admin->stores[0].name == "Harbour");
    CHECK(admin->stores[0].time_zone == "Asia/Tehran");
    CHECK(admin->stores[1].time_zone == "UTC");  // no zone set: the rollups used UTC
    CHECK(ids(admin->products) == std::vector<std::string>{"p-1", "p-2"});

    auto manager = store->dashboard().places(north_week(), std::string("north"));
    REQUIRE(manager);
    CHECK(ids(manager->regions) == std::vector<std::string>{"north"});

    DashboardFilter everything = north_week();
    everything.region.reset();
    everything.sku = "p-2";  // the products offered do not narrow to the chosen one
    auto all = store->dashboard().places(everything, std::nullopt);
    REQUIRE(all);
    CHECK(ids(all->stores) == std::vector<std::string>{"s-1", "s-2", "s-3", "s-4"});
    CHECK(ids(all->products) == std::vector<std::string>{"p-1", "p-2", "p-3"});
}
