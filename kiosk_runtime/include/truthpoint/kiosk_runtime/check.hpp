// `truthpoint-kiosk check`: an installer's check of a new kiosk, one line per thing that must be right —
// configuration, ledger, fonts, display, hub, TLS, token — each OK or what to do. Exit 0 only when no
// line failed. It changes nothing: it never makes a ledger, and sends the hub no event.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "truthpoint/core/result.hpp"

namespace truthpoint::kiosk_runtime {

// The window's side of the check, from kiosk_ui (which alone knows SDL and fontconfig).
struct WindowChecks {
    std::function<core::Result<std::string>()> display;
    std::function<core::Result<std::string>(const std::vector<std::string>& languages)> fonts;
};

int check_command(const std::string& config_path, const WindowChecks& window, std::ostream& out);

}  // namespace truthpoint::kiosk_runtime
