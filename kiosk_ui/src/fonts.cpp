// Finds DejaVu Sans through fontconfig and builds ImGui's font atlas with the FreeType builder.
#include "fonts.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include <fontconfig/fontconfig.h>
#include <imgui_freetype.h>

namespace truthpoint::kiosk_ui {

namespace {

constexpr const char* kFamily = "DejaVu Sans";
constexpr const char* kFontPackage = "fonts-dejavu-core";

// Latin with Turkish (Latin Extended-A), Greek, and punctuation such as the ellipsis. Arabic script
// ranges come with issue 3's shaping. ImGui keeps a pointer to this array: it must outlive the atlas.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1
    0x0100, 0x017F,  // Latin Extended-A (ğ ş ı İ)
    0x0370, 0x03FF,  // Greek
    0x2000, 0x206F,  // General Punctuation
    0,
};

struct FcPatternDeleter {
    void operator()(FcPattern* pattern) const { FcPatternDestroy(pattern); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcPatternDeleter>;

struct FcConfigDeleter {
    void operator()(FcConfig* config) const { FcConfigDestroy(config); }
};

bool has_family(FcPattern* pattern, const std::string& family) {
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(pattern, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
        if (family == reinterpret_cast<const char*>(name)) return true;
    }
    return false;
}

}  // namespace

FontLookup find_font_file(const std::string& family, const std::string& style) {
    std::unique_ptr<FcConfig, FcConfigDeleter> config(FcInitLoadConfigAndFonts());
    if (!config) return {{}, "fontconfig could not be initialised; install fontconfig and " + std::string(kFontPackage)};
    const std::string query = family + ":style=" + style;
    FcPatternPtr pattern(FcNameParse(reinterpret_cast<const FcChar8*>(query.c_str())));
    if (!pattern) return {{}, "bad fontconfig pattern '" + query + "'"};
    FcConfigSubstitute(config.get(), pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    FcPatternPtr match(FcFontMatch(config.get(), pattern.get(), &result));
    const std::string missing = "the font '" + family + " " + style + "' was not found through fontconfig";
    // fontconfig always offers some substitute; only the family asked for is good enough.
    if (!match || !has_family(match.get(), family)) return {{}, missing + "; install the package " + kFontPackage};
    FcChar8* file = nullptr;
    if (FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) return {{}, missing};
    std::string path(reinterpret_cast<const char*>(file));
    if (!std::filesystem::exists(path)) return {{}, missing + " (fontconfig names " + path + ", which does not exist)"};
    return {path, {}};
}

std::optional<std::string> load_kiosk_fonts(ImFontAtlas& atlas, const TypeScale& sizes, KioskFonts& fonts) {
    const FontLookup regular = find_font_file(kFamily, "Book");
    if (!regular.error.empty()) return regular.error;
    FontLookup bold = find_font_file(kFamily, "Bold");
    ImFontConfig bold_config;
    if (!bold.error.empty()) {
        // Bold is a nicety: embolden the regular face rather than refuse to start.
        std::fprintf(stderr, "truthpoint-kiosk: %s; using synthetic bold\n", bold.error.c_str());
        bold.file = regular.file;
        bold_config.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;
    }

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    fonts.headline = atlas.AddFontFromFileTTF(bold.file.c_str(), sizes.headline, &bold_config, kGlyphRanges);
    fonts.body = atlas.AddFontFromFileTTF(bold.file.c_str(), sizes.body, &bold_config, kGlyphRanges);
    fonts.caption = atlas.AddFontFromFileTTF(regular.file.c_str(), sizes.caption, nullptr, kGlyphRanges);
    if (!fonts.headline || !fonts.body || !fonts.caption) return "could not read the font file " + regular.file;
    if (!atlas.Build()) return "ImGui's FreeType builder could not rasterise " + regular.file;
    return std::nullopt;
}

}  // namespace truthpoint::kiosk_ui
