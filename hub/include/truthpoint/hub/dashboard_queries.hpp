// The storage role of the regional manager's dashboard, written once over the SQL seam (hub/src/sql.hpp) for
// both engines: it reads the rollups by the store's local day and hour, the post-purchase sessions, the
// kiosks and their latest heartbeats, and hands back dashboard_view.hpp's structs. The SQL only sums and
// groups (the keys of the tables start with store_id, local_date, so a filter's stores and days are ranges
// of them); the figures are computed from the sums by dashboard_figures.hpp. Every method reads one
// snapshot; a filter's stores are those of its region (the regions its kiosks were enrolled with), of
// its store, or every store.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/hub/dashboard_view.hpp"
#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub {

namespace sql {
class Database;
}

// What the filter's navigation offers.
struct DashboardPlaces {
    std::vector<PlaceChoice> regions;   // the viewer's region, or every region kiosks were enrolled with
    std::vector<PlaceChoice> stores;    // of the filter's region (or every store), with name and zone
    std::vector<PlaceChoice> products;  // answered in the filter's stores during its days
};

struct DashboardRankings {
    std::optional<double> prior;  // the index of every answer in the filter: what small samples lean to
    std::vector<RankingRow> stores;
    std::vector<RankingRow> products;  // answers without a product are left out
};

class DashboardQueries {
public:
    explicit DashboardQueries(sql::Database& database) : database_(database) {}

    // The figures of the filter's days.
    Result<PeriodFigures> figures(const DashboardFilter& filter);
    // The headline figures per day (up to kMaxDailyTrendDays days) or per week, every point present.
    Result<std::vector<TrendPoint>> trend(const DashboardFilter& filter);
    // 7 x 24 cells, Monday 00:00 first, by the weekday and hour of the store's local time.
    Result<std::vector<HeatCell>> heat_map(const DashboardFilter& filter);
    // Stores and products by adjusted index, best first.
    Result<DashboardRankings> rankings(const DashboardFilter& filter);
    // The latest `limit` sessions with a comment, newest first; only those naming `pain_topic` if given.
    Result<std::vector<FeedbackRow>> feedback(const DashboardFilter& filter, const std::optional<std::string>& pain_topic,
                                              std::size_t limit);
    // The kiosks of the filter's region and store (revoked ones too), by store and id; `now` decides who is
    // silent.
    Result<std::vector<KioskHealthRow>> kiosks(const DashboardFilter& filter, core::Timestamp now);
    // `viewer_region`: a manager's region (the only one offered); nullopt for an admin (every region).
    Result<DashboardPlaces> places(const DashboardFilter& filter, const std::optional<std::string>& viewer_region);
    // Whether `store_id` has a kiosk enrolled with `region`.
    Result<bool> store_in_region(const std::string& store_id, const std::string& region);
    // The date at `now` on the clock of the filter's stores ('YYYY-MM-DD'), where they all keep one time zone
    // (a store; a region in one zone); otherwise, and for no store, UTC's.
    Result<std::string> today(const DashboardFilter& filter, core::Timestamp now);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
