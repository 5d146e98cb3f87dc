// The kiosk's window: SDL2 + Dear ImGui, drawing the app's flows. The only library that includes ImGui.
#pragma once

#include "truthpoint/app/config.hpp"

namespace truthpoint::kiosk_ui {

struct WindowOptions {
    bool windowed = false;  // --windowed WxH: a plain window for development
    int width = 0;
    int height = 0;
};

// Runs until SIGINT/SIGTERM. Returns the process exit code.
int run_kiosk(const app::KioskConfig& config, const WindowOptions& options);

}  // namespace truthpoint::kiosk_ui
