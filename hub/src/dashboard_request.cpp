// A dashboard request's filter and page (see dashboard_request.hpp).
#include "truthpoint/hub/dashboard_request.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "local_time.hpp"
#include "truthpoint/hub/dashboard_figures.hpp"
#include "truthpoint/hub/dashboard_queries.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/users.hpp"

namespace truthpoint::hub {
namespace {

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxSkuBytes = 128;

Error bad(const std::string& parameter, const std::string& why) {
    return make_error(ErrorCode::InvalidArgument, parameter + ": " + why);
}

// The last value given for `name`; nullopt when absent or empty.
std::optional<std::string> value_of(const QueryParameters& parameters, std::string_view name) {
    std::optional<std::string> value;
    for (const auto& [key, text] : parameters) {
        if (key == name) value = text.empty() ? std::nullopt : std::optional<std::string>(text);
    }
    return value;
}

bool id_characters(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

bool printable(std::string_view text) {
    return std::none_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
    });
}

// Quoted for a message, cut short: the value may be anything a URL carries.
std::string shown(const std::string& value) { return "'" + value.substr(0, 64) + (value.size() > 64 ? "...'" : "'"); }

}  // namespace

Result<DashboardQuery> parse_dashboard_query(const QueryParameters& parameters, const UserRecord& viewer,
                                             std::string_view today) {
    DashboardQuery query;
    DashboardFilter& filter = query.filter;

    const auto region = value_of(parameters, "region");
    const auto own_region = visible_region(viewer);
    if (own_region) {
        if (region && *region != *own_region) {
            return make_error(ErrorCode::Unauthorized, "region: " + shown(*region) + " is not yours; a manager sees region '" +
                                                           *own_region + "' only");
        }
        filter.region = own_region;
    } else if (region) {
        if (region->size() > kMaxIdBytes || !printable(*region)) return bad("region", shown(*region) + " is not a region name");
        filter.region = region;
    }

    if (const auto store = value_of(parameters, "store")) {
        if (store->size() > kMaxIdBytes || !id_characters(*store)) {
            return bad("store", shown(*store) + " is not a store id (letters, digits, '-', '_' and '.')");
        }
        filter.store_id = store;
    }
    if (const auto sku = value_of(parameters, "sku")) {
        if (sku->size() > kMaxSkuBytes || !printable(*sku)) return bad("sku", shown(*sku) + " is not a product id");
        filter.sku = sku;
    }
    if (const auto misuse = value_of(parameters, "misuse")) {
        if (*misuse != "0" && *misuse != "1") return bad("misuse", shown(*misuse) + " must be 1 (count misuse) or 0");
        filter.include_misuse = *misuse == "1";
    }
    if (const auto pain = value_of(parameters, "pain")) {
        if (pain->size() > kMaxIdBytes || !id_characters(*pain)) return bad("pain", shown(*pain) + " is not a topic name");
        query.pain_topic = pain;
    }

    const auto from = value_of(parameters, "from");
    const auto to = value_of(parameters, "to");
    const auto period = value_of(parameters, "period");
    query.period = period.value_or(from || to ? "custom" : "7d");
    if (query.period == "custom") {
        if (!from) return bad("from", "a custom period needs its first day, from=YYYY-MM-DD");
        if (!to) return bad("to", "a custom period needs its last day, to=YYYY-MM-DD");
        if (!is_local_date(*from)) return bad("from", shown(*from) + " is not a date (YYYY-MM-DD)");
        if (!is_local_date(*to)) return bad("to", shown(*to) + " is not a date (YYYY-MM-DD)");
        const int days = days_between(*from, *to) + 1;
        if (days < 1) return bad("from", *from + " is after to=" + *to);
        if (days > kMaxFilterDays) {
            return bad("to", "the period from " + *from + " to " + *to + " is longer than " +
                                 std::to_string(kMaxFilterDays) + " days");
        }
        filter.from = *from;
        filter.to = *to;
        return query;
    }
    int days = 0;
    if (query.period == "today") days = 1;
    if (query.period == "7d") days = 7;
    if (query.period == "30d") days = 30;
    if (days == 0) return bad("period", shown(query.period) + " is not a period: today, 7d, 30d or custom");
    // from and to belong to a custom period; the page's form sends its date fields whatever the period.
    filter.from = add_days(today, 1 - days);
    filter.to = std::string(today);
    return query;
}

Result<DashboardQuery> dashboard_query(Store& store, const QueryParameters& parameters, const UserRecord& viewer,
                                       core::Timestamp now) {
    auto query = parse_dashboard_query(parameters, viewer, utc_date(now));
    if (!query) return query;
    DashboardFilter& filter = query->filter;
    if (visible_region(viewer) && filter.store_id) {
        auto inside = store.dashboard().store_in_region(*filter.store_id, *filter.region);
        if (!inside) return inside.error();
        if (!*inside) {
            return make_error(ErrorCode::Unauthorized, "store: '" + *filter.store_id + "' is not in region '" +
                                                           *filter.region + "', the only one a manager sees");
        }
    }
    if (query->period != "custom") {
        // Today, 7 and 30 days end on the stores' own date: in Tehran, from 00:00 local, not 03:30.
        auto today = store.dashboard().today(filter, now);
        if (!today) return today.error();
        const int ahead = days_between(filter.to, *today);
        filter.from = add_days(filter.from, ahead);
        filter.to = *today;
    }
    return query;
}

