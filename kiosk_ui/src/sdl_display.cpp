// SdlDisplay: the hints a kiosk needs, a full-screen window, and the renderer choice.
#include "sdl_display.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "truthpoint/kiosk_ui/renderer_choice.hpp"

namespace truthpoint::kiosk_ui {

namespace {

std::runtime_error sdl_error(const std::string& what) { return std::runtime_error(what + ": " + SDL_GetError()); }

// GL_RENDERER of the renderer's current OpenGL context, or "" when it is not OpenGL.
std::string current_gl_renderer(SDL_Renderer* renderer) {
    SDL_RendererInfo info{};
    if (SDL_GetRendererInfo(renderer, &info) != 0 || info.name == nullptr) return {};
    const std::string driver = info.name;
    if (driver.rfind("opengl", 0) != 0) return {};  // "opengl", "opengles2"
    using GetString = const unsigned char* (*)(unsigned int);
    const auto get_string = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
    constexpr unsigned int kGlRenderer = 0x1F01;
    const unsigned char* name = get_string ? get_string(kGlRenderer) : nullptr;
    return name ? reinterpret_cast<const char*>(name) : "";
}

}  // namespace

SdlDisplay::SdlDisplay(const WindowOptions& options) {
    // Signals are ours (SignalWatcher); a kiosk must stay full screen when focus moves; the first
    // tap on an unfocused window is a tap, not just a focus change.
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
    // Touch arrives as finger events, handled by us; SDL's synthetic mouse events would double each tap.
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    // Only the software renderer presents through the window framebuffer. SDL's default then copies
    // each frame through an OpenGL texture, which on a GPU-less box is Mesa's llvmpipe again. The
    // environment variable still overrides this default.
    SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    if (!options.windowed) SDL_SetHint(SDL_HINT_GRAB_KEYBOARD, "1");  // Alt+Tab and friends come to us
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        throw sdl_error("cannot open the display (is DISPLAY or WAYLAND_DISPLAY set?)");
    }
    Uint32 flags = SDL_WINDOW_SHOWN;
    int width = options.width;
    int height = options.height;
    if (!options.windowed) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS | SDL_WINDOW_INPUT_GRABBED;
        SDL_DisplayMode mode{};
        if (SDL_GetDesktopDisplayMode(0, &mode) != 0) throw sdl_error("cannot read the display mode");
        width = mode.w;
        height = mode.h;
    }
    window_ = SDL_CreateWindow("Truthpoint", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
    if (window_ == nullptr) throw sdl_error("cannot create the kiosk window");
    create_renderer();
    if (!options.windowed) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk shows no pointer
    SDL_StopTextInput();  // keys are a barcode scanner's, not text for an input method
}

// An accelerated renderer when it is a real GPU. OpenGL on a CPU rasteriser (a box without a GPU but
// with Mesa, every Debian desktop) is dropped for SDL's software renderer: the attract screen then costs
// a fraction of the CPU, and the software renderer's persistent framebuffer lets an animation frame
// repaint its region alone. SDL_RENDER_DRIVER, when set, is the operator's choice and is kept.
void SdlDisplay::create_renderer() {
    const char* chosen = std::getenv("SDL_RENDER_DRIVER");
    const bool operator_chose = chosen != nullptr && *chosen != '\0';
    renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED);
    if (renderer_ != nullptr && !operator_chose) {
        const std::string gl_renderer = current_gl_renderer(renderer_);
        if (is_software_opengl(gl_renderer)) {
            std::fprintf(stderr, "truthpoint-kiosk: OpenGL is %s (no GPU); drawing with SDL's software renderer\n",
                         gl_renderer.c_str());
            SDL_DestroyRenderer(renderer_);
            renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    if (renderer_ == nullptr) {
        std::fprintf(stderr, "truthpoint-kiosk: no accelerated renderer (%s); drawing in software\n", SDL_GetError());
        renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
    }
    if (renderer_ == nullptr) throw sdl_error("cannot create a renderer for the kiosk window");
}

SdlDisplay::~SdlDisplay() {
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

bool SdlDisplay::pixels_persist() const {
    SDL_RendererInfo info{};
    return SDL_GetRendererInfo(renderer_, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) != 0;
}

Rect SdlDisplay::window_rect() const {
    int x = 0, y = 0, w = 0, h = 0;
    SDL_GetWindowPosition(window_, &x, &y);
    SDL_GetWindowSize(window_, &w, &h);
    return Rect{static_cast<float>(x), static_cast<float>(y), static_cast<float>(w), static_cast<float>(h)};
}

}  // namespace truthpoint::kiosk_ui
