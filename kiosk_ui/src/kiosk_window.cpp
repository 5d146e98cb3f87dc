// The kiosk's window and frame loop: SDL2 + the SDL_Renderer backend of Dear ImGui 1.86, drawing the FMOT
// flow's screens and staff mode over them. Renders on demand: it blocks in SDL_WaitEventTimeout until
// input, a commit or PIN-check wake-up, the flows' next deadline or the attract animation's next step —
// never a busy loop. Only staff mode's "Exit kiosk" or SIGTERM/SIGINT end it: Escape, Alt+F4 and the
// window manager's close are ignored.
#include "truthpoint/kiosk_ui/kiosk_window.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include "draw_helpers.hpp"
#include "fonts.hpp"
#include "product_pictures.hpp"
#include "screens.hpp"
#include "signal_watcher.hpp"
#include "tap_targets.hpp"
#include "theme.hpp"
#include "truthpoint/app/event_recorder.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/shelf.hpp"
#include "truthpoint/app/staff_mode.hpp"
#include "truthpoint/app/translations.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/kiosk_ui/frame_stats.hpp"
#include "truthpoint/kiosk_ui/kiosk_input.hpp"
#include "truthpoint/kiosk_ui/redraw_scheduler.hpp"
#include "truthpoint/kiosk_ui/sync_panel_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {

