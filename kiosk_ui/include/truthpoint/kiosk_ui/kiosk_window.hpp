// The kiosk's window: SDL2 + Dear ImGui, drawing the app's flows. The only library that includes ImGui.
#pragma once

#include <string>
#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/kiosk_services.hpp"

namespace truthpoint::kiosk_ui {

struct WindowOptions {
    bool windowed = false;  // --windowed WxH: a plain window for development
    int width = 0;
    int height = 0;
    // A command printing the GL_RENDERER that SDL would draw with (`truthpoint-kiosk probe-renderer`, which
    // calls print_gl_renderer()). Empty: no probe, SDL's accelerated renderer when there is one.
    std::vector<std::string> renderer_probe;
    std::string version;  // shown on staff mode's health page
};

// For the probe command: prints the GL_RENDERER of a hidden OpenGL window's context; 0 when it did.
int print_gl_renderer();

// Runs until SIGINT/SIGTERM. Returns the process exit code. `services` (owned by the caller, alive until
// this returns) give staff mode the uploader's state and "Sync now", and bring new shelves from the hub;
// without them the staff menu has no sync panel and the shelf stays as started.
int run_kiosk(const app::KioskConfig& config, const WindowOptions& options, const app::KioskServices& services = {});

}  // namespace truthpoint::kiosk_ui
