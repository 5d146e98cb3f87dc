// The dashboard's arithmetic without storage: figures from (question, answer) counts, the index, the
// ranking's adjustment, the filter's calendar.
#include <catch2/catch.hpp>

#include <algorithm>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/vocabulary.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"

using namespace truthpoint::hub;

namespace {

DashboardFilter days(const std::string& from, const std::string& to) {
    DashboardFilter filter;
    filter.from = from;
    filter.to = to;
    return filter;
}

}  // namespace

TEST_CASE("the index puts the four faces at 0, 1/3, 2/3 and 1", "[hub][dashboard]") {
    CHECK_FALSE(reaction_index({0, 0, 0, 0}));
    CHECK(*reaction_index({0, 0, 0, 7}) == Approx(100));
    CHECK(*reaction_index({7, 0, 0, 0}) == Approx(0));
    CHECK(*reaction_index({1, 1, 1, 1}) == Approx(50));
    CHECK(*reaction_index({0, 3, 0, 0}) == Approx(100.0 / 3));
    CHECK(*reaction_index({20, 20, 80, 100}) == Approx(100.0 * (20 + 160 + 300) / (3 * 220)));
}

TEST_CASE("the adjusted index leans small samples toward the prior", "[hub][dashboard]") {
    CHECK(adjusted_index(0, std::nullopt, 55) == Approx(55));
    CHECK(adjusted_index(3, 100.0, 50) == Approx((300 + 20 * 50) / 23.0));
    CHECK(adjusted_index(200, 80.0, 50) == Approx((200 * 80 + 20 * 50) / 220.0));
    // Three perfect answers stay below two hundred good ones.
    CHECK(adjusted_index(3, 100.0, 50) < adjusted_index(200, 80.0, 50));
}

TEST_CASE("a tally of rollup rows gives the moments' figures", "[hub][dashboard]") {
    FigureTally tally;
    tally.add("reaction", "very_happy", 3);
    tally.add("reaction", "happy", 1);
    tally.add("reaction", "very_happy", 1);  // split rows add up
    tally.add("reaction", "neutral", 9);      // not a face: left out
    tally.add("driver", "very_happy/price", 2);
    tally.add("driver", "very_happy/brand", 5);
    tally.add("driver", "unhappy/price", 1);
    tally.add("driver", "unknown/habit", 4);
    tally.add("intent", "buy_now", 4);
    tally.add("intent", "not_buying", 2);
    tally.add("why_not", "price", 1);
    tally.add("why_not", "comparing", 1);
    tally.add("decide_ms", "2000", 3);
    tally.add("decide_ms", "1000", 1);
    tally.add("decide_ms", "more", 2);
    tally.add("shelf", "picked_up", 5);
    tally.add("shelf", "put_back", 2);
    tally.add("shelf", "asked_for_help", 1);
    tally.add("rating", "5", 3);
    tally.add("rating", "4", 1);
    tally.add("rating", "6", 1);  // out of range: left out
    tally.add("verified", "yes", 2);
    tally.add("verified", "no", 2);
    tally.add("expectations", "met", 3);
    tally.add("recommend", "10", 2);
    tally.add("recommend", "9", 1);
    tally.add("recommend", "8", 1);
    tally.add("recommend", "3", 1);
    tally.add("glory", "quality", 2);
    tally.add("pain", "checkout", 1);
    tally.add("pain", "freshness", 3);
    tally.add("review", "shared", 1);
    tally.add("sorry", "card", 1);
    tally.add("sorry", "apology", 2);
    tally.add("unknown_question", "x", 100);

    const PeriodFigures figures = tally.period("2026-11-01", "2026-11-07");
    CHECK(figures.from == "2026-11-01");
    CHECK(figures.to == "2026-11-07");
    const FmotFigures& fmot = figures.fmot;
    CHECK(fmot.reactions == ReactionCounts{0, 0, 1, 4});
    CHECK(fmot.answers == 5);
    CHECK(*fmot.index == Approx(100.0 * (2 + 12) / 15));
    REQUIRE(fmot.drivers_by_reaction[3].size() == 2);
    CHECK(fmot.drivers_by_reaction[3][0].answer == "brand");  // most named first
    CHECK(fmot.drivers_by_reaction[3][0].events == 5);
    CHECK(fmot.drivers_by_reaction[1].size() == 1);
    CHECK(fmot.drivers_by_reaction[0].empty());
    REQUIRE(fmot.drivers_without_reaction.size() == 1);
    CHECK(fmot.drivers_without_reaction[0].answer == "habit");
    CHECK(fmot.intents == std::array<std::int64_t, 3>{4, 0, 2});
    REQUIRE(fmot.why_not.size() == 2);
    CHECK(fmot.why_not[0].answer == "comparing");  // equal counts: by name
    CHECK(fmot.timed_decisions == 6);
    CHECK(fmot.median_ms_to_decide == 2000);  // the 3rd of 6 lies in the 2000 bucket
    CHECK(fmot.shelf == std::array<std::int64_t, 6>{5, 2, 0, 0, 0, 1});

    const SmotFigures& smot = figures.smot;
    CHECK(smot.ratings == std::array<std::int64_t, 5>{0, 0, 0, 1, 3});
    CHECK(smot.rated == 4);
    CHECK(*smot.average_rating == Approx(4.75));
    CHECK(smot.verified == 2);
    CHECK(smot.expectations == std::array<std::int64_t, 3>{0, 3, 0});
    CHECK(smot.promoters == 3);
    CHECK(smot.passives == 1);
    CHECK(smot.detractors == 1);
    CHECK(*smot.recommend_score == Approx(40));
    REQUIRE(smot.pain.size() == 2);
    CHECK(smot.pain[0].answer == "freshness");
    CHECK(smot.glory.size() == 1);
    CHECK(smot.reviews_shared == 1);
    CHECK(smot.sorry_cards == 1);
    CHECK(smot.apologies == 2);

    const TrendPoint point = tally.trend_point("2026-11-02");
    CHECK(point.starts == "2026-11-02");
    CHECK(point.answers == 5);
    CHECK(point.index == fmot.index);
    CHECK(point.rated == 4);
    CHECK(point.recommend_score == smot.recommend_score);
    CHECK(point.pains == 4);
}

