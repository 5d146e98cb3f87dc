// What a dashboard request asks for: its query string read into a filter the viewer may see, and the whole
// page computed for it. The page (`/`), its JSON views (/api/v1/dashboard/...) and the export read the same
// query string:
//     ?region=&store=&sku=&period=today|7d|30d|custom&from=YYYY-MM-DD&to=YYYY-MM-DD&misuse=1&pain=TOPIC
// An empty value is the same as none (an HTML form sends its unchosen selects so).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/dashboard_view.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

struct DashboardQuery {
    DashboardFilter filter;
    std::string period = "7d";  // today, 7d, 30d or custom
    std::optional<std::string> pain_topic;
};

// The open feedback's length on the page and, unless `limit` says otherwise, in its JSON view.
inline constexpr std::size_t kFeedbackRows = 50;
inline constexpr std::size_t kMaxFeedbackRows = 500;

using QueryParameters = std::vector<std::pair<std::string, std::string>>;

// Reads the query string. `period` ends on `today`, 'YYYY-MM-DD' (today: that day alone; 7d and 30d: the days
// up to it);
// custom takes `from` and `to`, and is implied when either is given without a period. Without any, the last
// 7 days. A manager's region is always their own.
// InvalidArgument (a 400), the message naming the parameter: a malformed date, from after to, more than
// kMaxFilterDays days, an unknown period, a misuse other than 0 or 1, a malformed id. Unauthorized (a 403:
// signed in, but not theirs) when a manager names another region.
Result<DashboardQuery> parse_dashboard_query(const QueryParameters& parameters, const UserRecord& viewer,
                                             std::string_view today);

// As parse_dashboard_query, and Unauthorized also when a manager names a store outside their region.
// Today, 7d and 30d end on the stores' date (DashboardQueries::today): a store's own, a region's where its
// stores keep one time zone, otherwise UTC's.
Result<DashboardQuery> dashboard_query(Store& store, const QueryParameters& parameters, const UserRecord& viewer,
                                       core::Timestamp now);

// Every section of the page for `query` (see DashboardPage); `query` comes from dashboard_query.
Result<DashboardPage> build_dashboard_page(Store& store, const UserRecord& viewer, const DashboardQuery& query,
                                           core::Timestamp now);

}  // namespace truthpoint::hub
