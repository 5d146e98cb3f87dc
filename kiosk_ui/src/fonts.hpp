// The kiosk's fonts: DejaVu Sans found through fontconfig, rasterised by ImGui's FreeType builder at the
// sizes of a TypeScale. Done once at start, before the first frame.
#pragma once

#include <optional>
#include <string>

#include <imgui.h>

#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

struct KioskFonts {
    ImFont* headline = nullptr;  // bold
    ImFont* body = nullptr;      // bold
    ImFont* caption = nullptr;   // regular
};

// The file of `family` (e.g. "DejaVu Sans", style "Book" or "Bold"), or an error naming the font
// and the package to install when fontconfig only offers a substitute.
struct FontLookup {
    std::string file;
    std::string error;
};
FontLookup find_font_file(const std::string& family, const std::string& style);

// Adds the fonts to the atlas and builds it. Returns an error message, or nullopt on success.
std::optional<std::string> load_kiosk_fonts(ImFontAtlas& atlas, const TypeScale& sizes, KioskFonts& fonts);

}  // namespace truthpoint::kiosk_ui
