// The dashboard's arithmetic (see dashboard_figures.hpp and docs/dashboard.md).
#include "truthpoint/hub/dashboard_figures.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "local_time.hpp"
#include "truthpoint/core/event.hpp"

namespace truthpoint::hub {
namespace {

// The decide_ms bucket past the last bound.
constexpr std::int64_t kOpenBucket = std::numeric_limits<std::int64_t>::max();

template <std::size_t N>
std::optional<std::size_t> position(const std::array<std::string_view, N>& names, std::string_view name) {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) return std::nullopt;
    return static_cast<std::size_t>(found - names.begin());
}

// A whole number from `low` to `high`, written plainly; nullopt otherwise.
std::optional<std::int64_t> small_number(std::string_view text, std::int64_t low, std::int64_t high) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (number < low || number > high) return std::nullopt;
    return number;
}

std::optional<std::size_t> reaction_slot(std::string_view name) {
    const auto reaction = core::parse_reaction(name);
    if (!reaction) return std::nullopt;
    return static_cast<std::size_t>(*reaction);
}

// Most named first; equal counts by name, so the order never depends on the engine.
std::vector<AnswerCount> most_named_first(const std::map<std::string, std::int64_t>& counts) {
    std::vector<AnswerCount> out;
    for (const auto& [answer, events] : counts) {
        if (events != 0) out.push_back({answer, events});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const AnswerCount& a, const AnswerCount& b) { return a.events > b.events; });
    return out;
}

std::optional<double> share_difference(std::int64_t plus, std::int64_t minus, std::int64_t total) {
    if (total <= 0) return std::nullopt;
    return 100.0 * static_cast<double>(plus - minus) / static_cast<double>(total);
}

}  // namespace

std::optional<double> reaction_index(const ReactionCounts& reactions) {
    std::int64_t answers = 0;
    for (std::int64_t count : reactions) answers += count;
    if (answers <= 0) return std::nullopt;
    // The faces as 0, 1/3, 2/3 and 1: thirds summed first, so that equal counts give equal doubles.
    const double thirds = static_cast<double>(reactions[1] + 2 * reactions[2] + 3 * reactions[3]);
    return 100.0 * thirds / (3.0 * static_cast<double>(answers));
}

double adjusted_index(std::int64_t answers, std::optional<double> index, double prior) {
    if (answers <= 0 || !index) return prior;
    const double n = static_cast<double>(answers);
    return (n * *index + kRankingPriorAnswers * prior) / (n + kRankingPriorAnswers);
}

void FigureTally::add(std::string_view question, std::string_view answer, std::int64_t events) {
    if (question == "reaction") {
        if (const auto slot = reaction_slot(answer)) fmot_.reactions[*slot] += events;
    } else if (question == "driver") {
        const auto slash = answer.find('/');
        if (slash == std::string_view::npos) return;
        const std::string driver(answer.substr(slash + 1));
        if (const auto slot = reaction_slot(answer.substr(0, slash))) {
            drivers_[*slot][driver] += events;
        } else {
            drivers_without_reaction_[driver] += events;
        }
    } else if (question == "intent") {
        if (const auto slot = position(kIntentNames, answer)) fmot_.intents[*slot] += events;
    } else if (question == "why_not") {
        why_not_[std::string(answer)] += events;
    } else if (question == "decide_ms") {
        if (answer == "more") {
            decide_buckets_[kOpenBucket] += events;
        } else if (const auto bound = small_number(answer, 1, kDecideBucketsMs.back())) {
            decide_buckets_[*bound] += events;
        }
    } else if (question == "shelf") {
        if (const auto slot = position(kShelfNames, answer)) fmot_.shelf[*slot] += events;
    } else if (question == "rating") {
        if (const auto stars = small_number(answer, 1, 5)) smot_.ratings[*stars - 1] += events;
    } else if (question == "verified") {
        if (answer == "yes") smot_.verified += events;
    } else if (question == "expectations") {
        if (const auto slot = position(kExpectationNames, answer)) smot_.expectations[*slot] += events;
    } else if (question == "recommend") {
        if (const auto score = small_number(answer, 0, 10)) recommend_[*score] += events;
    } else if (question == "glory") {
        glory_[std::string(answer)] += events;
    } else if (question == "pain") {
        pain_[std::string(answer)] += events;
    } else if (question == "review") {
        if (answer == "shared") smot_.reviews_shared += events;
    } else if (question == "sorry") {
        if (answer == "card") smot_.sorry_cards += events;
        if (answer == "apology") smot_.apologies += events;
        if (answer == "redeemed") smot_.sorry_cards_redeemed += events;
    }
}

