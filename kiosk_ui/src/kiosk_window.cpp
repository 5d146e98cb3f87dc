// The kiosk's window and frame loop: SDL2 + the SDL_Renderer backend of Dear ImGui 1.86, drawing the
// session's screens (app::KioskSession holds the flows, their workers and the shelf). The loop turns SDL
// input into the session's intents, polls the session once per turn, uploads textures and draws. It
// renders on demand: it blocks in SDL_WaitEventTimeout until input, a worker's wake-up, the session's next
// deadline or the attract animation's next step — never a busy loop. Only staff mode's "Exit kiosk" or
// SIGTERM/SIGINT end it: Escape, Alt+F4 and the window manager's close are ignored.
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
#include "sdl_display.hpp"
#include "signal_watcher.hpp"
#include "tap_targets.hpp"
#include "theme.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/kiosk_session.hpp"
#include "truthpoint/app/translations.hpp"
#include "truthpoint/kiosk_ui/frame_stats.hpp"
#include "truthpoint/kiosk_ui/kiosk_input.hpp"
#include "truthpoint/kiosk_ui/redraw_scheduler.hpp"

namespace truthpoint::kiosk_ui {

namespace {

using std::chrono::milliseconds;

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

// Every character the kiosk may draw, shaped: the font atlas holds these glyphs and no others. Besides the
// texts it knows at start (translations, products, the hub's reviews and offers), every letter the
// on-screen keyboards can type, in each of its joined forms, so a comment shows as it is typed.
std::u32string characters_to_draw(const app::Translations& translations, const app::KioskSession& session,
                                  TextEngine& text) {
    std::u32string all;
    const auto add = [&](std::string_view logical, const std::string& language) {
        const auto direction = app::is_right_to_left(language) ? TextDirection::RightToLeft : TextDirection::LeftToRight;
        all += utf8_to_code_points(text.visual(logical, direction));
    };
    const std::vector<std::string>& languages = session.languages();
    for (const std::string& language : languages) {
        for (const char* msgid : all_msgids()) add(translations.text(language, msgid), language);
        for (const app::Product& product : session.flow().shelf()) add(product.name(language), language);
        add(app::native_language_name(language), language);
        add(app::localize_digits("0123456789", language), language);
    }
    for (const core::ConfigReview& review : session.reviews()) add(review.text, review.locale);
    for (const core::ConfigOffer& offer : session.post_purchase().settings().offers) add(offer.text, offer.locale);
    for (const char32_t letter : keyboard_characters(languages)) {
        // Alone, and between two of itself: its isolated, initial, medial and final forms where it joins.
        const std::string one = code_points_to_utf8(std::u32string(1, letter));
        const std::string language = letter >= 0x0600 && letter <= 0x06FF ? "ar" : "en";
        add(one, language);
        add(one + one + one, language);
    }
    for (const char* ligature : {"لا", "لأ", "لإ", "لآ"}) add(ligature, "ar");  // lam-alef
    all += U"\u2014\u00D7";  // the staff menu's " — " and "×"
    return all;
}

// The pointer (mouse, or one finger at a time), the staff corner's hold and the barcode scanner.
struct InputState {
    PointerTracker pointer;
    bool was_down = false;         // the pointer as the last frame saw it
    bool was_down_before = false;  // ... and as the frame before saw it
    std::optional<SDL_FingerID> active_finger;
    CornerHold corner_hold{Rect{}};
    BarcodeReader barcode;
};

// What is on the glass, and when the next frame is due.
struct PresentationState {
    ScreenRegistry screens;
    RedrawScheduler scheduler;
    const Screen* shown_screen = nullptr;  // enter() runs when this changes
    std::string shown_key;       // screen, overlay, language, text size
    std::string last_frame_key;  // the above with the still parts and the window size
    bool targets_due = false;    // the tap-targets file is published after the next full frame
    bool pixels_persist = false;
    Uint64 last_ticks = 0;
    FrameStats frame_stats;
};

// Text, fonts and pictures. Read before the first frame; a hub shelf's pictures on the loader's thread.
struct AssetState {
    explicit AssetState(std::function<void()> wake) : shelf_loader(std::move(wake)) {}
    TextEngine text;
    FontSet fonts;
    ProductPictures pictures;
    ShelfLoader shelf_loader;
};

class KioskLoop {
public:
    KioskLoop(const app::KioskConfig& config, SdlDisplay& display, std::atomic<bool>& stop_requested,
              const app::KioskServices& services, app::ShelfChoice shelf, app::Translations translations,
              std::string version)
        : config_(config),
          display_(display),
          stop_requested_(stop_requested),
          wake_event_(register_wake_event()),
          translations_(std::move(translations)),
          assets_(wake()),
          session_(config, std::move(shelf), services, session_options(std::move(version))),
          targets_writer_(TapTargetsWriter::from_environment()),
          heartbeat_(services.heartbeat) {
        presentation_.pixels_persist = display.pixels_persist();
        if (heartbeat_) heartbeat_->set_wake(wake());
    }
    ~KioskLoop() {
        if (heartbeat_) heartbeat_->set_wake({});
    }
    KioskLoop(const KioskLoop&) = delete;
    KioskLoop& operator=(const KioskLoop&) = delete;

