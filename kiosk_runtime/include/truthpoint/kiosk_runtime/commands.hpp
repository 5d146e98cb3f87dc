// The kiosk's subcommands other than `run`, as functions of a loaded configuration that write to the
// streams given and return the exit code, so the executable only parses its command line.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "truthpoint/app/config.hpp"
#include "truthpoint/core/result.hpp"

namespace truthpoint::kiosk_runtime {

// `sync`: push every pending event now. 0 only when all are delivered; else why, and they stay pending.
int sync_command(const app::KioskConfig& config, std::ostream& out, std::ostream& err);
// `status [--json]`: the ledger's counts, last sync and error, and what staff should act on. Exits 0 when
// all is well, 1 when something needs attention (a warning, or the last sync failed) or the ledger cannot
// be read. `status` and `sync` never make a ledger: a missing one is a mistyped [kiosk] db.
int status_command(const app::KioskConfig& config, bool as_json, std::ostream& out, std::ostream& err);
// `run`, before its window opens: the ledger opens and takes a write, or an error saying what to do.
core::Status prove_ledger_writable(const app::KioskConfig& config);
// `simulate --events N --seed S`: realistic shoppers through the same code path as taps.
int simulate_command(const app::KioskConfig& config, std::int64_t events, std::uint64_t seed, std::ostream& out,
                     std::ostream& err);
// `set-pin`: the PIN typed twice (read by the caller, never echoed) stored as its argon2id hash.
int set_pin_command(const std::string& config_path, const std::string& pin, const std::string& again,
                    std::ostream& out, std::ostream& err);

}  // namespace truthpoint::kiosk_runtime
