// Text and JSON renderings of LedgerStatus.
#include "truthpoint/app/status_report.hpp"

#include <sys/statvfs.h>

#include <filesystem>

#include <nlohmann/json.hpp>

namespace truthpoint::app {

std::optional<std::uint64_t> free_disk_bytes(const KioskConfig& config) {
    struct statvfs disk {};
    const auto directory = std::filesystem::absolute(config.db_path).parent_path();
    if (statvfs(directory.c_str(), &disk) != 0) return std::nullopt;
    return static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
}

std::vector<std::string> outbox_warnings(const LedgerStatus& status, const KioskConfig& config) {
    std::vector<std::string> warnings;
    if (status.pending >= config.backlog_warning) {
        warnings.push_back(std::to_string(status.pending) + " events wait for the hub (warning at " +
                           std::to_string(config.backlog_warning) + "): check the network and [hub] url");
    }
    struct statvfs disk {};
    const auto directory = std::filesystem::absolute(config.db_path).parent_path();
    if (statvfs(directory.c_str(), &disk) == 0 && (disk.f_flag & ST_RDONLY)) {
        warnings.push_back(directory.string() + " is on a read-only file system: new taps cannot be saved; "
                           "remount it read-write");
    } else if (statvfs(directory.c_str(), &disk) == 0) {
        const std::uint64_t free_bytes = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
        if (free_bytes < kLowDiskBytes) {
            warnings.push_back("only " + std::to_string(free_bytes / (1024 * 1024)) + " MB free on " +
                               directory.string() + ": nothing is dropped, but new taps may fail to save");
        }
    }
    if (status.quarantined > 0) {
        warnings.push_back(std::to_string(status.quarantined) +
                           " events were refused by the hub and kept in quarantine (reasons below)");
    }
    return warnings;
}

bool needs_attention(const LedgerStatus& status, const std::vector<std::string>& warnings) {
    return !warnings.empty() || status.last_error.has_value();
}

std::string format_status_text(const LedgerStatus& status, const std::vector<std::string>& warnings) {
    std::string out;
    for (const auto& warning : warnings) out += "WARNING: " + warning + "\n";
    out += "pending:     " + std::to_string(status.pending) + "\n";
    out += "delivered:   " + std::to_string(status.delivered) + "\n";
    out += "quarantined: " + std::to_string(status.quarantined) + "\n";
    out += "oldest pending: " + status.oldest_pending_at.value_or("-") + "\n";
    out += "last sync:   " + status.last_sync_at.value_or("never") + "\n";
    out += "last error:  " + status.last_error.value_or("-") + "\n";
    for (const auto& item : status.latest_quarantined) out += "quarantined " + item.id + ": " + item.reason + "\n";
    return out;
}

std::string format_status_json(const LedgerStatus& status, const std::vector<std::string>& warnings) {
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
                          {"latest_quarantined", quarantined},
                          {"warnings", warnings},
                          {"needs_attention", needs_attention(status, warnings)}}
               .dump(2) +
           "\n";
}

}  // namespace truthpoint::app
