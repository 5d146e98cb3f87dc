// The first dashboard page and its JSON twin. Server-rendered, escaped, no scripts or external assets.
#include "truthpoint/hub/dashboard.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

namespace truthpoint::hub {
namespace {

nlohmann::json type_counts_json(const TypeCounts& counts) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < core::kAllEventTypes.size(); ++i) {
        object[std::string(core::to_string(core::kAllEventTypes[i]))] = counts[i];
    }
    return object;
}

constexpr const char* kStyle = R"css(
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; background: #fafafa; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
p.meta, div.meta { color: #555; margin-top: 0; }
div.wide { overflow-x: auto; }
td:first-child { white-space: nowrap; }
table { border-collapse: collapse; margin: 1rem 0 2rem; background: #fff; }
th, td { border: 1px solid #ccc; padding: 0.35rem 0.7rem; }
th { background: #eee; text-align: left; }
td.count { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
form.inline { display: inline; margin: 0; }
form.login { display: grid; gap: 0.6rem; max-width: 20rem; background: #fff; padding: 1.2rem; border: 1px solid #ccc; }
form.login input { font-size: 1rem; padding: 0.4rem; }
button { font-size: 1rem; padding: 0.35rem 0.9rem; }
p.problem { color: #a40000; font-weight: bold; }
)css";

std::string page_head(std::string_view title) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
           html_escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string render_login_html(std::string_view problem, std::string_view name) {
    std::ostringstream html;
    html << page_head("Sign in · Truthpoint hub") << "<h1>Truthpoint hub</h1>\n";
    if (!problem.empty()) html << "<p class=\"problem\" id=\"problem\">" << html_escape(problem) << "</p>\n";
    html << "<form class=\"login\" method=\"post\" action=\"/login\">\n"
         << "<label for=\"name\">Name</label>\n"
         << "<input id=\"name\" name=\"name\" autocomplete=\"username\" required autofocus value=\""
         << html_escape(name) << "\">\n"
         << "<label for=\"password\">Password</label>\n"
         << "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n"
         << "<button type=\"submit\" id=\"sign-in\">Sign in</button>\n</form>\n"
         << "<p class=\"meta\">Accounts are made by the hub's operator with <code>truthpoint-hub user add</code>.</p>\n"
         << "</body>\n</html>\n";
    return html.str();
}

std::string render_dashboard_html(const Stats& stats, std::string_view generated_at, std::string_view viewer_name,
                                  std::string_view viewer_scope) {
    std::ostringstream html;
    html << page_head("Truthpoint hub") << "<header>\n<h1>Truthpoint hub</h1>\n"
         << "<div class=\"meta\">Signed in as <span id=\"viewer\">" << html_escape(viewer_name)
         << "</span>, <span id=\"scope\">" << html_escape(viewer_scope) << "</span> "
         << "<form class=\"inline\" method=\"post\" action=\"/logout\"><button type=\"submit\" id=\"sign-out\">"
         << "Sign out</button></form></div>\n</header>\n"
         << "<p class=\"meta\">As of " << html_escape(generated_at) << " &middot; <span id=\"total-events\">"
         << stats.total_events << "</span> events stored &middot; <span id=\"kiosks\">" << stats.kiosks_total
         << "</span> " << (stats.kiosks_total == 1 ? "kiosk" : "kiosks") << " (" << stats.kiosks_active << " active)</p>\n";
    if (stats.misuse_events > 0) {
        html << "<p class=\"meta\"><span id=\"misuse-events\">" << stats.misuse_events
             << "</span> events flagged as misuse (bursts of taps) are kept but left out of the counts below.</p>\n";
    }

    html << "<h2>Events by type</h2>\n<table id=\"by-type\">\n<tr><th>Type</th><th>Events</th></tr>\n";
    for (std::size_t i = 0; i < core::kAllEventTypes.size(); ++i) {
        const std::string type = html_escape(core::to_string(core::kAllEventTypes[i]));
        html << "<tr data-type=\"" << type << "\"><td>" << type << "</td><td class=\"count\">" << stats.by_type[i]
             << "</td></tr>\n";
    }
    html << "<tr class=\"total\"><td>Total</td><td class=\"count\">" << stats.total_events - stats.misuse_events
         << "</td></tr>\n</table>\n";

    html << "<h2>Events by store</h2>\n";
    if (stats.by_store.empty()) {
        html << "<p>No store has a kiosk yet. Enrol one with <code>truthpoint-hub kiosk add</code>.</p>\n";
    } else {
        // One column per moment (the part of the type before its dot: session, fmot, smot, umot, ...; the
        // header's tooltip lists its types, and the table above counts each type): a column per type no
        // longer fits a 1280-pixel screen without a sideways scroll.
        std::vector<std::string> moments;
        std::vector<std::size_t> moment_of(core::kAllEventTypes.size());
        for (std::size_t i = 0; i < core::kAllEventTypes.size(); ++i) {
            const std::string_view name = core::to_string(core::kAllEventTypes[i]);
            const std::string moment(name.substr(0, name.find('.')));
            const auto found = std::find(moments.begin(), moments.end(), moment);
            moment_of[i] = static_cast<std::size_t>(found - moments.begin());
            if (found == moments.end()) moments.push_back(moment);
        }
        html << "<div class=\"wide\"><table id=\"by-store\">\n<tr><th>Store</th>";
        for (std::size_t m = 0; m < moments.size(); ++m) {
            std::string members;
            for (std::size_t i = 0; i < core::kAllEventTypes.size(); ++i) {
                if (moment_of[i] != m) continue;
                members += (members.empty() ? "" : ", ") + std::string(core::to_string(core::kAllEventTypes[i]));
            }
            html << "<th data-moment=\"" << html_escape(moments[m]) << "\" title=\"" << html_escape(members) << "\">"
                 << html_escape(moments[m]) << ".*</th>";
        }
        html << "<th>Total</th></tr>\n";
        for (const StoreCounts& store : stats.by_store) {
            std::vector<std::int64_t> by_moment(moments.size(), 0);
            for (std::size_t i = 0; i < store.by_type.size(); ++i) by_moment[moment_of[i]] += store.by_type[i];
            html << "<tr data-store=\"" << html_escape(store.store_id) << "\"><td>" << html_escape(store.store_id)
                 << "</td>";
            for (const auto count : by_moment) html << "<td class=\"count\">" << count << "</td>";
            html << "<td class=\"count\">" << store.total << "</td></tr>\n";
        }
        html << "</table></div>\n";
    }
    html << "<p class=\"meta\">The same counts as JSON: <a href=\"/api/v1/stats\">/api/v1/stats</a></p>\n"
         << "</body>\n</html>\n";
    return html.str();
}

nlohmann::json stats_to_json(const Stats& stats) {
    nlohmann::json stores = nlohmann::json::array();
    for (const StoreCounts& store : stats.by_store) {
        // The FMOT faces, by their wire names (misuse left out, like every count here).
        nlohmann::json reactions = nlohmann::json::object();
        for (std::size_t i = 0; i < core::kAllReactions.size(); ++i) {
            reactions[std::string(core::to_string(core::kAllReactions[i]))] = store.reactions[i];
        }
        stores.push_back({{"store_id", store.store_id},
                          {"total", store.total},
                          {"by_type", type_counts_json(store.by_type)},
                          {"reactions", reactions}});
    }
    return {
        {"total_events", stats.total_events},
        {"misuse_events", stats.misuse_events},
        {"kiosks", {{"total", stats.kiosks_total}, {"active", stats.kiosks_active}}},
        {"by_type", type_counts_json(stats.by_type)},
        {"by_store", stores},
    };
}

}  // namespace truthpoint::hub
