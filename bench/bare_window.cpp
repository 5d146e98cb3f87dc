// The baseline for the kiosk's window benchmarks: a bare Dear ImGui + SDL2 window, with the kiosk's
// renderer, fonts, frame loop and a comparable trivial scene, measured by the same FrameStats.
//
// Why it is a fair baseline (see BENCHMARKS.md): everything the kiosk cannot avoid is here, done the
// same way — SDL_Renderer (driver from SDL_RENDER_DRIVER, the kiosk's hints: no framebuffer
// acceleration, vsync asked for), a full-screen borderless window of the desktop's size, the same
// ImGui style flags (anti-aliased fill), the same font atlas (DejaVu Sans via fontconfig, Noto Sans
// Arabic merged, FreeType builder, the kiosk's pixel sizes from kiosk_layout's type_scale, the glyphs of
// the same catalogs shaped by the same visual_line), and the same on-demand loop (SDL_WaitEventTimeout,
// a frame every 250 ms). What is left out is what the kiosk adds: the FMOT flow, the recorder thread,
// the language picker, the faces. The scene — one headline and a pulsing pill with a label, at the
// attract screen's geometry — is the attract screen without its faces and picker.
//
// The font code mirrors kiosk_ui/src/fonts.cpp (private to kiosk_ui); keep the two in step.
//
// usage: bench_bare_window [--windowed WxH] [--assets DIR] [--languages en,fa,ar,el,tr]
//        SIGTERM or SIGINT ends it; FrameStats (TRUTHPOINT_FRAME_STATS=FILE) writes at exit.
#include <SDL.h>
#include <fontconfig/fontconfig.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "truthpoint/app/translations.hpp"
#include "truthpoint/kiosk_ui/bidi_text.hpp"
#include "truthpoint/kiosk_ui/frame_stats.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"