    // Fonts and pictures, before the first frame: nothing is read from disk once the loop runs.
    void load_assets() {
        const Rect window = display_.window_rect();
        const Size size{window.width, window.height};
        const TypeScale sizes = type_scale(size, config_.dpi);
        const std::u32string characters = characters_to_draw(translations_, session_, assets_.text);
        if (auto error = load_kiosk_fonts(*ImGui::GetIO().Fonts, sizes, session_.languages(), characters, assets_.fonts)) {
            throw std::runtime_error(*error);
        }
        assets_.pictures.load(display_.renderer(), session_.flow().shelf());
        input_.corner_hold.set_corner(layout_chrome(size, config_.dpi, false).staff_corner);
    }

    void run() {
        while (!stop_requested_.load()) {
            wait_and_handle_events();
            if (stop_requested_.load()) break;
            const core::Timestamp now = core::now_utc();
            if (input_.corner_hold.fired(now)) {
                session_.staff_corner_held(now);
                presentation_.scheduler.request_frames();
            }
            apply(session_.poll(now));
            install_prepared_shelf();
            notice_screen_change(now);
            // The watchdog's question is answered by a frame drawn after it, not by the loop merely turning.
            const std::uint64_t question = heartbeat_ ? heartbeat_->question() : 0;
            if (question) presentation_.scheduler.request_frames(1);
            if (!presentation_.scheduler.frame_due(now)) continue;
            draw_frame(now);
            if (question) heartbeat_->answer(question);
            notice_screen_change(now);  // an intent called during the frame moves to the next screen
            if (session_.exit_requested()) {
                std::fprintf(stderr, "truthpoint-kiosk: staff chose \"Exit kiosk\"\n");
                break;
            }
        }
    }

private:
    std::function<void()> wake() const {
        return [type = wake_event_] { push_event(type); };
    }
    app::KioskSessionOptions session_options(std::string version) const {
        app::KioskSessionOptions options;
        options.version = std::move(version);
        options.wake = wake();
        return options;
    }

    Screen& current_screen() { return presentation_.screens.current(session_); }

    ScreenContext make_context(core::Timestamp now) {
        const ImVec2 display = ImGui::GetIO().DisplaySize;
        Size window{display.x, display.y};
        if (window.width <= 0) {  // before the first NewFrame, ImGui does not know the size yet
            const Rect rect = display_.window_rect();
            window = Size{rect.width, rect.height};
        }
        return ScreenContext{session_,        session_.flow(), session_.post_purchase(), session_.staff(),
                             translations_,   assets_.text,    assets_.fonts,            assets_.pictures,
                             session_.languages(), window,     config_.dpi,              now};
    }

    // The session's news: frames to draw, a hub shelf whose pictures to load, pictures to free.
    void apply(app::KioskSession::Changes changes) {
        if (changes.redraw) presentation_.scheduler.request_frames();
        if (changes.settle) presentation_.scheduler.request_frames(1);
        if (changes.shelf_to_prepare) assets_.shelf_loader.load(std::move(*changes.shelf_to_prepare));
        if (changes.release_pictures) assets_.pictures.retain_only(session_.pictures_to_keep());
    }