TEST_CASE("staff undos take observations back, and a median past the last bucket reads as its start", "[hub][dashboard]") {
    FigureTally tally;
    tally.add("shelf", "picked_up", 3);
    tally.add("shelf", "picked_up", -1);
    tally.add("decide_ms", "1000", 1);
    tally.add("decide_ms", "more", 2);
    CHECK(tally.fmot().shelf[0] == 2);
    CHECK(tally.fmot().median_ms_to_decide == 120000);

    FigureTally empty;
    CHECK_FALSE(empty.fmot().index);
    CHECK_FALSE(empty.fmot().median_ms_to_decide);
    CHECK_FALSE(empty.smot().average_rating);
    CHECK_FALSE(empty.smot().recommend_score);
}

TEST_CASE("a filter's calendar: days, the previous period, the trend's steps", "[hub][dashboard]") {
    CHECK(days_in(days("2026-11-02", "2026-11-01")) == 0);
    CHECK(days_in(days("2026-02-29", "2026-03-01")) == 0);  // not a day
    CHECK(days_in(days("2026-11-01", "2026-11-07")) == 7);
    CHECK(days_in(days("2026-11-01", "2026-11-01")) == 1);

    const DashboardFilter week = previous_period(days("2026-11-01", "2026-11-07"));
    CHECK(week.from == "2026-10-25");
    CHECK(week.to == "2026-10-31");
    const DashboardFilter today = previous_period(days("2026-03-01", "2026-03-01"));
    CHECK(today.from == "2026-02-28");
    CHECK(today.to == "2026-02-28");

    CHECK(trend_step(days("2026-11-01", "2026-12-01")) == "day");  // 31 days
    CHECK(trend_step(days("2026-11-01", "2026-12-02")) == "week");
    const auto daily = trend_starts(days("2026-11-30", "2026-12-02"));
    CHECK(daily == std::vector<std::string>{"2026-11-30", "2026-12-01", "2026-12-02"});
    const auto weekly = trend_starts(days("2026-11-01", "2026-12-15"));
    REQUIRE(weekly.size() == 8);
    CHECK(weekly.front() == "2026-10-26");  // the Monday of the week holding Sunday 1 November
    CHECK(weekly.back() == "2026-12-14");
}

TEST_CASE("the figures' answer names are the kiosk's vocabulary", "[hub][dashboard]") {
    const auto has = [](const auto& names, std::string_view wire) {
        return std::find(names.begin(), names.end(), wire) != names.end();
    };
    for (const auto& answer : truthpoint::core::kShelfObservations) CHECK(has(kShelfNames, answer.wire));
    for (const auto& answer : truthpoint::core::kIntents) CHECK(has(kIntentNames, answer.wire));
    for (const auto& answer : truthpoint::core::kExpectations) CHECK(has(kExpectationNames, answer.wire));
    for (const auto reaction : truthpoint::core::kAllReactions) {
        CHECK(kReactionNames[static_cast<std::size_t>(reaction)] == truthpoint::core::to_string(reaction));
    }
}