namespace {

using truthpoint::kiosk_ui::Rect;
using truthpoint::kiosk_ui::Size;

constexpr int kFrameIntervalMs = 250;      // AttractScreen::kFrameInterval
constexpr double kPulsePeriodMs = 2400.0;  // AttractScreen::kPulsePeriod
constexpr double kDpi = 96.0;              // the dpi in the benchmark's kiosk.toml

// The kiosk's theme (kiosk_ui/src/theme.hpp).
constexpr ImU32 kText = IM_COL32(0x1F, 0x24, 0x30, 0xFF);
constexpr ImU32 kAccent = IM_COL32(0x1B, 0x5F, 0xAA, 0xFF);
constexpr ImU32 kOnAccent = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
constexpr Uint8 kClear[3] = {0xF6, 0xF4, 0xEF};

std::runtime_error sdl_error(const std::string& what) { return std::runtime_error(what + ": " + SDL_GetError()); }

bool is_arabic_script(char32_t c) {
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// fontconfig's file for family:style, or "" when it would only offer a substitute.
std::string find_font_file(const std::string& family, const std::string& style) {
    FcConfig* config = FcInitLoadConfigAndFonts();
    if (config == nullptr) return {};
    const std::string query = family + ":style=" + style;
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(query.c_str()));
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(config, pattern, &result);
    std::string path;
    FcChar8* name = nullptr;
    bool family_ok = false;
    for (int i = 0; match && FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
        family_ok = family_ok || family == reinterpret_cast<const char*>(name);
    }
    FcChar8* file = nullptr;
    if (family_ok && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        path = reinterpret_cast<const char*>(file);
    }
    if (match) FcPatternDestroy(match);
    FcPatternDestroy(pattern);
    FcConfigDestroy(config);
    return path;
}

// The glyphs the kiosk's atlas holds, found the way the kiosk finds them: every text of the catalogs of
// `languages` (English msgids and their translations), the languages' own names and digits, shaped by
// the same visual_line. A catalog entry the kiosk never draws makes this atlas a little larger, not smaller.
std::u32string characters_to_draw(const std::string& assets, const std::vector<std::string>& languages) {
    using truthpoint::kiosk_ui::TextDirection;
    std::u32string all;
    const auto add = [&](std::string_view logical, const std::string& language) {
        const auto direction = truthpoint::app::is_right_to_left(language) ? TextDirection::RightToLeft
                                                                           : TextDirection::LeftToRight;
        all += truthpoint::kiosk_ui::utf8_to_code_points(truthpoint::kiosk_ui::visual_line(logical, direction));
    };
    for (const std::string& language : languages) {
        add(truthpoint::app::native_language_name(language), language);
        add(truthpoint::app::localize_digits("0123456789", language), language);
        const std::string file =
            assets + "/i18n/" + (language == "en" ? std::string("truthpoint.pot") : language + ".po");
        std::ifstream in(file);
        if (!in) throw std::runtime_error("cannot read " + file + " (--assets DIR)");
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto entries = truthpoint::app::parse_po(text, file);
        if (!entries) throw std::runtime_error(entries.error().message);
        for (const auto& entry : entries.value()) add(language == "en" ? entry.msgid : entry.msgstr, language);
    }
    all += U"\u2014\u00D7";
    return all;
}

struct FontFiles {
    std::string regular;
    std::string bold;
};

FontFiles find_family(const char* family, const char* regular_style, const char* package) {
    FontFiles files{find_font_file(family, regular_style), find_font_file(family, "Bold")};
    if (files.regular.empty() || files.bold.empty()) {
        throw std::runtime_error(std::string(family) + " not found through fontconfig: install " + package);
    }
    return files;
}

// Mirrors add_font in kiosk_ui/src/fonts.cpp: DejaVu at `size`, Noto Sans Arabic merged at 1.1× and nudged up.
ImFont* add_font(ImFontAtlas& atlas, const FontFiles& latin, const FontFiles* arabic, bool bold, float size,
                 const ImVector<ImWchar>& latin_ranges, const ImVector<ImWchar>& arabic_ranges) {
    ImFontConfig config;
    ImFont* font =
        atlas.AddFontFromFileTTF((bold ? latin.bold : latin.regular).c_str(), size, &config, latin_ranges.Data);
    if (font == nullptr || arabic == nullptr || arabic_ranges.Size <= 1) return font;
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.GlyphOffset = ImVec2(0, -size * 0.12f);
    if (!atlas.AddFontFromFileTTF((bold ? arabic->bold : arabic->regular).c_str(), size * 1.1f, &merge,
                                  arabic_ranges.Data)) {
        return nullptr;
    }
    return font;
}

struct Fonts {
    ImFont* headline = nullptr;
    ImFont* body = nullptr;
    ImFont* caption = nullptr;
};

// Mirrors load_kiosk_fonts: headline, body (bold) and caption (regular) at the normal and the large text
// size, each DejaVu Sans with Noto Sans Arabic merged when a language is right to left; only `code_points`.
Fonts load_fonts(ImFontAtlas& atlas, const truthpoint::kiosk_ui::TypeScale& sizes,
                 const std::vector<std::string>& languages, const std::u32string& code_points) {
    const FontFiles latin = find_family("DejaVu Sans", "Book", "fonts-dejavu-core");
    bool needs_arabic = false;
    for (const std::string& language : languages) needs_arabic |= truthpoint::app::is_right_to_left(language);
    FontFiles arabic;
    if (needs_arabic) arabic = find_family("Noto Sans Arabic", "Regular", "fonts-noto-core");

    ImFontGlyphRangesBuilder latin_builder;
    ImFontGlyphRangesBuilder arabic_builder;
    latin_builder.AddRanges(atlas.GetGlyphRangesDefault());
    for (char32_t c = U'0'; c <= U'9'; ++c) latin_builder.AddChar(static_cast<ImWchar>(c));
    for (char32_t c = 0x06F0; c <= 0x06F9; ++c) arabic_builder.AddChar(static_cast<ImWchar>(c));
    for (char32_t c = 0x0660; c <= 0x0669; ++c) arabic_builder.AddChar(static_cast<ImWchar>(c));
    latin_builder.AddChar(0x2026);
    latin_builder.AddChar(0x2022);
    for (const char32_t c : code_points) {
        if (c > 0xFFFF) continue;
        (needs_arabic && is_arabic_script(c) ? arabic_builder : latin_builder).AddChar(static_cast<ImWchar>(c));
    }
    static ImVector<ImWchar> latin_ranges;  // ImGui keeps pointers to the ranges until the atlas is built
    static ImVector<ImWchar> arabic_ranges;
    latin_builder.BuildRanges(&latin_ranges);
    arabic_builder.BuildRanges(&arabic_ranges);

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    const FontFiles* arabic_files = needs_arabic ? &arabic : nullptr;
    Fonts normal;
    for (const bool large : {false, true}) {
        const float scale = large ? truthpoint::kiosk_ui::kLargeTextScale : 1.0f;
        Fonts set;
        set.headline = add_font(atlas, latin, arabic_files, true, sizes.headline * scale, latin_ranges, arabic_ranges);
        set.body = add_font(atlas, latin, arabic_files, true, sizes.body * scale, latin_ranges, arabic_ranges);
        set.caption = add_font(atlas, latin, arabic_files, false, sizes.caption * scale, latin_ranges, arabic_ranges);
        if (!set.headline || !set.body || !set.caption) throw std::runtime_error("cannot read " + latin.regular);
        if (!large) normal = set;
    }
    if (!atlas.Build()) throw std::runtime_error("ImGui's FreeType builder could not build the atlas");
    return normal;
}

void draw_centered_text(ImDrawList* draw_list, ImFont* font, const Rect& area, ImU32 colour, const char* text) {
    const ImVec2 extent = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text);
    const ImVec2 position(std::floor(area.x + (area.width - extent.x) / 2),
                          std::floor(area.y + (area.height - extent.y) / 2));
    draw_list->AddText(font, font->FontSize, position, colour, text);
}