    // A hub shelf whose pictures the loader decoded: textures are made here (the renderer is this
    // thread's), then the session applies the shelf — now on the attract screen, else after the shopper.
    void install_prepared_shelf() {
        auto loaded = assets_.shelf_loader.take();
        if (!loaded) return;
        assets_.pictures.install(display_.renderer(), std::move(loaded->pictures));
        session_.install_shelf(std::move(loaded->config));
        assets_.pictures.retain_only(session_.pictures_to_keep());
        presentation_.scheduler.request_frames();
    }

    std::optional<core::Timestamp> next_deadline(core::Timestamp now) const {
        auto deadline = session_.next_deadline(now);
        if (const auto hold = input_.corner_hold.deadline()) deadline = deadline ? std::min(*deadline, *hold) : *hold;
        return deadline;
    }

    void wait_and_handle_events() {
        const core::Timestamp now = core::now_utc();
        const auto wait = presentation_.scheduler.wait_time(now, next_deadline(now));
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
        input_.pointer.press(at);
        input_.corner_hold.press(at, core::now_utc());
        presentation_.scheduler.request_frames();
    }
    void pointer_up(Point at) {
        input_.pointer.release(at);
        input_.corner_hold.release();
        presentation_.scheduler.request_frames();
    }
    void pointer_move(Point to) {
        input_.pointer.move(to);
        input_.corner_hold.move(to);
        if (input_.pointer.is_down()) presentation_.scheduler.request_frames();  // hover alone changes nothing on a touch kiosk
    }

    void handle_event(const SDL_Event& event) {
        switch (event.type) {
            case SDL_QUIT:
                // The window manager's close, or our own wake-up after a signal: only the flag ends the kiosk.
                return;
            case SDL_KEYDOWN:
                handle_key(event.key);
                return;
            case SDL_TEXTINPUT:
                handle_text(event.text.text);
                return;
            case SDL_KEYUP:
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
                if (!input_.active_finger) {  // one finger at a time; a second one is a palm or a child
                    input_.active_finger = event.tfinger.fingerId;
                    pointer_down(finger_position(event.tfinger.x, event.tfinger.y));
                }
                return;
            case SDL_FINGERUP:
                if (input_.active_finger == event.tfinger.fingerId) {
                    input_.active_finger.reset();
                    pointer_up(finger_position(event.tfinger.x, event.tfinger.y));
                }
                return;
            case SDL_FINGERMOTION:
                if (input_.active_finger == event.tfinger.fingerId) pointer_move(finger_position(event.tfinger.x, event.tfinger.y));
                return;
            default:
                break;
        }
        if (event.type == wake_event_) return;  // results are taken by poll(), once per loop
        if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE) return;
        ImGui_ImplSDL2_ProcessEvent(&event);  // window size and focus
        presentation_.scheduler.request_frames();
    }

    // A physical keyboard on a screen that takes text (the comment): what it types, and Backspace.
    void handle_text(const char* utf8) {
        Screen& screen = current_screen();
        if (!screen.takes_text() || session_.staff().active()) return;
        ScreenContext context = make_context(core::now_utc());
        screen.type_text(context, utf8);
        presentation_.scheduler.request_frames();
    }

    // A USB barcode scanner types digits and Enter. Every other key — Escape included — does nothing, but
    // on a screen that takes text, where the keys type (handle_text) and Backspace erases.
    void handle_key(const SDL_KeyboardEvent& key) {
        const core::Timestamp now = core::now_utc();
        const SDL_Keycode code = key.keysym.sym;
        if (Screen& screen = current_screen(); screen.takes_text()) {
            if (code == SDLK_BACKSPACE && !session_.staff().active()) {
                ScreenContext context = make_context(now);
                screen.erase_text(context);
                presentation_.scheduler.request_frames();
            }
            return;
        }
        BarcodeReader& barcode = input_.barcode;
        if (code >= SDLK_0 && code <= SDLK_9) {
            barcode.digit(static_cast<char>('0' + (code - SDLK_0)), now);
        } else if (code >= SDLK_KP_1 && code <= SDLK_KP_9) {
            barcode.digit(static_cast<char>('1' + (code - SDLK_KP_1)), now);
        } else if (code == SDLK_KP_0) {
            barcode.digit('0', now);
        } else if (code == SDLK_RETURN || code == SDLK_KP_ENTER) {
            if (const auto scanned = barcode.enter(now)) {
                session_.scan_barcode(*scanned, now);
                presentation_.scheduler.request_frames();
            }
        } else if (key.repeat == 0 && code != SDLK_LSHIFT && code != SDLK_RSHIFT) {
            barcode.other_key();
        }
    }

