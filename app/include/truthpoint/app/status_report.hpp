// `truthpoint-kiosk status`: the ledger's outbox counts for a person (text) or a tool (--json).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/ledger.hpp"

namespace truthpoint::app {

// What staff should act on: a backlog past [kiosk] backlog_warning, a disk running low, quarantined
// events. The kiosk never drops pending events on its own; it says so here and in staff mode.
std::vector<std::string> outbox_warnings(const LedgerStatus& status, const KioskConfig& config);
// Whether `status` exits 1: a warning above, or the last sync failed.
bool needs_attention(const LedgerStatus& status, const std::vector<std::string>& warnings);
// Free bytes for the ledger (on the file system of config.db_path's directory); nullopt if unknown.
std::optional<std::uint64_t> free_disk_bytes(const KioskConfig& config);
inline constexpr std::uint64_t kLowDiskBytes = 200ull * 1024 * 1024;

std::string format_status_text(const LedgerStatus& status, const std::vector<std::string>& warnings = {});
std::string format_status_json(const LedgerStatus& status, const std::vector<std::string>& warnings = {});

}  // namespace truthpoint::app