namespace {

// Closed cases shown below the ones still to act on: the latest, as a reminder of what was done.
constexpr std::int64_t kClosedCasesShown = 10;
constexpr std::int64_t kCasesShown = 200;

Result<std::vector<CaseDetail>> cases_in_view(Store& store, const DashboardFilter& filter) {
    std::vector<CaseRecord> records;
    for (const CaseState state : {CaseState::Open, CaseState::Acknowledged, CaseState::Closed}) {
        const CaseFilter wanted{.region = filter.region,
                                .store_id = filter.store_id,
                                .state = state,
                                .limit = state == CaseState::Closed ? kClosedCasesShown : kCasesShown};
        auto found = store.alerts().cases(wanted);
        if (!found) return found.error();
        records.insert(records.end(), found->begin(), found->end());
    }
    // Not closed, newest first; then the closed ones.
    std::stable_sort(records.begin(), records.end(), [](const CaseRecord& a, const CaseRecord& b) {
        const bool a_closed = a.state == CaseState::Closed, b_closed = b.state == CaseState::Closed;
        if (a_closed != b_closed) return !a_closed;
        return a.opened_at > b.opened_at;
    });
    std::vector<CaseDetail> details;
    for (const CaseRecord& record : records) {
        auto detail = store.alerts().find_case(record.id);
        if (!detail) return detail.error();
        if (detail->has_value()) details.push_back(std::move(**detail));
    }
    return details;
}

// The queue's head is what the page shows; the rest waits for the next approvals (or GET /api/v1/reviews).
constexpr std::int64_t kReviewsShown = 50;

// A product's name as its store's kiosks show it: in `language`, else English; empty when the store's
// configuration does not list it.
std::string product_name_in(const std::optional<core::ConfigDocument>& config, const std::string& sku,
                            const std::string& language) {
    if (!config) return {};
    for (const core::ConfigProduct& product : config->products) {
        if (product.sku != sku) continue;
        const auto own = product.names.find(language);
        if (own != product.names.end()) return own->second;
        const auto english = product.names.find("en");
        return english != product.names.end() ? english->second : std::string();
    }
    return {};
}

Result<std::vector<PendingReview>> reviews_in_view(Store& store, const DashboardFilter& filter, const std::string& language) {
    ReviewFilter wanted;
    wanted.region = filter.region;
    wanted.store_id = filter.store_id;
    wanted.sku = filter.sku;
    wanted.limit = kReviewsShown;
    auto found = store.reviews().list(wanted);
    if (!found) return found.error();
    std::map<std::string, std::optional<core::ConfigDocument>> configs;  // by store: a few stores per page
    std::vector<PendingReview> reviews;
    for (ReviewRecord& review : *found) {
        auto config = configs.find(review.store_id);
        if (config == configs.end()) {
            auto record = config_for_store(store, review.store_id);
            if (!record) return record.error();
            std::optional<core::ConfigDocument> document;
            if (record->has_value()) {
                auto decoded = core::decode_config_document((*record)->document);
                if (decoded) document = std::move(decoded.value());
            }
            config = configs.emplace(review.store_id, std::move(document)).first;
        }
        PendingReview pending;
        pending.product_name = product_name_in(config->second, review.sku, language);
        pending.flags = review_flags(review.text);
        pending.review = std::move(review);
        reviews.push_back(std::move(pending));
    }
    return reviews;
}

}  // namespace

Result<DashboardPage> build_dashboard_page(Store& store, const UserRecord& viewer, const DashboardQuery& query,
                                           core::Timestamp now) {
    DashboardQueries& dashboard = store.dashboard();
    DashboardPage page;
    page.viewer_name = viewer.name;
    page.language = viewer.language;
    page.viewer_is_admin = viewer.role == UserRole::Admin;
    page.filter = query.filter;
    page.period = query.period;
    page.generated_at = now;
    page.pain_topic = query.pain_topic;

    auto places = dashboard.places(query.filter, visible_region(viewer));
    if (!places) return places.error();
    page.regions = std::move(places->regions);
    page.stores = std::move(places->stores);
    page.products = std::move(places->products);

    auto current = dashboard.figures(query.filter);
    if (!current) return current.error();
    page.current = std::move(*current);
    auto previous = dashboard.figures(previous_period(query.filter));
    if (!previous) return previous.error();
    page.previous = std::move(*previous);
    for (const AnswerCount& pain : page.current.smot.pain) page.pain_topics.push_back(pain.answer);

    page.trend_step = std::string(trend_step(query.filter));
    auto trend = dashboard.trend(query.filter);
    if (!trend) return trend.error();
    page.trend = std::move(*trend);
    auto heat = dashboard.heat_map(query.filter);
    if (!heat) return heat.error();
    page.heat = std::move(*heat);
    auto rankings = dashboard.rankings(query.filter);
    if (!rankings) return rankings.error();
    page.store_ranking = std::move(rankings->stores);
    page.product_ranking = std::move(rankings->products);
    auto feedback = dashboard.feedback(query.filter, query.pain_topic, kFeedbackRows);
    if (!feedback) return feedback.error();
    page.feedback = std::move(*feedback);
    auto kiosks = dashboard.kiosks(query.filter, now);
    if (!kiosks) return kiosks.error();
    page.kiosks = std::move(*kiosks);
    auto cases = cases_in_view(store, query.filter);
    if (!cases) return cases.error();
    page.cases = std::move(*cases);
    auto reviews = reviews_in_view(store, query.filter, page.language);
    if (!reviews) return reviews.error();
    page.reviews = std::move(*reviews);
    return page;
}

}  // namespace truthpoint::hub
