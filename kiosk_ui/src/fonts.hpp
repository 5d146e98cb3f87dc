// The kiosk's fonts: DejaVu Sans (Latin, Greek, Turkish) merged with Noto Sans Arabic (Arabic and Persian
// letters, their presentation forms and digits), both found through fontconfig and rasterised by ImGui's
// FreeType builder. Built once at start, before the first frame, at the normal and the large text size,
// holding only the glyphs the kiosk's texts use — switching to large text rebuilds nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

struct KioskFonts {
    ImFont* headline = nullptr;  // bold
    ImFont* body = nullptr;      // bold
    ImFont* caption = nullptr;   // regular
};

struct FontSet {
    KioskFonts normal;
    KioskFonts large;  // × kLargeTextScale
    const KioskFonts& for_large_text(bool large_text) const { return large_text ? large : normal; }
};

// The file of `family` (e.g. "DejaVu Sans", style "Book" or "Bold"), or an error naming the font and the
// package to install when fontconfig only offers a substitute.
struct FontLookup {
    std::string file;
    std::string error;
};
FontLookup find_font_file(const std::string& family, const std::string& style, const std::string& package);

// Checks that the fonts cover every configured language (a sample letter of each, through fontconfig's
// charset), then adds the fonts for `code_points` (every character the kiosk will draw, already shaped)
// and builds the atlas. Returns an error naming the language and the font, or nullopt.
std::optional<std::string> load_kiosk_fonts(ImFontAtlas& atlas, const TypeScale& sizes,
                                            const std::vector<std::string>& languages,
                                            const std::u32string& code_points, FontSet& fonts);

}  // namespace truthpoint::kiosk_ui
