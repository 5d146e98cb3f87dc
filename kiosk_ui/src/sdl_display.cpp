// SdlDisplay: the hints a kiosk needs, a full-screen window, and the renderer choice.
#include "sdl_display.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "truthpoint/kiosk_ui/renderer_choice.hpp"
#include "truthpoint/kiosk_ui/preflight.hpp"

namespace truthpoint::kiosk_ui {

namespace {

std::runtime_error sdl_error(const std::string& what) { return std::runtime_error(what + ": " + SDL_GetError()); }

// Runs the probe command (`truthpoint-kiosk probe-renderer`) and returns what it printed: the probe
// loads OpenGL in a process of its own, so a CPU rasteriser's libraries (tens of MB) never stay in the
// kiosk's memory. "" when the command fails or takes longer than a few seconds.
std::string run_renderer_probe(const std::vector<std::string>& command) {
    if (command.empty()) return {};
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return {};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    // Its complaints (no Wayland socket, no GLX) are not the kiosk's; the verdict is what it prints.
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (const std::string& part : command) argv.push_back(const_cast<char*>(part.c_str()));
    argv.push_back(nullptr);
    pid_t child = 0;
    const int spawned = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string printed;
    if (spawned == 0) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        char buffer[256];
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            pollfd readable{out[0], POLLIN, 0};
            if (left.count() <= 0 || poll(&readable, 1, static_cast<int>(left.count())) <= 0) {
                kill(child, SIGKILL);  // a probe that hangs is no answer
                break;
            }
            const ssize_t got = read(out[0], buffer, sizeof buffer);
            if (got <= 0) break;
            printed.append(buffer, static_cast<std::size_t>(got));
        }
        int status = 0;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) printed.clear();
    }
    close(out[0]);
    while (!printed.empty() && (printed.back() == '\n' || printed.back() == '\r')) printed.pop_back();
    return printed;
}

}  // namespace

SdlDisplay::SdlDisplay(const WindowOptions& options) : probe_command_(options.renderer_probe) {
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

// An accelerated renderer when it is a real GPU. Where OpenGL is a CPU rasteriser (a box without a GPU
// but with Mesa, every Debian desktop), SDL's software renderer: the attract screen then costs a fraction
// of the CPU, and its persistent framebuffer lets an animation frame repaint its region alone. The probe
// runs in its own process, so the kiosk never maps the rasteriser. SDL_RENDER_DRIVER, when set, is the
// operator's choice and is kept.
void SdlDisplay::create_renderer() {
    const char* chosen = std::getenv("SDL_RENDER_DRIVER");
    const bool operator_chose = chosen != nullptr && *chosen != '\0';
    if (!operator_chose) {
        const std::string gl_renderer = run_renderer_probe(probe_command_);
        if (is_software_opengl(gl_renderer)) {
            std::fprintf(stderr, "truthpoint-kiosk: OpenGL is %s (no GPU); drawing with SDL's software renderer\n",
                         gl_renderer.c_str());
            renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
        }
    }
    if (renderer_ == nullptr) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED);
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

core::Result<std::string> probe_display() {
    const auto no_display = [](const std::string& why) {
        return core::make_error(core::ErrorCode::Unavailable,
                                why + ": shoppers would see nothing. Start the kiosk in its session "
                                      "(systemctl start truthpoint-kiosk), or from a desktop where DISPLAY or "
                                      "WAYLAND_DISPLAY is set");
    };
    const char* forced = std::getenv("SDL_VIDEODRIVER");
    const std::string forced_driver = forced ? forced : "";
    if (forced_driver == "dummy" || forced_driver == "offscreen") {
        return no_display("SDL_VIDEODRIVER=" + forced_driver + " draws nowhere");
    }
    if (forced_driver.empty() && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
        return no_display("no display: neither DISPLAY nor WAYLAND_DISPLAY is set");
    }
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) return no_display(std::string("no display (SDL: ") + SDL_GetError() + ")");
    std::string description = SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "?";
    SDL_DisplayMode mode{};
    const int screens = SDL_GetNumVideoDisplays();
    const bool has_mode = screens > 0 && SDL_GetDesktopDisplayMode(0, &mode) == 0;
    if (has_mode) description += ", " + std::to_string(mode.w) + "x" + std::to_string(mode.h);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    if (description.rfind("dummy", 0) == 0 || description.rfind("offscreen", 0) == 0) {
        return no_display("SDL chose its " + description.substr(0, description.find(',')) + " driver, which draws nowhere");
    }
    if (!has_mode) return no_display("the display " + description + " has no screen connected");
    return description;
}

core::Result<std::string> connected_screen() {
    std::vector<std::string> connected;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/class/drm", error)) {
        std::ifstream status(entry.path() / "status");
        std::string state;
        if (status >> state && state == "connected") {
            const std::string name = entry.path().filename().string();  // card0-HDMI-A-1
            connected.push_back(name.substr(name.find('-') + 1));
        }
    }
    if (connected.empty()) {
        return core::make_error(core::ErrorCode::Unavailable,
                                "no screen is connected to the graphics card (/sys/class/drm), and there is no desktop "
                                "here (DISPLAY, WAYLAND_DISPLAY): connect the screen, or run check inside the session");
    }
    std::string names;
    for (const auto& name : connected) names += (names.empty() ? "" : ", ") + name;
    return "a screen is connected (" + names + "); the kiosk session draws there";
}

int print_gl_renderer() {
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) return 1;
    int code = 1;
    if (SDL_Window* probe = SDL_CreateWindow("", 0, 0, 1, 1, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN)) {
        if (SDL_GLContext context = SDL_GL_CreateContext(probe)) {
            using GetString = const unsigned char* (*)(unsigned int);
            const auto get_string = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
            constexpr unsigned int kGlRenderer = 0x1F01;
            if (const unsigned char* name = get_string ? get_string(kGlRenderer) : nullptr) {
                std::printf("%s\n", reinterpret_cast<const char*>(name));
                code = 0;
            }
            SDL_GL_DeleteContext(context);
        }
        SDL_DestroyWindow(probe);
    }
    SDL_Quit();
    return code;
}

}  // namespace truthpoint::kiosk_ui
