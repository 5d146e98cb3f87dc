// The first dashboard: counts of stored events per type and store, as HTML and as JSON.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// A whole HTML page, every dynamic text escaped, no external assets.
std::string render_dashboard_html(const Stats& stats, std::string_view generated_at);

// {"total_events":N,"kiosks":{"total":N,"active":N},"by_type":{"session.start":N,...},
//  "by_store":[{"store_id":"...","total":N,"by_type":{...}}]}; all nine types, zeros included.
nlohmann::json stats_to_json(const Stats& stats);

std::string html_escape(std::string_view text);

}  // namespace truthpoint::hub
