// The kiosk's window and frame loop: SDL2 + the SDL_Renderer backend of Dear ImGui 1.86, drawing the
// FMOT flow's screens. Renders on demand: it blocks in SDL_WaitEventTimeout until input, a commit
// wake-up, the flow's next deadline or the attract animation's next step — never a busy loop.
#include "truthpoint/kiosk_ui/kiosk_window.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include "fonts.hpp"
#include "screens.hpp"
#include "signal_watcher.hpp"
#include "tap_targets.hpp"
#include "theme.hpp"
#include "truthpoint/app/event_recorder.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/kiosk_ui/redraw_scheduler.hpp"
#include "ui_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {

std::runtime_error sdl_error(const std::string& what) { return std::runtime_error(what + ": " + SDL_GetError()); }

// SDL's video subsystem, window and renderer, torn down in reverse order.
class SdlDisplay {
public:
    explicit SdlDisplay(const WindowOptions& options) {
        // Signals are ours (SignalWatcher); a kiosk must stay full screen when focus moves; the first
        // tap on an unfocused window is a tap, not just a focus change.
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
        SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
        SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
        SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
        // Only the software renderer presents through the window framebuffer. SDL's default then copies
        // each frame through an OpenGL texture — on a GPU-less box that is Mesa's llvmpipe, which more
        // than doubled the attract screen's CPU under Xvfb (measured ~10% → ~4%). The environment
        // variable still overrides this default.
        SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
            throw sdl_error("cannot open the display (is DISPLAY or WAYLAND_DISPLAY set?)");
        }
        Uint32 flags = SDL_WINDOW_SHOWN;
        int width = options.width;
        int height = options.height;
        if (!options.windowed) {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
            SDL_DisplayMode mode{};
            if (SDL_GetDesktopDisplayMode(0, &mode) != 0) throw sdl_error("cannot read the display mode");
            width = mode.w;
            height = mode.h;
        }
        window_ = SDL_CreateWindow("Truthpoint", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height, flags);
        if (window_ == nullptr) throw sdl_error("cannot create the kiosk window");
        // Any driver: GPU when there is one, SDL_RENDER_DRIVER=software under Xvfb.
        renderer_ = SDL_CreateRenderer(window_, -1, 0);
        if (renderer_ == nullptr) throw sdl_error("cannot create a renderer for the kiosk window");
        if (!options.windowed) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk shows no pointer
    }
    ~SdlDisplay() {
        if (renderer_) SDL_DestroyRenderer(renderer_);
        if (window_) SDL_DestroyWindow(window_);
        SDL_Quit();
    }
    SdlDisplay(const SdlDisplay&) = delete;
    SdlDisplay& operator=(const SdlDisplay&) = delete;

    SDL_Window* window() const { return window_; }
    SDL_Renderer* renderer() const { return renderer_; }

    Rect window_rect() const {
        int x = 0, y = 0, w = 0, h = 0;
        SDL_GetWindowPosition(window_, &x, &y);
        SDL_GetWindowSize(window_, &w, &h);
        return Rect{static_cast<float>(x), static_cast<float>(y), static_cast<float>(w), static_cast<float>(h)};
    }

private:
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
};

// The ImGui context and its two backends.
class ImGuiSession {
public:
    ImGuiSession(const SdlDisplay& display, const WindowOptions& options) {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;  // no imgui.ini: nothing is read or written in a frame
        io.LogFilename = nullptr;
        if (!options.windowed) io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        theme::apply_style(ImGui::GetStyle());
        ImGui_ImplSDL2_InitForSDLRenderer(display.window());
        ImGui_ImplSDLRenderer_Init(display.renderer());
    }
    ~ImGuiSession() {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    ImGuiSession(const ImGuiSession&) = delete;
    ImGuiSession& operator=(const ImGuiSession&) = delete;
};

Uint32 register_wake_event() {
    const Uint32 type = SDL_RegisterEvents(1);
    return type == static_cast<Uint32>(-1) ? static_cast<Uint32>(SDL_USEREVENT) : type;
}

void push_event(Uint32 type) {
    SDL_Event event{};
    event.type = type;
    SDL_PushEvent(&event);  // thread-safe; wakes SDL_WaitEventTimeout
}

class KioskLoop {
public:
    KioskLoop(const app::KioskConfig& config, SdlDisplay& display, std::atomic<bool>& stop_requested)
        : config_(config),
          display_(display),
          stop_requested_(stop_requested),
          wake_event_(register_wake_event()),
          recorder_(config.db_path, [type = wake_event_] { push_event(type); }),
          flow_(recorder_, ids_, app::Product{config.product_sku, config.product_name},
                config.languages.empty() ? "en" : config.languages.front(),
                app::FmotTimings{.idle_reset = std::chrono::seconds(config.idle_reset_seconds)}),
          text_(ui_text_for(flow_.locale())),
          targets_writer_(TapTargetsWriter::from_environment()) {}

    void load_fonts() {
        const Rect window = display_.window_rect();
        const TypeScale sizes = type_scale(Size{window.width, window.height}, config_.dpi);
        if (auto error = load_kiosk_fonts(*ImGui::GetIO().Fonts, sizes, fonts_)) throw std::runtime_error(*error);
    }

