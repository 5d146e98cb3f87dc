// The dashboard pages: the regional manager's page (every section of one filter, in the user's language),
// the sign-in page, and the stats' JSON.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "truthpoint/core/translations.hpp"
#include "truthpoint/hub/dashboard_view.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// The regional manager's dashboard: the filter form and breadcrumbs, then the sections fmot, smot, trends
// (inline SVG charts, each with a table behind it), heatmap, rankings, feedback and kiosks, in
// page.language (en, fa, ar, el, tr; right to left for fa and ar) with its digits and dates (ICU; Solar
// Hijri for fa). `texts` holds assets/i18n/dashboard's catalogs; a message it lacks shows in English.
// Server-rendered, no scripts, no external assets (kPageSecurityPolicy); a print stylesheet makes it the
// period's report. Every shopper's and store's text is escaped.
std::string render_dashboard_page(const DashboardPage& page, const core::Translations& texts);

// The languages the dashboard is offered in, in the order the chooser lists them.
inline constexpr std::array<std::string_view, 5> kDashboardLanguages{"en", "fa", "ar", "el", "tr"};

// The dashboard's catalogs for kDashboardLanguages, from <assets_dir>/i18n/dashboard. An empty assets_dir
// means $TRUTHPOINT_ASSETS_DIR, else the installed share/truthpoint, else this source tree's assets (as the
// kiosk finds its own). Load once at start: a missing or malformed catalog is an error naming file and line.
core::Result<core::Translations> load_dashboard_texts(const std::string& assets_dir = {});

// The sign-in page: a form posting `name` and `password` to /login; `problem` (may be empty) is shown
// above it, `name` filled in again.
std::string render_login_html(std::string_view problem, std::string_view name);

// The Content-Security-Policy of these pages: nothing but their own inline style and forms to the hub.
inline constexpr const char* kPageSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// {"total_events":N,"kiosks":{"total":N,"active":N},"by_type":{"session.start":N,...},
//  "by_store":[{"store_id":"...","total":N,"by_type":{...}}]}; all nine types, zeros included.
// Scoped stats (a manager's region) come in already cut down: see scope_stats in users.hpp.
nlohmann::json stats_to_json(const Stats& stats);

std::string html_escape(std::string_view text);

}  // namespace truthpoint::hub