    // What is on the glass: the screen and what its still parts show, the overlay, the language, the text
    // size and the barcode notice. A change publishes the tap targets again.
    std::string shown_key(const ScreenContext& context) {
        Screen* overlay = presentation_.screens.overlay(context);
        return std::string(current_screen().name()) + "/" + current_screen().still_key(context) + "/" +
               (overlay ? std::string(overlay->name()) + "/" + overlay->still_key(context) : "") + "/" +
               context.locale() + (session_.flow().session().large_text ? "/large" : "") +
               (session_.unknown_barcode_shown() ? "/notice" : "");
    }

    void notice_screen_change(core::Timestamp now) {
        const ScreenContext context = make_context(now);
        const std::string key = shown_key(context);
        if (presentation_.shown_screen != &current_screen()) {
            presentation_.shown_screen = &current_screen();
            current_screen().enter(context);
            // Text from a physical keyboard only where a screen takes it (SDL_TEXTINPUT events).
            if (current_screen().takes_text()) {
                SDL_StartTextInput();
            } else {
                SDL_StopTextInput();
            }
        }
        Screen* overlay = presentation_.screens.overlay(context);
        // While the staff corner is held its ring fills: a frame every tenth of a second.
        presentation_.scheduler.set_animation_interval(
            input_.corner_hold.progress(now) ? std::optional<milliseconds>(100)
            : overlay                        ? overlay->animation_interval()
                                             : current_screen().animation_interval());
        if (key == presentation_.shown_key) return;
        presentation_.shown_key = key;
        presentation_.scheduler.request_frames();
        presentation_.targets_due = true;
    }

    // The staff corner's hold, filling clockwise: staff see that holding works before the pad appears.
    static void draw_corner_progress(const Rect& corner, float progress) {
        ImDrawList* draw_list = ImGui::GetWindowDrawList();
        const ImVec2 centre = to_imvec(corner.center());
        const float radius = std::min(corner.width, corner.height) * 0.38f;
        const float thickness = radius * 0.28f;
        draw_list->AddCircle(centre, radius, theme::with_alpha(theme::kMutedText, 0.35f), 32, thickness);
        constexpr float kTop = -1.5707963f;
        draw_list->PathArcTo(centre, radius, kTop, kTop + progress * 6.2831853f, 32);
        draw_list->PathStroke(theme::kAccent, 0, thickness);
    }

