// `truthpoint-kiosk status`: the ledger's outbox counts for a person (text) or a tool (--json).
#pragma once

#include <string>

#include "truthpoint/app/ledger.hpp"

namespace truthpoint::app {

std::string format_status_text(const LedgerStatus& status);
std::string format_status_json(const LedgerStatus& status);

}  // namespace truthpoint::app
