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

// The sign-in page's style (the dashboard page has its own, in dashboard_page.cpp).
constexpr const char* kStyle = R"css(
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; background: #fafafa; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
p.meta { color: #555; margin-top: 0; }
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
