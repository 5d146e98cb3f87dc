// Text and JSON renderings of LedgerStatus.
#include "truthpoint/app/status_report.hpp"

#include <nlohmann/json.hpp>

namespace truthpoint::app {

std::string format_status_text(const LedgerStatus& status) {
    std::string out;
    out += "pending:     " + std::to_string(status.pending) + "\n";
    out += "delivered:   " + std::to_string(status.delivered) + "\n";
    out += "quarantined: " + std::to_string(status.quarantined) + "\n";
    out += "oldest pending: " + status.oldest_pending_at.value_or("-") + "\n";
    out += "last sync:   " + status.last_sync_at.value_or("never") + "\n";
    out += "last error:  " + status.last_error.value_or("-") + "\n";
    for (const auto& item : status.latest_quarantined) out += "quarantined " + item.id + ": " + item.reason + "\n";
    return out;
}

std::string format_status_json(const LedgerStatus& status) {
    auto optional = [](const std::optional<std::string>& value) {
        return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    };
    nlohmann::json quarantined = nlohmann::json::array();
    for (const auto& item : status.latest_quarantined) quarantined.push_back({{"id", item.id}, {"reason", item.reason}});
    return nlohmann::json{{"pending", status.pending},
                          {"delivered", status.delivered},
                          {"quarantined", status.quarantined},
                          {"oldest_pending_at", optional(status.oldest_pending_at)},
                          {"last_sync_at", optional(status.last_sync_at)},
                          {"last_error", optional(status.last_error)},
                          {"latest_quarantined", quarantined}}
               .dump(2) +
           "\n";
}

}  // namespace truthpoint::app