    void run() {
        while (!stop_requested_.load()) {
            wait_and_handle_events();
            if (stop_requested_.load()) break;
            const core::Timestamp now = core::now_utc();
            take_commit_results(now);
            flow_.tick(now);
            notice_step_change(now);
            scheduler_.set_animation_interval(current_screen().animation_interval());
            if (!scheduler_.frame_due(now)) continue;
            draw_frame(now);
            notice_step_change(now);  // an intent called during the frame moves to the next screen
        }
    }

private:
    Screen& current_screen() { return screens_.for_step(flow_.step()); }

    void wait_and_handle_events() {
        const auto wait = scheduler_.wait_time(core::now_utc(), flow_.next_deadline());
        SDL_Event event;
        int got = 0;
        if (!wait) {
            got = SDL_WaitEvent(&event);  // nothing scheduled: sleep until input or a wake-up
        } else if (wait->count() == 0) {
            got = SDL_PollEvent(&event);
        } else {
            got = SDL_WaitEventTimeout(&event, static_cast<int>(wait->count()));
        }
        while (got) {
            handle_event(event);
            got = SDL_PollEvent(&event);
        }
    }

    void handle_event(const SDL_Event& event) {
        if (event.type == SDL_QUIT) {
            stop_requested_.store(true);
            return;
        }
        if (event.type == wake_event_) return;  // commit results are taken below, once per loop
        ImGui_ImplSDL2_ProcessEvent(&event);
        scheduler_.request_frames();  // input or a window change: let ImGui see press, release, hover
    }

    void take_commit_results(core::Timestamp now) {
        const auto results = recorder_.take_results();
        for (const app::CommitResult& result : results) {
            if (result.error.empty()) {
                flow_.reaction_committed(result.event_id, now);
            } else {
                // Not swallowed: the flow shows it to the shopper if it was the reaction; staff see it here.
                std::fprintf(stderr, "truthpoint-kiosk: event %s was not saved: %s\n", result.event_id.c_str(),
                             result.error.c_str());
                flow_.reaction_failed(result.event_id, result.error);
            }
        }
        if (!results.empty()) scheduler_.request_frames(1);
    }

    void notice_step_change(core::Timestamp now) {
        if (shown_step_ && *shown_step_ == flow_.step()) return;
        shown_step_ = flow_.step();
        ScreenContext context = make_context(now);
        current_screen().enter(context);
        scheduler_.request_frames();
        targets_due_ = true;
    }

    ScreenContext make_context(core::Timestamp now) {
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        Size window{display.x, display.y};
        if (window.width <= 0) {  // before the first NewFrame, ImGui does not know the size yet
            const Rect rect = display_.window_rect();
            window = Size{rect.width, rect.height};
        }
        return ScreenContext{flow_, fonts_, text_, window, config_.dpi, now};
    }

    void draw_frame(core::Timestamp now) {
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();

        const ImGuiIO& io = ImGui::GetIO();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        constexpr ImGuiWindowFlags kFullScreen = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav;
        ImGui::Begin("##kiosk", nullptr, kFullScreen);
        Screen& screen = current_screen();
        ScreenContext context = make_context(now);
        screen.draw(context);
        ImGui::End();
        ImGui::Render();

        SDL_Renderer* renderer = display_.renderer();
        SDL_SetRenderDrawColor(renderer, theme::kClear.r, theme::kClear.g, theme::kClear.b, 0xFF);
        SDL_RenderClear(renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(renderer);
        scheduler_.frame_drawn(now);

        // Published after the screen is on the glass, so a test that reads it may tap at once.
        if (targets_due_ && targets_writer_) {
            targets_writer_->publish(screen.name(), display_.window_rect(), screen.tap_targets(context.window, config_.dpi));
        }
        targets_due_ = false;
    }

    const app::KioskConfig& config_;
    SdlDisplay& display_;
    std::atomic<bool>& stop_requested_;
    Uint32 wake_event_;
    core::UuidV7Generator ids_;
    // The recorder outlives the flow that records into it; its destructor commits what is queued.
    app::EventRecorder recorder_;
    app::FmotFlow flow_;
    const UiText& text_;
    KioskFonts fonts_;
    ScreenRegistry screens_;
    RedrawScheduler scheduler_;
    std::optional<app::FmotStep> shown_step_;
    bool targets_due_ = false;
    std::unique_ptr<TapTargetsWriter> targets_writer_;
};

}  // namespace

int run_kiosk(const app::KioskConfig& config, const WindowOptions& options) {
    std::atomic<bool> stop_requested{false};
    try {
        // First, before any thread exists, so that only the watcher receives SIGINT/SIGTERM.
        SignalWatcher signals([&stop_requested](int) {
            stop_requested.store(true);
            push_event(SDL_QUIT);  // wakes the loop if it sleeps in SDL_WaitEvent
        });
        SdlDisplay display(options);
        ImGuiSession imgui(display, options);
        KioskLoop loop(config, display, stop_requested);
        loop.load_fonts();
        loop.run();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "truthpoint-kiosk: %s\n", error.what());
        return 1;
    }
}

}  // namespace truthpoint::kiosk_ui
