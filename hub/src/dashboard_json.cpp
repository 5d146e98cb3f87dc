// The dashboard's JSON views (see dashboard_json.hpp).
#include "truthpoint/hub/dashboard_json.hpp"

#include <array>
#include <string_view>

#include "truthpoint/hub/dashboard_figures.hpp"

namespace truthpoint::hub {
namespace {

using nlohmann::json;

template <typename T>
json or_null(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json time_or_null(const std::optional<core::Timestamp>& value) {
    return value ? json(core::format_rfc3339(*value)) : json(nullptr);
}

// {"name": count, ...} in the names' order.
template <std::size_t N>
json named_counts(const std::array<std::string_view, N>& names, const std::array<std::int64_t, N>& counts) {
    json out = json::object();
    for (std::size_t i = 0; i < N; ++i) out[std::string(names[i])] = counts[i];
    return out;
}

json answer_counts(const std::vector<AnswerCount>& counts) {
    json out = json::array();
    for (const AnswerCount& count : counts) out.push_back({{"answer", count.answer}, {"events", count.events}});
    return out;
}

json with_filter(const DashboardQuery& query, json view) {
    view["filter"] = dashboard_filter_to_json(query);
    return view;
}

json ranking_rows(const std::vector<RankingRow>& rows) {
    json out = json::array();
    for (const RankingRow& row : rows) {
        out.push_back({{"id", row.id},
                       {"name", row.name},
                       {"answers", row.answers},
                       {"index", or_null(row.index)},
                       {"adjusted_index", row.adjusted_index}});
    }
    return out;
}

json places(const std::vector<PlaceChoice>& choices, bool with_zone) {
    json out = json::array();
    for (const PlaceChoice& choice : choices) {
        json place{{"id", choice.id}, {"name", choice.name}};
        if (with_zone) place["time_zone"] = choice.time_zone;
        out.push_back(std::move(place));
    }
    return out;
}

}  // namespace

json dashboard_filter_to_json(const DashboardQuery& query) {
    const DashboardFilter& filter = query.filter;
    return {{"region", or_null(filter.region)},
            {"store", or_null(filter.store_id)},
            {"sku", or_null(filter.sku)},
            {"period", query.period},
            {"from", filter.from},
            {"to", filter.to},
            {"misuse", filter.include_misuse}};
}

json period_figures_to_json(const PeriodFigures& figures) {
    const FmotFigures& fmot = figures.fmot;
    const SmotFigures& smot = figures.smot;
    json drivers = json::object();
    for (std::size_t slot = 0; slot < kReactionNames.size(); ++slot) {
        drivers[std::string(kReactionNames[slot])] = answer_counts(fmot.drivers_by_reaction[slot]);
    }
    drivers["unknown"] = answer_counts(fmot.drivers_without_reaction);
    json ratings = json::object();
    for (std::size_t stars = 1; stars <= smot.ratings.size(); ++stars) ratings[std::to_string(stars)] = smot.ratings[stars - 1];
    return {{"from", figures.from},
            {"to", figures.to},
            {"fmot",
             {{"reactions", named_counts(kReactionNames, fmot.reactions)},
              {"answers", fmot.answers},
              {"index", or_null(fmot.index)},
              {"drivers", std::move(drivers)},
              {"intents", named_counts(kIntentNames, fmot.intents)},
              {"why_not", answer_counts(fmot.why_not)},
              {"median_ms_to_decide", or_null(fmot.median_ms_to_decide)},
              {"timed_decisions", fmot.timed_decisions},
              {"shelf", named_counts(kShelfNames, fmot.shelf)}}},
            {"smot",
             {{"ratings", std::move(ratings)},
              {"rated", smot.rated},
              {"average_rating", or_null(smot.average_rating)},
              {"verified", smot.verified},
              {"expectations", named_counts(kExpectationNames, smot.expectations)},
              {"recommend",
               {{"promoters", smot.promoters},
                {"passives", smot.passives},
                {"detractors", smot.detractors},
                {"score", or_null(smot.recommend_score)}}},
              {"glory", answer_counts(smot.glory)},
              {"pain", answer_counts(smot.pain)},
              {"reviews_shared", smot.reviews_shared},
              {"sorry_cards", smot.sorry_cards},
              {"apologies", smot.apologies},
              {"sorry_cards_redeemed", smot.sorry_cards_redeemed}}}};
}

json summary_to_json(const DashboardQuery& query, const PeriodFigures& current, const PeriodFigures& previous) {
    return with_filter(query, {{"current", period_figures_to_json(current)}, {"previous", period_figures_to_json(previous)}});
}

json trend_to_json(const DashboardQuery& query, const std::vector<TrendPoint>& points) {
    json out = json::array();
    for (const TrendPoint& point : points) {
        out.push_back({{"starts", point.starts},
                       {"answers", point.answers},
                       {"index", or_null(point.index)},
                       {"rated", point.rated},
                       {"average_rating", or_null(point.average_rating)},
                       {"recommend_score", or_null(point.recommend_score)},
                       {"pains", point.pains}});
    }
    return with_filter(query, {{"step", std::string(trend_step(query.filter))}, {"points", std::move(out)}});
}

json heat_map_to_json(const DashboardQuery& query, const std::vector<HeatCell>& cells) {
    json out = json::array();
    for (const HeatCell& cell : cells) {
        out.push_back({{"weekday", cell.iso_weekday}, {"hour", cell.hour}, {"answers", cell.answers}, {"index", or_null(cell.index)}});
    }
    return with_filter(query, {{"cells", std::move(out)}});
}

json rankings_to_json(const DashboardQuery& query, const DashboardRankings& rankings) {
    return with_filter(query, {{"prior_index", or_null(rankings.prior)},
                               {"prior_answers", kRankingPriorAnswers},
                               {"stores", ranking_rows(rankings.stores)},
                               {"products", ranking_rows(rankings.products)}});
}

json feedback_to_json(const DashboardQuery& query, const std::vector<FeedbackRow>& rows) {
    json out = json::array();
    for (const FeedbackRow& row : rows) {
        out.push_back({{"occurred_at", core::format_rfc3339(row.occurred_at)},
                       {"local_date", row.local_date},
                       {"store_id", row.store_id},
                       {"sku", row.sku},
                       {"kiosk_id", row.kiosk_id},
                       {"locale", row.locale},
                       {"rating", or_null(row.rating)},
                       {"verified", row.verified},
                       {"pain_topics", row.pain_topics},
                       {"comment", row.comment}});
    }
    return with_filter(query, {{"pain", or_null(query.pain_topic)}, {"feedback", std::move(out)}});
}

json kiosks_to_json(const DashboardQuery& query, const std::vector<KioskHealthRow>& kiosks) {
    json out = json::array();
    for (const KioskHealthRow& kiosk : kiosks) {
        out.push_back({{"kiosk_id", kiosk.kiosk_id},
                       {"store_id", kiosk.store_id},
                       {"version", kiosk.version},
                       {"last_contact", time_or_null(kiosk.last_contact)},
                       {"last_heartbeat", time_or_null(kiosk.last_heartbeat)},
                       {"pending", kiosk.pending},
                       {"quarantined", kiosk.quarantined},
                       {"oldest_pending_s", or_null(kiosk.oldest_pending_s)},
                       {"revoked", kiosk.revoked},
                       {"silent", kiosk.silent}});
    }
    return with_filter(query, {{"silent_after_s", std::chrono::seconds(kSilentKioskAfter).count()},
                               {"kiosks", std::move(out)}});
}

json places_to_json(const DashboardQuery& query, const DashboardPlaces& choices) {
    return with_filter(query, {{"regions", places(choices.regions, false)},
                               {"stores", places(choices.stores, true)},
                               {"products", places(choices.products, false)}});
}

}  // namespace truthpoint::hub