// The attract screen's pulse: a halo that swells and fades behind a pill that grows a little.
void draw_scene(const Fonts& fonts, Size window, double elapsed_ms) {
    // The attract screen's question and pill at rest (kiosk_ui/src/layout.cpp, layout_attract).
    const float margin = window.height * 0.05f;
    const Rect question{margin, window.height * 0.22f, window.width - 2 * margin, fonts.headline->FontSize * 1.4f};
    const float pill_width = std::max(window.width * 0.34f, fonts.body->FontSize * 11.0f);
    const float pill_height = fonts.body->FontSize * 2.2f;
    const Rect pill{(window.width - pill_width) / 2, window.height * 0.5f - pill_height / 2, pill_width, pill_height};
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_centered_text(draw_list, fonts.headline, question, kText, "How do you like Oat Crunch Granola?");

    const double turns = std::fmod(elapsed_ms, kPulsePeriodMs) / kPulsePeriodMs;
    const float phase = static_cast<float>(0.5 - 0.5 * std::cos(turns * 2.0 * 3.14159265358979));
    const auto grown = [](const Rect& rect, float by) {
        return Rect{rect.x - by, rect.y - by, rect.width + 2 * by, rect.height + 2 * by};
    };
    const Rect halo = grown(pill, pill.height * (0.08f + 0.22f * phase));
    const ImU32 halo_colour = (kAccent & ~IM_COL32_A_MASK) |
                              (static_cast<ImU32>(0.28f * (1 - phase) * 255.0f + 0.5f) << IM_COL32_A_SHIFT);
    draw_list->AddRectFilled(ImVec2(halo.x, halo.y), ImVec2(halo.right(), halo.bottom()), halo_colour, halo.height / 2);
    const Rect body = grown(pill, pill.height * 0.05f * phase);
    draw_list->AddRectFilled(ImVec2(body.x, body.y), ImVec2(body.right(), body.bottom()), kAccent,
                             pill.height / 2 + pill.height * 0.05f * phase);
    draw_centered_text(draw_list, fonts.body, body, kOnAccent, "Touch to tell us");
}

struct Options {
    bool windowed = false;
    int width = 1280;
    int height = 800;
    std::string assets = "assets";
    std::vector<std::string> languages{"en"};
};