using std::chrono::milliseconds;

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
        SDL_SetHint(SDL_HINT_QUIT_ON_LAST_WINDOW_CLOSE, "0");
        // Touch arrives as finger events, handled by us; SDL's synthetic mouse events would double each tap.
        SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
        SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
        // Only the software renderer presents through the window framebuffer. SDL's default then copies
        // each frame through an OpenGL texture — on a GPU-less box that is Mesa's llvmpipe, which more
        // than doubled the attract screen's CPU under Xvfb (measured ~10% → ~4%). The environment
        // variable still overrides this default.
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
        // A GPU when there is one (SDL_RENDER_DRIVER may name a driver), else the software renderer.
        renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED);
        if (renderer_ == nullptr) {
            std::fprintf(stderr, "truthpoint-kiosk: no accelerated renderer (%s); drawing in software\n", SDL_GetError());
            renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
        }
        if (renderer_ == nullptr) throw sdl_error("cannot create a renderer for the kiosk window");
        if (!options.windowed) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk shows no pointer
        SDL_StopTextInput();  // keys are a barcode scanner's, not text for an input method
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
    // The software renderer draws straight into the window's framebuffer, which keeps its pixels from
    // one present to the next: a frame may then repaint only what changed.
    bool pixels_persist() const {
        SDL_RendererInfo info{};
        return SDL_GetRendererInfo(renderer_, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    }

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

std::optional<core::Timestamp> earliest(std::optional<core::Timestamp> a, std::optional<core::Timestamp> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

app::FmotTimings timings_for(const app::KioskConfig& config) {
    app::FmotTimings timings;
    timings.idle_reset = std::chrono::seconds(config.idle_reset_seconds);
    // Ten seconds of warning, but never most of a short idle time (tests run with a few seconds).
    timings.idle_warning = std::min<milliseconds>(milliseconds(10000), timings.idle_reset / 3);
    return timings;
}

// Every character the kiosk may draw, shaped: the font atlas holds these glyphs and no others.
std::u32string characters_to_draw(const app::Translations& translations, const std::vector<std::string>& languages,
                                  const std::vector<app::Product>& shelf, TextEngine& text) {
    std::u32string all;
    const auto add = [&](std::string_view logical, const std::string& language) {
        const auto direction = app::is_right_to_left(language) ? TextDirection::RightToLeft : TextDirection::LeftToRight;
        all += utf8_to_code_points(text.visual(logical, direction));
    };
    for (const std::string& language : languages) {
        for (const char* msgid : all_msgids()) add(translations.text(language, msgid), language);
        for (const app::Product& product : shelf) add(product.name(language), language);
        add(app::native_language_name(language), language);
        add(app::localize_digits("0123456789", language), language);
    }
    all += U"\u2014\u00D7";  // the staff menu's " — " and "×"
    return all;
}

// The configured languages in order, each once; English when none is configured.
std::vector<std::string> unique_languages(const std::vector<std::string>& configured) {
    std::vector<std::string> languages;
    for (const std::string& language : configured) {
        if (std::find(languages.begin(), languages.end(), language) == languages.end()) languages.push_back(language);
    }
    if (languages.empty()) languages.push_back("en");
    return languages;
}

class KioskLoop {
public:
    KioskLoop(const app::KioskConfig& config, SdlDisplay& display, std::atomic<bool>& stop_requested,
              const app::KioskServices& services, app::ShelfChoice shelf, app::Translations translations)
        : config_(config),
          services_(services),
          languages_(unique_languages(config.languages)),
          display_(display),
          stop_requested_(stop_requested),
          wake_event_(register_wake_event()),
          translations_(std::move(translations)),
          recorder_(config.db_path, [type = wake_event_] { push_event(type); }),
          flow_(recorder_, ids_, std::move(shelf.products), languages_.front(), timings_for(config)),
          staff_(recorder_, ids_, !config.staff_pin_hash.empty()),
          pin_checker_(config.staff_pin_hash, [type = wake_event_] { push_event(type); }),
          corner_hold_(Rect{}),
          targets_writer_(TapTargetsWriter::from_environment()),
          shelf_loader_([type = wake_event_] { push_event(type); }),
          pixels_persist_(display.pixels_persist()) {
        if (shelf.hub) flow_.replace_shelf(flow_.shelf(), shelf.hub->drivers, shelf.hub->why_not);
        if (services_.shelf_updates) services_.shelf_updates->set_wake([type = wake_event_] { push_event(type); });
    }
    ~KioskLoop() {
        if (services_.shelf_updates) services_.shelf_updates->set_wake({});  // the event type dies with SDL
    }

    // Fonts and pictures, before the first frame: nothing is read from disk once the loop runs.
    void load_assets() {
        const Rect window = display_.window_rect();
        const Size size{window.width, window.height};
        const TypeScale sizes = type_scale(size, config_.dpi);
        const std::u32string characters = characters_to_draw(translations_, languages_, flow_.shelf(), text_);
        if (auto error = load_kiosk_fonts(*ImGui::GetIO().Fonts, sizes, languages_, characters, fonts_)) {
            throw std::runtime_error(*error);
        }
        pictures_.load(display_.renderer(), flow_.shelf());
        corner_hold_.set_corner(layout_chrome(size, config_.dpi, false).staff_corner);
    }

    void run() {
        while (!stop_requested_.load()) {
            wait_and_handle_events();
            if (stop_requested_.load()) break;
            const core::Timestamp now = core::now_utc();
            take_worker_results(now);
            if (corner_hold_.fired(now) && !staff_.active()) {
                staff_.open_pin_pad(now);
                scheduler_.request_frames();
            }
            if (flow_.tick(now) | staff_.tick(now)) scheduler_.request_frames();
            notice_screen_change(now);
            if (!scheduler_.frame_due(now)) continue;
            draw_frame(now);
            notice_screen_change(now);  // an intent called during the frame moves to the next screen
            if (staff_.exit_requested()) {
                std::fprintf(stderr, "truthpoint-kiosk: staff chose \"Exit kiosk\"\n");
                break;
            }
        }
    }

private:
    Screen& current_screen() { return screens_.for_step(flow_.step()); }

    ScreenContext make_context(core::Timestamp now) {
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        Size window{display.x, display.y};
        if (window.width <= 0) {  // before the first NewFrame, ImGui does not know the size yet
            const Rect rect = display_.window_rect();
            window = Size{rect.width, rect.height};
        }
        ScreenContext context{flow_, staff_, translations_, text_, fonts_, pictures_, languages_, window, config_.dpi, now};
        context.sync = services_.sync;
        context.sync_view = services_.sync ? &sync_view_ : nullptr;
        return context;
    }

    std::optional<core::Timestamp> next_deadline(core::Timestamp now) const {
        auto deadline = earliest(flow_.next_deadline(now), staff_.next_deadline());
        deadline = earliest(deadline, corner_hold_.deadline());
        if (toast_until_) deadline = earliest(deadline, *toast_until_);
        return deadline;
    }

    void wait_and_handle_events() {
        const core::Timestamp now = core::now_utc();
        const auto wait = scheduler_.wait_time(now, next_deadline(now));
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

    Point finger_position(float x, float y) const {
        const ImVec2 size = ImGui::GetIO().DisplaySize;
        return Point{x * size.x, y * size.y};  // SDL gives finger positions in 0..1 of the window
    }

    void pointer_down(Point at) {
        pointer_.press(at);
        corner_hold_.press(at, core::now_utc());
        scheduler_.request_frames();
    }
    void pointer_up(Point at) {
        pointer_.release(at);
        corner_hold_.release();
        scheduler_.request_frames();
    }
    void pointer_move(Point to) {
        pointer_.move(to);
        corner_hold_.move(to);
        if (pointer_.is_down()) scheduler_.request_frames();  // hover alone changes nothing on a touch kiosk
    }

    void handle_event(const SDL_Event& event) {
        switch (event.type) {
            case SDL_QUIT:
                // The window manager's close, or our own wake-up after a signal: only the flag ends the kiosk.
                return;
            case SDL_KEYDOWN:
                handle_key(event.key);
                return;
            case SDL_KEYUP:
            case SDL_TEXTINPUT:
            case SDL_TEXTEDITING:
                return;
            case SDL_MOUSEBUTTONDOWN:
                if (event.button.which != SDL_TOUCH_MOUSEID && event.button.button == SDL_BUTTON_LEFT) {
                    pointer_down(Point{static_cast<float>(event.button.x), static_cast<float>(event.button.y)});
                }
                return;
            case SDL_MOUSEBUTTONUP:
                if (event.button.which != SDL_TOUCH_MOUSEID && event.button.button == SDL_BUTTON_LEFT) {
                    pointer_up(Point{static_cast<float>(event.button.x), static_cast<float>(event.button.y)});
                }
                return;
            case SDL_MOUSEMOTION:
                if (event.motion.which != SDL_TOUCH_MOUSEID) {
                    pointer_move(Point{static_cast<float>(event.motion.x), static_cast<float>(event.motion.y)});
                }
                return;
            case SDL_MOUSEWHEEL:
                return;
            case SDL_FINGERDOWN:
                if (!active_finger_) {  // one finger at a time; a second one is a palm or a child
                    active_finger_ = event.tfinger.fingerId;
                    pointer_down(finger_position(event.tfinger.x, event.tfinger.y));
                }
                return;
            case SDL_FINGERUP:
                if (active_finger_ == event.tfinger.fingerId) {
                    active_finger_.reset();
                    pointer_up(finger_position(event.tfinger.x, event.tfinger.y));
                }
                return;
            case SDL_FINGERMOTION:
                if (active_finger_ == event.tfinger.fingerId) pointer_move(finger_position(event.tfinger.x, event.tfinger.y));
                return;
            default:
                break;
        }
        if (event.type == wake_event_) return;  // results are taken below, once per loop
        if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) return;
        ImGui_ImplSDL2_ProcessEvent(&event);  // window size and focus
        scheduler_.request_frames();
    }

    // A USB barcode scanner types digits and Enter. Every other key — Escape included — does nothing.
    void handle_key(const SDL_KeyboardEvent& key) {
        const core::Timestamp now = core::now_utc();
        const SDL_Keycode code = key.keysym.sym;
        if (code >= SDLK_0 && code <= SDLK_9) {
            barcode_.digit(static_cast<char>('0' + (code - SDLK_0)), now);
        } else if (code >= SDLK_KP_1 && code <= SDLK_KP_9) {
            barcode_.digit(static_cast<char>('1' + (code - SDLK_KP_1)), now);
        } else if (code == SDLK_KP_0) {
            barcode_.digit('0', now);
        } else if (code == SDLK_RETURN || code == SDLK_KP_ENTER) {
            if (const auto barcode = barcode_.enter(now)) {
                if (!flow_.scan_barcode(*barcode, now)) toast_until_ = now + kToastTime;
                scheduler_.request_frames();
            }
        } else if (key.repeat == 0 && code != SDLK_LSHIFT && code != SDLK_RSHIFT) {
            barcode_.other_key();
        }
    }

    void take_worker_results(core::Timestamp now) {
        const auto results = recorder_.take_results();
        for (const app::CommitResult& result : results) {
            if (result.error.empty()) {
                flow_.event_committed(result.event_id, now);
            } else {
                // Not swallowed: the flow shows it on the saving screen; staff see it here.
                std::fprintf(stderr, "truthpoint-kiosk: event %s was not saved: %s\n", result.event_id.c_str(),
                             result.error.c_str());
                flow_.event_failed(result.event_id, result.error, now);
            }
        }
        if (!results.empty()) scheduler_.request_frames(1);
        if (const auto correct = pin_checker_.take_result()) {
            staff_.pin_checked(*correct, now);
            scheduler_.request_frames();
        }
        if (toast_until_ && now >= *toast_until_) {
            toast_until_.reset();
            scheduler_.request_frames(1);
        }
        take_shelf_updates();
        if (services_.sync && staff_.active() && staff_.step() == app::StaffStep::Menu) {
            if (std::exchange(screens_.staff().sync_requested, false)) sync_refresh_.force();
            if (sync_refresh_.due(now)) sync_view_ = services_.sync->view();  // a copy under the uploader's lock
        } else {
            sync_refresh_.force();  // fresh figures as soon as the menu opens
        }
    }

    // A new shelf from the hub: its pictures are read and decoded on the loader's thread, then uploaded
    // here and handed to the flow (which applies it now on the attract screen, else after the session).
    void take_shelf_updates() {
        if (services_.shelf_updates) {
            if (auto config = services_.shelf_updates->take()) shelf_loader_.load(std::move(*config));
        }
        auto loaded = shelf_loader_.take();
        if (!loaded) return;
        const std::size_t count = loaded->config.products.size();
        if (count == 0) {
            std::fprintf(stderr, "truthpoint-kiosk: the hub's configuration has no products; keeping this shelf\n");
            return;
        }
        pictures_.install(display_.renderer(), std::move(loaded->pictures));
        std::vector<app::Product> products = std::move(loaded->config.products);
        if (!config_.shelf_skus.empty()) {  // [kiosk] products narrows the hub's catalog, as at start
            std::vector<app::Product> narrowed;
            for (const std::string& sku : config_.shelf_skus) {
                if (const app::Product* product = app::find_product(products, sku)) narrowed.push_back(*product);
            }
            if (narrowed.empty()) {
                std::fprintf(stderr, "truthpoint-kiosk: the hub's catalog has none of [kiosk] products; keeping this shelf\n");
                return;
            }
            products = std::move(narrowed);
        }
        const std::vector<app::Product> before = flow_.shelf();
        pending_pictures_ = products;
        flow_.replace_shelf(std::move(products), std::move(loaded->config.drivers), std::move(loaded->config.why_not));
        std::fprintf(stderr, "truthpoint-kiosk: new shelf from the hub: %zu products%s\n", flow_.shelf().size(),
                     flow_.step() == app::FmotStep::Attract ? "" : " (after this shopper)");
        retain_pictures();
        scheduler_.request_frames();
    }

    // Textures only for the shelf shown and the one waiting to be applied.
    void retain_pictures() {
        if (pending_pictures_ && flow_.step() == app::FmotStep::Attract) pending_pictures_.reset();  // applied
        pictures_.retain_only(flow_.shelf(), pending_pictures_ ? *pending_pictures_ : std::vector<app::Product>{});
    }

    // What is on the glass: the screen, the overlay, the language and the text size.
    std::string shown_key(const ScreenContext& context) {
        Screen* overlay = screens_.overlay(context);
        return std::string(current_screen().name()) + "/" + (overlay ? overlay->name() : "") + "/" + flow_.locale() +
               (flow_.session().large_text ? "/large" : "");
    }

    void notice_screen_change(core::Timestamp now) {
        const ScreenContext context = make_context(now);
        const std::string key = shown_key(context);
        if (!shown_step_ || *shown_step_ != flow_.step()) {
            shown_step_ = flow_.step();
            current_screen().enter(context);
            if (pending_pictures_ && flow_.step() == app::FmotStep::Attract) retain_pictures();
        }
        Screen* overlay = screens_.overlay(context);
        scheduler_.set_animation_interval(overlay ? overlay->animation_interval() : current_screen().animation_interval());
        if (key == shown_key_) return;
        shown_key_ = key;
        scheduler_.request_frames();
        targets_due_ = true;
    }

    void draw_toast(const ScreenContext& context) {
        ImDrawList* draw_list = ImGui::GetWindowDrawList();
        const KioskFonts& fonts = context.fonts();
        const float width = context.window.width * 0.6f;
        const float height = fonts.body->FontSize * 2.0f;
        const Rect band{(context.window.width - width) / 2, context.window.height * 0.78f - height / 2, width, height};
        fill_pill(draw_list, band, theme::kErrorBackground);
        const Rect label{band.x + height / 2, band.y, band.width - height, band.height};
        context.text.draw(draw_list, fonts.body, fonts.body->FontSize, label, theme::kErrorText,
                          context.tr("We don't know this barcode"), context.direction(), Align::Center, 1);
    }

    void draw_frame(core::Timestamp now) {
        frame_stats_.frame_begin();
        ImGui_ImplSDLRenderer_NewFrame();
        // Not ImGui_ImplSDL2_NewFrame: it reads SDL's global mouse state and captures the mouse (an X
        // pointer grab) while a button is down, which under fast taps lost button releases. The pointer is
        // ours (touch and mouse alike, no tap lost between frames); size and time are all we need from SDL.
        ImGuiIO& io = ImGui::GetIO();
        int width = 0, height = 0;
        SDL_GetWindowSize(display_.window(), &width, &height);
        io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
        const Uint64 ticks = SDL_GetPerformanceCounter();
        io.DeltaTime = last_ticks_ > 0 ? std::max(1e-4f, static_cast<float>(static_cast<double>(ticks - last_ticks_) /
                                                                          static_cast<double>(SDL_GetPerformanceFrequency())))
                                       : 1.0f / 60.0f;
        last_ticks_ = ticks;
        const PointerFrame pointer = pointer_.next_frame();
        io.MousePos = ImVec2(pointer.position.x, pointer.position.y);
        io.MouseDown[0] = pointer.down;
        io.MouseDown[1] = io.MouseDown[2] = false;
        const bool press_started = pointer.down && !pointer_was_down_;
        pointer_was_down_before_ = pointer_was_down_;
        pointer_was_down_ = pointer.down;
        ImGui::NewFrame();

        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        constexpr ImGuiWindowFlags kFullScreen = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav;
        ImGui::Begin("##kiosk", nullptr, kFullScreen);
        ScreenContext context = make_context(now);
        Screen& screen = current_screen();
        Screen* overlay = screens_.overlay(context);
        context.input_enabled = overlay == nullptr;
        // What the glass shows; when the last frame showed the same and only the animation is due, the
        // screen repaints its animation's region alone.
        const std::string frame_key = shown_key(context) + "/" + screen.still_key(context) + "/" +
                                      std::to_string(width) + "x" + std::to_string(height);
        context.animation_only = pixels_persist_ && overlay == nullptr && !toast_until_ && !scheduler_.settling() &&
                                 !pointer.down && !pointer_was_down_before_ && frame_key == last_frame_key_ &&
                                 screen.animation_region(context).has_value();
        last_frame_key_ = frame_key;
        screen.draw(context);
        if (overlay) {
            context.input_enabled = true;
            overlay->draw(context);
        }
        if (toast_until_) draw_toast(context);
        // A touch on no target still tells the flow the shopper is there (and counts towards bursts).
        if (press_started && !ImGui::IsAnyItemHovered()) flow_.note_touch(now);
        ImGui::End();
        ImGui::Render();

        SDL_Renderer* renderer = display_.renderer();
        if (!context.animation_only) {  // else the screen paints its region's background itself
            SDL_SetRenderDrawColor(renderer, theme::kClear.r, theme::kClear.g, theme::kClear.b, 0xFF);
            SDL_RenderClear(renderer);
        }
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(renderer);
        frame_stats_.frame_end();
        scheduler_.frame_drawn(now);
        // A press or release may have called an intent during this frame: show its outcome, then let
        // the next queued tap through.
        if (pointer.down != pointer_was_down_before_) scheduler_.request_frames(2);
        if (pointer_.has_pending()) scheduler_.request_frames(1);

        if (auto pin = std::exchange(screens_.staff().submitted_pin, std::nullopt)) {
            pin_checker_.check(std::move(*pin));
            scheduler_.request_frames();
        }
        // Published after the screen is on the glass, so a test that reads it may tap at once.
        if (targets_due_ && targets_writer_) publish_targets(overlay ? *overlay : screen, now);
        targets_due_ = false;
    }

    void publish_targets(const Screen& shown, core::Timestamp now) {
        const ScreenContext context = make_context(now);
        std::vector<TapTarget> targets = shown.tap_targets(context);
        targets.push_back({"staff_corner", layout_chrome(context.window, config_.dpi, false).staff_corner.center()});
        targets_writer_->publish(shown.name(), flow_.locale(), display_.window_rect(), std::move(targets));
    }

    static constexpr milliseconds kToastTime{3000};

    const app::KioskConfig& config_;
    const app::KioskServices services_;
    std::vector<std::string> languages_;
    SdlDisplay& display_;
    std::atomic<bool>& stop_requested_;
    Uint32 wake_event_;
    app::Translations translations_;
    core::UuidV7Generator ids_;
    // The recorder outlives the flows that record into it; its destructor commits what is queued.
    app::EventRecorder recorder_;
    app::FmotFlow flow_;
    app::StaffMode staff_;
    app::StaffPinChecker pin_checker_;
    TextEngine text_;
    FontSet fonts_;
    ProductPictures pictures_;
    ScreenRegistry screens_;
    RedrawScheduler scheduler_;
    PointerTracker pointer_;
    bool pointer_was_down_ = false;
    bool pointer_was_down_before_ = false;
    Uint64 last_ticks_ = 0;
    std::optional<SDL_FingerID> active_finger_;
    CornerHold corner_hold_;
    BarcodeReader barcode_;
    std::optional<core::Timestamp> toast_until_;
    std::optional<app::FmotStep> shown_step_;
    std::string shown_key_;
    bool targets_due_ = false;
    std::unique_ptr<TapTargetsWriter> targets_writer_;
    ShelfLoader shelf_loader_;
    std::optional<std::vector<app::Product>> pending_pictures_;  // a hub shelf the flow has not applied yet
    bool pixels_persist_ = false;
    std::string last_frame_key_;
    app::SyncView sync_view_;
    RefreshTimer sync_refresh_{std::chrono::milliseconds(1000)};
    FrameStats frame_stats_;
};

}  // namespace

int run_kiosk(const app::KioskConfig& config, const WindowOptions& options, const app::KioskServices& services) {
    std::atomic<bool> stop_requested{false};
    try {
        // First, before any thread exists, so that only the watcher receives SIGINT/SIGTERM.
        SignalWatcher signals([&stop_requested](int) {
            stop_requested.store(true);
            push_event(SDL_QUIT);  // wakes the loop if it sleeps in SDL_WaitEvent; the flag ends it
        });
        // Everything a person can get wrong is reported before a window opens.
        // The hub's saved shelf and questions when there is a good one, else the local catalog.
        auto shelf = app::choose_shelf(config);
        if (!shelf) throw std::runtime_error(shelf.reason());
        if (!shelf.value().warning.empty()) std::fprintf(stderr, "truthpoint-kiosk: %s\n", shelf.value().warning.c_str());
        auto translations = app::Translations::load(config.assets_dir + "/i18n", config.languages);
        if (!translations) throw std::runtime_error(translations.reason());

        SdlDisplay display(options);
        ImGuiSession imgui(display, options);
        KioskLoop loop(config, display, stop_requested, services, std::move(shelf.value()), std::move(translations.value()));
        loop.load_assets();
        loop.run();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "truthpoint-kiosk: %s\n", error.what());
        return 1;
    }
}

}  // namespace truthpoint::kiosk_ui
