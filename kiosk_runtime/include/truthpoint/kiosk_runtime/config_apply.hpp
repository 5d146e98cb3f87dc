// Applying a configuration pulled from the hub: stored atomically beside the ledger (the kiosk starts
// with it next time), then handed to the running session, which shows it between shoppers.
#pragma once

#include <functional>
#include <string>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/kiosk_services.hpp"
#include "truthpoint/sync/config_pull.hpp"

namespace truthpoint::kiosk_runtime {

// A sync::ConfigPoller's `apply`: true when the pull needs nothing more (unchanged, none at the hub,
// stored and posted), false when it failed or could not be stored — then the last good configuration
// stays (`log` says why a document could not be stored) and the poller tries again sooner.
bool apply_config_pull(const sync::ConfigPull& pull, const app::KioskConfig& config, app::ShelfInbox& inbox,
                       const std::function<void(const std::string&)>& log);

}  // namespace truthpoint::kiosk_runtime
