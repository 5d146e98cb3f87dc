// SDL's video subsystem, the kiosk's window and its renderer, torn down in reverse order. The renderer
// is the cheapest that draws well: a real GPU when there is one, else SDL's software renderer.
#pragma once

#include <string>
#include <vector>

#include <SDL.h>

#include "truthpoint/kiosk_ui/kiosk_window.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

class SdlDisplay {
public:
    explicit SdlDisplay(const WindowOptions& options);
    ~SdlDisplay();
    SdlDisplay(const SdlDisplay&) = delete;
    SdlDisplay& operator=(const SdlDisplay&) = delete;

    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }
    // The software renderer draws straight into the window's framebuffer, which keeps its pixels from
    // one present to the next: a frame may then repaint only what changed.
    bool pixels_persist() const;
    Rect window_rect() const;

private:
    void create_renderer();

    std::vector<std::string> probe_command_;
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
};

}  // namespace truthpoint::kiosk_ui
