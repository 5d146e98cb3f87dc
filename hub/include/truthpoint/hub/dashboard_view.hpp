// What the regional manager's dashboard shows for one filter: the figures computed from the rollups by
// the store's local day and hour (docs/dashboard.md). The page, its JSON twin and the printable report
// are all made from these structs, so they show the same numbers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/alerts.hpp"
#include "truthpoint/hub/reviews.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// The filter a view is computed for; the URL's query holds it, so a view can be bookmarked.
struct DashboardFilter {
    std::optional<std::string> region;    // a manager's is forced to their own; nullopt: every region
    std::optional<std::string> store_id;  // nullopt: every store in the region
    std::optional<std::string> sku;       // nullopt: every product
    std::string from;                     // first local day, 'YYYY-MM-DD', in each store's time zone
    std::string to;                       // last local day, inclusive
    bool include_misuse = false;          // taps the kiosk flagged as misuse: left out unless asked for
};

// One answer and how often it was given, e.g. {"price", 12}.
struct AnswerCount {
    std::string answer;
    std::int64_t events = 0;
};

// The first moment of truth, at the shelf.
struct FmotFigures {
    ReactionCounts reactions{};           // very_unhappy, unhappy, happy, very_happy
    std::int64_t answers = 0;             // the sum of `reactions`
    std::optional<double> index;          // 0-100 (docs/dashboard.md); nullopt without answers
    std::array<std::vector<AnswerCount>, 4> drivers_by_reaction;  // most named first
    std::vector<AnswerCount> drivers_without_reaction;  // from kiosks that did not say which reaction
    std::array<std::int64_t, 3> intents{};  // buy_now, maybe_later, not_buying
    std::vector<AnswerCount> why_not;       // most named first
    std::optional<std::int64_t> median_ms_to_decide;  // fmot.intent's ms_to_answer, from its buckets
    std::int64_t timed_decisions = 0;                 // the intents that carried ms_to_answer
    // Staff observations, undos subtracted: picked_up, put_back, added_to_basket, compared, read_label,
    // asked_for_help.
    std::array<std::int64_t, 6> shelf{};
};

// The second and ultimate moments, after the purchase.
struct SmotFigures {
    std::array<std::int64_t, 5> ratings{};  // 1..5 stars
    std::int64_t rated = 0;
    std::optional<double> average_rating;
    std::int64_t verified = 0;              // of `rated`: a receipt proved the purchase
    std::array<std::int64_t, 3> expectations{};  // below, met, beyond
    std::int64_t promoters = 0, passives = 0, detractors = 0;  // recommend 9-10, 7-8, 0-6
    std::optional<double> recommend_score;  // % promoters - % detractors, -100..100
    std::vector<AnswerCount> glory;         // most named first
    std::vector<AnswerCount> pain;
    std::int64_t reviews_shared = 0;        // umot.review
    std::int64_t sorry_cards = 0;           // sorry.card with an offer
    std::int64_t apologies = 0;             // sorry.card without one
    std::int64_t sorry_cards_redeemed = 0;  // redeemed at a till in the period (whenever issued)
};

struct PeriodFigures {
    std::string from, to;  // local days, inclusive
    FmotFigures fmot;
    SmotFigures smot;
};

// The headline figures for one day or week (starting on its Monday) of the period.
struct TrendPoint {
    std::string starts;  // 'YYYY-MM-DD'
    std::int64_t answers = 0;
    std::optional<double> index;
    std::int64_t rated = 0;
    std::optional<double> average_rating;
    std::optional<double> recommend_score;
    std::int64_t pains = 0;  // pain topics named
};

// Reactions in one local hour of one weekday, over the period.
struct HeatCell {
    int iso_weekday = 1;  // 1 Monday .. 7 Sunday
    int hour = 0;         // 0-23, the store's local time
    std::int64_t answers = 0;
    std::optional<double> index;
};

// A store or product in a ranking by index, adjusted for small samples (docs/dashboard.md).
struct RankingRow {
    std::string id;    // store id or sku
    std::string name;  // the store's name; empty when none was set
    std::int64_t answers = 0;
    std::optional<double> index;  // as measured
    double adjusted_index = 0;    // what the ranking is ordered by
};

// A post-purchase session with a comment, newest first. Shoppers' text: show it as text only.
struct FeedbackRow {
    core::Timestamp occurred_at{};
    std::string local_date;
    std::string store_id, sku, kiosk_id, locale;
    std::optional<int> rating;
    bool verified = false;
    std::vector<std::string> pain_topics;
    std::string comment;
};

// A kiosk's health, from its latest heartbeat.
struct KioskHealthRow {
    std::string kiosk_id, store_id;
    std::string version;                          // empty when never told
    std::optional<core::Timestamp> last_contact;  // its latest batch; nullopt: never
    std::optional<core::Timestamp> last_heartbeat;
    std::int64_t pending = 0;
    std::int64_t quarantined = 0;
    std::optional<std::int64_t> oldest_pending_s;
    bool revoked = false;
    bool silent = false;  // no contact for kSilentKioskAfter
};

inline constexpr std::chrono::minutes kSilentKioskAfter{30};

// A place the manager can go down to: a region, a store (with its name and zone) or a product.
struct PlaceChoice {
    std::string id;
    std::string name;
    std::string time_zone;  // stores only
};

// A shared review waiting for moderation, with what the moderator should look at.
struct PendingReview {
    ReviewRecord review;
    std::string product_name;        // from its store's kiosk configuration, in the page's language or English
    std::vector<std::string> flags;  // review_flags(review.text)
};

// Everything one dashboard page shows: the server fills it from the store, render_dashboard_page (and the
// JSON views) turn it into HTML. One page holds every section, so it also prints as the period's report.
struct DashboardPage {
    std::string language = "en";  // en, fa, ar, el, tr: the signed-in user's choice
    std::string viewer_name;
    bool viewer_is_admin = false;
    DashboardFilter filter;
    std::string period = "7d";    // today, 7d, 30d or custom: what the filter's days were chosen as
    core::Timestamp generated_at{};

    std::vector<PlaceChoice> regions;   // to choose from: every region for an admin, a manager's own
    std::vector<PlaceChoice> stores;    // of the chosen region (or all)
    std::vector<PlaceChoice> products;  // answered in the chosen store (or all) during the period

    PeriodFigures current;
    PeriodFigures previous;  // the same number of days just before
    std::string trend_step = "day";  // "day" or "week"
    std::vector<TrendPoint> trend;
    std::vector<HeatCell> heat;  // 7 x 24 cells, Monday 00:00 first
    std::vector<RankingRow> store_ranking, product_ranking;
    std::optional<std::string> pain_topic;  // the open feedback's filter
    std::vector<std::string> pain_topics;   // to choose from
    std::vector<FeedbackRow> feedback;
    std::vector<KioskHealthRow> kiosks;
    // The filter's region's or store's cases, with their audit trails: every one not closed, newest first,
    // then the last few closed.
    std::vector<CaseDetail> cases;
    // The filter's region's, store's or product's reviews waiting for moderation, oldest first.
    std::vector<PendingReview> reviews;
};

}  // namespace truthpoint::hub