int run(const Options& options) {
    bool windowed = options.windowed;
    int width = options.width, height = options.height;
    // The kiosk's hints (kiosk_ui/src/kiosk_window.cpp), except signals: SDL turns SIGTERM into SDL_QUIT here.
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");
    SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) throw sdl_error("cannot open the display");
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (!windowed) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
        SDL_DisplayMode mode{};
        if (SDL_GetDesktopDisplayMode(0, &mode) != 0) throw sdl_error("cannot read the display mode");
        width = mode.w;
        height = mode.h;
    }
    SDL_Window* window = SDL_CreateWindow("bench_bare_window", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width,
                                          height, flags);
    if (window == nullptr) throw sdl_error("cannot create the window");
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, 0);
    if (renderer == nullptr) throw sdl_error("cannot create a renderer");
    if (!windowed) SDL_ShowCursor(SDL_DISABLE);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    ImGuiStyle& style = ImGui::GetStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.AntiAliasedLines = true;
    style.AntiAliasedFill = true;
    ImGui_ImplSDL2_InitForSDLRenderer(window);
    ImGui_ImplSDLRenderer_Init(renderer);

    int drawable_w = 0, drawable_h = 0;
    SDL_GetWindowSize(window, &drawable_w, &drawable_h);
    const Size size{static_cast<float>(drawable_w), static_cast<float>(drawable_h)};
    const Fonts fonts = load_fonts(*io.Fonts, truthpoint::kiosk_ui::type_scale(size, kDpi), options.languages,
                                   characters_to_draw(options.assets, options.languages));

    truthpoint::kiosk_ui::FrameStats stats;
    const auto started = std::chrono::steady_clock::now();
    auto next_frame = started;
    bool running = true;
    while (running) {
        // The kiosk's loop shape: sleep on events until the next animation step, then draw one frame.
        const auto now = std::chrono::steady_clock::now();
        const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next_frame - now).count();
        SDL_Event event;
        int got = wait_ms > 0 ? SDL_WaitEventTimeout(&event, static_cast<int>(wait_ms)) : SDL_PollEvent(&event);
        while (got) {
            if (event.type == SDL_QUIT) running = false;
            ImGui_ImplSDL2_ProcessEvent(&event);
            got = SDL_PollEvent(&event);
        }
        const auto frame_start = std::chrono::steady_clock::now();
        if (!running || frame_start < next_frame) continue;

        stats.frame_begin();
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui_ImplSDL2_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("##bare", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoBringToFrontOnFocus |
                         ImGuiWindowFlags_NoNav);
        const double elapsed_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        draw_scene(fonts, Size{io.DisplaySize.x, io.DisplaySize.y}, elapsed_ms);
        ImGui::End();
        ImGui::Render();
        SDL_SetRenderDrawColor(renderer, kClear[0], kClear[1], kClear[2], 0xFF);
        SDL_RenderClear(renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        SDL_RenderPresent(renderer);
        stats.frame_end();
        // Like RedrawScheduler: the next step is due one interval after this frame started.
        next_frame = frame_start + std::chrono::milliseconds(kFrameIntervalMs);
    }

    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (arg == "--windowed" && value && std::sscanf(value, "%dx%d", &options.width, &options.height) == 2) {
            options.windowed = true;
        } else if (arg == "--assets" && value) {
            options.assets = value;
        } else if (arg == "--languages" && value) {
            options.languages.clear();
            std::string list = value;
            for (std::size_t start = 0; start <= list.size();) {
                const std::size_t comma = std::min(list.find(',', start), list.size());
                if (comma > start) options.languages.push_back(list.substr(start, comma - start));
                start = comma + 1;
            }
        } else {
            std::fprintf(stderr, "usage: bench_bare_window [--windowed WxH] [--assets DIR] [--languages en,fa,...]\n");
            return 2;
        }
        ++i;
    }
    try {
        return run(options);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_bare_window: %s\n", error.what());
        return 1;
    }
}