    void draw_unknown_barcode_notice(const ScreenContext& context) {
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

    // ImGui's per-frame input: the window's size, time, and our pointer (touch and mouse alike).
    PointerFrame begin_imgui_frame() {
        ImGui_ImplSDLRenderer_NewFrame();
        // Not ImGui_ImplSDL2_NewFrame: it reads SDL's global mouse state and captures the mouse (an X
        // pointer grab) while a button is down, which under fast taps lost button releases. The pointer is
        // ours (touch and mouse alike, no tap lost between frames); size and time are all we need from SDL.
        ImGuiIO& io = ImGui::GetIO();
        int width = 0, height = 0;
        SDL_GetWindowSize(display_.window(), &width, &height);
        io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
        const Uint64 ticks = SDL_GetPerformanceCounter();
        Uint64& last_ticks = presentation_.last_ticks;
        io.DeltaTime = last_ticks > 0 ? std::max(1e-4f, static_cast<float>(static_cast<double>(ticks - last_ticks) /
                                                                         static_cast<double>(SDL_GetPerformanceFrequency())))
                                      : 1.0f / 60.0f;
        last_ticks = ticks;
        const PointerFrame pointer = input_.pointer.next_frame();
        io.MousePos = ImVec2(pointer.position.x, pointer.position.y);
        io.MouseDown[0] = pointer.down;
        io.MouseDown[1] = io.MouseDown[2] = false;
        ImGui::NewFrame();
        return pointer;
    }

    void draw_frame(core::Timestamp now) {
        presentation_.frame_stats.frame_begin();
        const PointerFrame pointer = begin_imgui_frame();
        const bool press_started = pointer.down && !input_.was_down;
        input_.was_down_before = input_.was_down;
        input_.was_down = pointer.down;

        ImGuiIO& io = ImGui::GetIO();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        constexpr ImGuiWindowFlags kFullScreen = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground |
                                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoNav;
        ImGui::Begin("##kiosk", nullptr, kFullScreen);
        std::vector<TapTarget> targets;
        ScreenContext context = make_context(now);
        context.targets = &targets;
        Screen& screen = current_screen();
        Screen* overlay = presentation_.screens.overlay(context);
        context.input_enabled = overlay == nullptr;
        // What the glass shows; when the last frame showed the same and only the animation is due, the
        // screen repaints its animation's region alone.
        const std::string frame_key = shown_key(context) + "/" +
                                      std::to_string(static_cast<int>(io.DisplaySize.x)) + "x" +
                                      std::to_string(static_cast<int>(io.DisplaySize.y));
        context.animation_only = presentation_.pixels_persist && overlay == nullptr &&
                                 !session_.unknown_barcode_shown() && !presentation_.scheduler.settling() &&
                                 !pointer.down && !input_.was_down_before && frame_key == presentation_.last_frame_key &&
                                 screen.animation_region(context).has_value();
        presentation_.last_frame_key = frame_key;
        screen.draw(context);
        if (overlay) {
            context.input_enabled = true;
            overlay->draw(context);
        }
        if (session_.unknown_barcode_shown()) draw_unknown_barcode_notice(context);
        if (const auto held = input_.corner_hold.progress(now)) draw_corner_progress(input_.corner_hold.corner(), *held);
        // A touch on no target still tells the flow the shopper is there (and counts towards bursts).
        if (press_started && !ImGui::IsAnyItemHovered()) context.note_touch();
        ImGui::End();
        ImGui::Render();

        SDL_Renderer* renderer = display_.renderer();
        if (!context.animation_only) {  // else the screen paints its region's background itself
            SDL_SetRenderDrawColor(renderer, theme::kClear.r, theme::kClear.g, theme::kClear.b, 0xFF);
            SDL_RenderClear(renderer);
        }
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(renderer);
        presentation_.frame_stats.frame_end();
        presentation_.scheduler.frame_drawn(now);
        // A press or release may have called an intent during this frame: show its outcome, then let
        // the next queued tap through.
        if (pointer.down != input_.was_down_before) presentation_.scheduler.request_frames(2);
        if (input_.pointer.has_pending()) presentation_.scheduler.request_frames(1);

        // Published after the screen is on the glass, so a test that reads it may tap at once. The targets
        // are the ones this frame drew (the overlay's when there is one), so they match the glass.
        if (presentation_.targets_due && targets_writer_ && !context.animation_only) {
            targets.push_back({"staff_corner", input_.corner_hold.corner().center()});
            targets_writer_->publish(overlay ? overlay->name() : screen.name(), context.locale(),
                                     display_.window_rect(), std::move(targets));
            presentation_.targets_due = false;
        }
    }

    const app::KioskConfig& config_;
    SdlDisplay& display_;
    std::atomic<bool>& stop_requested_;
    Uint32 wake_event_;
    app::Translations translations_;
    AssetState assets_;
    app::KioskSession session_;  // after the assets: its workers' wake-ups stop before the window's state goes
    InputState input_;
    PresentationState presentation_;
    std::unique_ptr<TapTargetsWriter> targets_writer_;
    app::LoopHeartbeat* heartbeat_;
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
        if (!shelf) throw std::runtime_error(shelf.error().message);
        if (!shelf.value().warning.empty()) std::fprintf(stderr, "truthpoint-kiosk: %s\n", shelf.value().warning.c_str());
        auto translations = app::Translations::load(config.assets_dir + "/i18n", config.languages);
        if (!translations) throw std::runtime_error(translations.error().message);

        SdlDisplay display(options);
        ImGuiSession imgui(display, options);
        KioskLoop loop(config, display, stop_requested, services, std::move(shelf.value()), std::move(translations.value()),
                       options.version);
        loop.load_assets();
        loop.run();
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "truthpoint-kiosk: %s\n", error.what());
        return 1;
    }
}

}  // namespace truthpoint::kiosk_ui
