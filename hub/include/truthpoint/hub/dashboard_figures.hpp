// The dashboard's arithmetic, apart from any storage: figures from (question, answer) counts of the rollups,
// the index, the ranking adjusted for small samples, and the calendar of a filter's days. docs/dashboard.md
// gives the formulas.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/hub/dashboard_view.hpp"

namespace truthpoint::hub {

// The answers in the order of dashboard_view.hpp's arrays (ReactionCounts, intents, expectations, shelf).
inline constexpr std::array<std::string_view, 4> kReactionNames = {"very_unhappy", "unhappy", "happy", "very_happy"};
inline constexpr std::array<std::string_view, 3> kIntentNames = {"buy_now", "maybe_later", "not_buying"};
inline constexpr std::array<std::string_view, 3> kExpectationNames = {"below", "met", "beyond"};
inline constexpr std::array<std::string_view, 6> kShelfNames = {"picked_up", "put_back",   "added_to_basket",
                                                                "compared",  "read_label", "asked_for_help"};

// The answers a ranking's prior is worth: a store with n answers is ranked by (n·index + m·prior) / (n + m).
inline constexpr double kRankingPriorAnswers = 20;
// The longest filter the dashboard computes, in days.
inline constexpr int kMaxFilterDays = 400;
// Up to this many days the trend is per day, beyond it per week.
inline constexpr int kMaxDailyTrendDays = 31;

// The index 0-100 of these faces: 100 × (0·very_unhappy + ⅓·unhappy + ⅔·happy + 1·very_happy) / answers;
// nullopt without answers.
std::optional<double> reaction_index(const ReactionCounts& reactions);

// (n·index + m·prior) / (n + m) with m = kRankingPriorAnswers; the prior alone without answers.
double adjusted_index(std::int64_t answers, std::optional<double> index, double prior);

// Sums rollup_answers rows (question, answer, events) into figures; unknown questions and answers are
// left out. Counts may be added in any order and split over several rows.
class FigureTally {
public:
    void add(std::string_view question, std::string_view answer, std::int64_t events);
    FmotFigures fmot() const;
    SmotFigures smot() const;
    PeriodFigures period(std::string from, std::string to) const;
    // The headline figures of a trend point.
    TrendPoint trend_point(std::string starts) const;

private:
    FmotFigures fmot_;
    SmotFigures smot_;
    std::array<std::map<std::string, std::int64_t>, 4> drivers_;
    std::map<std::string, std::int64_t> drivers_without_reaction_, why_not_, glory_, pain_;
    std::map<std::int64_t, std::int64_t> decide_buckets_;  // upper bound in ms (or kOpenBucket) → intents
    std::array<std::int64_t, 11> recommend_{};               // 0..10
};

// The decide_ms buckets' upper bounds, in ms; "more" holds the rest.
inline constexpr std::array<std::int64_t, 12> kDecideBucketsMs = {1000,  2000,  3000,  4000,  5000,  7500,
                                                                  10000, 15000, 20000, 30000, 60000, 120000};

// The filter's calendar; its days are 'YYYY-MM-DD' (local_time.hpp's days). The days from `from` to `to`,
// both included (1 for one day; 0 when either is not a day or `to` is before `from`).
int days_in(const DashboardFilter& filter);
// The same filter over the same number of days ending the day before its `from`.
DashboardFilter previous_period(const DashboardFilter& filter);
// "day" for up to kMaxDailyTrendDays days, else "week".
std::string_view trend_step(const DashboardFilter& filter);
// The first day of each trend point: every day, or the Monday of every week the filter touches.
std::vector<std::string> trend_starts(const DashboardFilter& filter);

}  // namespace truthpoint::hub