FmotFigures FigureTally::fmot() const {
    FmotFigures fmot = fmot_;
    fmot.answers = 0;
    for (std::int64_t count : fmot.reactions) fmot.answers += count;
    fmot.index = reaction_index(fmot.reactions);
    for (std::size_t slot = 0; slot < drivers_.size(); ++slot) fmot.drivers_by_reaction[slot] = most_named_first(drivers_[slot]);
    fmot.drivers_without_reaction = most_named_first(drivers_without_reaction_);
    fmot.why_not = most_named_first(why_not_);
    fmot.timed_decisions = 0;
    for (const auto& [bound, count] : decide_buckets_) fmot.timed_decisions += count;
    if (fmot.timed_decisions > 0) {
        // The lower median: the ((n + 1) / 2)-th decision in time order.
        const std::int64_t rank = (fmot.timed_decisions + 1) / 2;
        std::int64_t seen = 0;
        for (const auto& [bound, count] : decide_buckets_) {
            seen += count;
            if (seen >= rank) {
                // The open bucket has no upper bound: it reads as its lower end.
                fmot.median_ms_to_decide = bound == kOpenBucket ? kDecideBucketsMs.back() : bound;
                break;
            }
        }
    }
    return fmot;
}

SmotFigures FigureTally::smot() const {
    SmotFigures smot = smot_;
    smot.rated = 0;
    std::int64_t stars = 0;
    for (std::size_t slot = 0; slot < smot.ratings.size(); ++slot) {
        smot.rated += smot.ratings[slot];
        stars += static_cast<std::int64_t>(slot + 1) * smot.ratings[slot];
    }
    if (smot.rated > 0) smot.average_rating = static_cast<double>(stars) / static_cast<double>(smot.rated);
    smot.detractors = smot.passives = smot.promoters = 0;
    for (std::size_t score = 0; score < recommend_.size(); ++score) {
        (score >= 9 ? smot.promoters : score >= 7 ? smot.passives : smot.detractors) += recommend_[score];
    }
    smot.recommend_score =
        share_difference(smot.promoters, smot.detractors, smot.promoters + smot.passives + smot.detractors);
    smot.glory = most_named_first(glory_);
    smot.pain = most_named_first(pain_);
    return smot;
}

PeriodFigures FigureTally::period(std::string from, std::string to) const {
    return PeriodFigures{std::move(from), std::move(to), fmot(), smot()};
}

TrendPoint FigureTally::trend_point(std::string starts) const {
    const FmotFigures fmot_figures = fmot();
    const SmotFigures smot_figures = smot();
    TrendPoint point;
    point.starts = std::move(starts);
    point.answers = fmot_figures.answers;
    point.index = fmot_figures.index;
    point.rated = smot_figures.rated;
    point.average_rating = smot_figures.average_rating;
    point.recommend_score = smot_figures.recommend_score;
    for (const AnswerCount& pain : smot_figures.pain) point.pains += pain.events;
    return point;
}

int days_in(const DashboardFilter& filter) {
    if (!is_local_date(filter.from) || !is_local_date(filter.to)) return 0;
    return std::max(days_between(filter.from, filter.to) + 1, 0);
}

DashboardFilter previous_period(const DashboardFilter& filter) {
    DashboardFilter previous = filter;
    if (!is_local_date(filter.from)) return previous;
    const int days = std::max(days_in(filter), 1);
    previous.to = add_days(filter.from, -1);
    previous.from = add_days(filter.from, -days);
    return previous;
}

std::string_view trend_step(const DashboardFilter& filter) {
    return days_in(filter) <= kMaxDailyTrendDays ? "day" : "week";
}

std::vector<std::string> trend_starts(const DashboardFilter& filter) {
    std::vector<std::string> starts;
    const int days = days_in(filter);
    if (days == 0) return starts;
    if (trend_step(filter) == "day") {
        for (int day = 0; day < days; ++day) starts.push_back(add_days(filter.from, day));
        return starts;
    }
    // 'YYYY-MM-DD' text sorts as the days do.
    for (std::string monday = add_days(filter.from, 1 - iso_weekday(filter.from)); monday <= filter.to;
         monday = add_days(monday, 7)) {
        starts.push_back(monday);
    }
    return starts;
}

}  // namespace truthpoint::hub
