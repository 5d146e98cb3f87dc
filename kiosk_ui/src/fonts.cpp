// Finds the kiosk's fonts through fontconfig, checks that they cover its languages, and builds ImGui's
// font atlas with the FreeType builder (see fonts.hpp).
#include "fonts.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <imgui_freetype.h>

#include "truthpoint/app/translations.hpp"
#include "truthpoint/kiosk_ui/preflight.hpp"

namespace truthpoint::kiosk_ui {

namespace {

constexpr const char* kLatinFamily = "DejaVu Sans";
constexpr const char* kLatinPackage = "fonts-dejavu-core";
constexpr const char* kArabicFamily = "Noto Sans Arabic";
constexpr const char* kArabicPackage = "fonts-noto-core";

// Arabic script, its presentation forms and digits come from Noto Sans Arabic; everything else from
// DejaVu Sans. (DejaVu has some Arabic too; keeping it out of DejaVu's ranges makes Noto's glyphs win.)
bool is_arabic_script(char32_t c) {
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// A letter each language cannot do without: if the font lacks it, the language is not covered.
struct LanguageSample {
    const char* code;
    const char* name;
    char32_t letter;
};
constexpr LanguageSample kSamples[] = {
    {"en", "English", U'e'},         {"el", "Greek", U'\u03AE'},     {"tr", "Turkish", U'\u011F'},
    {"fa", "Persian", U'\uFB58'},    // PEH INITIAL FORM: a Persian letter, shaped
    {"ar", "Arabic", U'\uFECB'},     // AIN INITIAL FORM
};

struct FcConfigDeleter {
    void operator()(FcConfig* config) const { FcConfigDestroy(config); }
};
struct FcPatternDeleter {
    void operator()(FcPattern* pattern) const { FcPatternDestroy(pattern); }
};
using FcPatternPtr = std::unique_ptr<FcPattern, FcPatternDeleter>;

bool has_family(FcPattern* pattern, const std::string& family) {
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(pattern, FC_FAMILY, i, &name) == FcResultMatch; ++i) {
        if (family == reinterpret_cast<const char*>(name)) return true;
    }
    return false;
}

// Whether the font file covers `letter`, from fontconfig's charset of the file.
bool font_has_letter(const std::string& file, char32_t letter) {
    int count = 0;
    FcBlanks* blanks = nullptr;
    FcPatternPtr pattern(FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(file.c_str()), 0, blanks, &count));
    if (!pattern) return false;
    FcCharSet* charset = nullptr;
    if (FcPatternGetCharSet(pattern.get(), FC_CHARSET, 0, &charset) != FcResultMatch) return false;
    return FcCharSetHasChar(charset, static_cast<FcChar32>(letter)) != 0;
}

struct FontFiles {
    std::string regular;
    std::string bold;  // may be the regular file, emboldened by FreeType
    bool synthetic_bold = false;
};

struct KioskFontFiles {
    FontFiles latin;
    FontFiles arabic;  // only when a right-to-left language is configured
    bool needs_arabic = false;
};

std::optional<std::string> find_family(const char* family, const char* regular_style, const char* package,
                                       FontFiles& files) {
    const FontLookup regular = find_font_file(family, regular_style, package);
    if (!regular.error.empty()) return regular.error;
    files.regular = regular.file;
    const FontLookup bold = find_font_file(family, "Bold", package);
    if (bold.error.empty()) {
        files.bold = bold.file;
    } else {
        // Bold is a nicety: embolden the regular face rather than refuse to start.
        std::fprintf(stderr, "truthpoint-kiosk: %s; using synthetic bold\n", bold.error.c_str());
        files.bold = regular.file;
        files.synthetic_bold = true;
    }
    return std::nullopt;
}

// ImGui's FreeType builder sizes a font by its real dimension (ascender − descender), not by its em.
// Noto Sans Arabic reserves much more height than DejaVu Sans (for stacked marks), so at one pixel size
// its letters would come out about half as tall: this is the factor that gives both the same em.
float real_dimension_em(const std::string& file) {
    FT_Library library = nullptr;
    if (FT_Init_FreeType(&library) != 0) return 1.0f;
    float dimension = 1.0f;
    FT_Face face = nullptr;
    if (FT_New_Face(library, file.c_str(), 0, &face) == 0) {
        if (face->units_per_EM > 0) {
            dimension = static_cast<float>(face->ascender - face->descender) / static_cast<float>(face->units_per_EM);
        }
        FT_Done_Face(face);
    }
    FT_Done_FreeType(library);
    return dimension;
}

ImFont* add_font(ImFontAtlas& atlas, const FontFiles& latin, const FontFiles* arabic, float arabic_scale, bool bold,
                 float size, const ImVector<ImWchar>& latin_ranges, const ImVector<ImWchar>& arabic_ranges) {
    ImFontConfig config;
    if (bold && latin.synthetic_bold) config.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;
    ImFont* font = atlas.AddFontFromFileTTF((bold ? latin.bold : latin.regular).c_str(), size, &config, latin_ranges.Data);
    if (font == nullptr || arabic == nullptr || arabic_ranges.Size <= 1) return font;
    ImFontConfig merge;
    merge.MergeMode = true;
    if (bold && arabic->synthetic_bold) merge.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_Bold;
    // Glyphs of a merged font sit on the first font's baseline: no offset needed, only the same em.
    if (!atlas.AddFontFromFileTTF((bold ? arabic->bold : arabic->regular).c_str(), size * arabic_scale, &merge,
                                  arabic_ranges.Data)) {
        return nullptr;
    }
    return font;
}

}  // namespace

FontLookup find_font_file(const std::string& family, const std::string& style, const std::string& package) {
    std::unique_ptr<FcConfig, FcConfigDeleter> config(FcInitLoadConfigAndFonts());
    if (!config) return {{}, "fontconfig could not be initialised; install fontconfig and " + package};
    const std::string query = family + ":style=" + style;
    FcPatternPtr pattern(FcNameParse(reinterpret_cast<const FcChar8*>(query.c_str())));
    if (!pattern) return {{}, "bad fontconfig pattern '" + query + "'"};
    FcConfigSubstitute(config.get(), pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    FcPatternPtr match(FcFontMatch(config.get(), pattern.get(), &result));
    const std::string missing = "the font '" + family + " " + style + "' was not found through fontconfig";
    // fontconfig always offers some substitute; only the family asked for is good enough.
    if (!match || !has_family(match.get(), family)) return {{}, missing + "; install the package " + package};
    FcChar8* file = nullptr;
    if (FcPatternGetString(match.get(), FC_FILE, 0, &file) != FcResultMatch) return {{}, missing};
    std::string path(reinterpret_cast<const char*>(file));
    if (!std::filesystem::exists(path)) return {{}, missing + " (fontconfig names " + path + ", which does not exist)"};
    return {path, {}};
}

namespace {

// Finds the fonts for `languages` and checks each covers its language's letters; an error names the
// language, the font and the package to install.
std::optional<std::string> find_kiosk_fonts(const std::vector<std::string>& languages, KioskFontFiles& found) {
    if (auto error = find_family(kLatinFamily, "Book", kLatinPackage, found.latin)) return error;
    found.needs_arabic = false;
    for (const std::string& language : languages) found.needs_arabic |= app::is_right_to_left(language);
    if (found.needs_arabic) {
        if (auto error = find_family(kArabicFamily, "Regular", kArabicPackage, found.arabic)) {
            return "the languages fa and ar need the font '" + std::string(kArabicFamily) + "': " + *error;
        }
    }

    // Every configured language must be covered by the font that will draw it.
    for (const std::string& language : languages) {
        for (const LanguageSample& sample : kSamples) {
            if (app::language_of(language) != sample.code) continue;
            const bool arabic_script = is_arabic_script(sample.letter);
            const std::string& file = arabic_script ? found.arabic.regular : found.latin.regular;
            if (!font_has_letter(file, sample.letter)) {
                return std::string("no font covers ") + sample.name + " (" + language + "): " +
                       (arabic_script ? kArabicFamily : kLatinFamily) + " (" + file + ") lacks U+" +
                       [&] {
                           char hex[8];
                           std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(sample.letter));
                           return std::string(hex);
                       }() +
                       "; install " + (arabic_script ? kArabicPackage : kLatinPackage);
            }
        }
    }
    return std::nullopt;
}

}  // namespace

core::Result<std::string> check_kiosk_fonts(const std::vector<std::string>& languages) {
    KioskFontFiles found;
    if (auto error = find_kiosk_fonts(languages, found)) return core::make_error(core::ErrorCode::Unavailable, *error);
    std::string files = std::string(kLatinFamily) + " (" + found.latin.regular + ")";
    if (found.needs_arabic) files += ", " + std::string(kArabicFamily) + " (" + found.arabic.regular + ")";
    return files;
}

std::optional<std::string> load_kiosk_fonts(ImFontAtlas& atlas, const TypeScale& sizes,
                                            const std::vector<std::string>& languages,
                                            const std::u32string& code_points, FontSet& fonts) {
    KioskFontFiles found;
    if (auto error = find_kiosk_fonts(languages, found)) return error;
    const FontFiles& latin = found.latin;
    const FontFiles& arabic = found.arabic;
    const bool needs_arabic = found.needs_arabic;

    // Only the glyphs the kiosk draws: a small atlas, even with two sizes of three fonts.
    ImFontGlyphRangesBuilder latin_builder;
    ImFontGlyphRangesBuilder arabic_builder;
    latin_builder.AddRanges(atlas.GetGlyphRangesDefault());  // Basic Latin and Latin-1: staff-facing errors
    for (char32_t c = U'0'; c <= U'9'; ++c) latin_builder.AddChar(static_cast<ImWchar>(c));
    for (char32_t c = 0x06F0; c <= 0x06F9; ++c) arabic_builder.AddChar(static_cast<ImWchar>(c));  // Persian digits
    for (char32_t c = 0x0660; c <= 0x0669; ++c) arabic_builder.AddChar(static_cast<ImWchar>(c));  // Arabic-Indic
    latin_builder.AddChar(0x2026);  // …
    latin_builder.AddChar(0x2022);  // • (PIN dots are drawn, but a fallback is cheap)
    for (const char32_t c : code_points) {
        if (c > 0xFFFF) continue;  // ImWchar is 16-bit in ImGui 1.86
        (needs_arabic && is_arabic_script(c) ? arabic_builder : latin_builder).AddChar(static_cast<ImWchar>(c));
    }
    // ImGui keeps pointers to the ranges until the atlas is built; static storage outlives it.
    static ImVector<ImWchar> latin_ranges;
    static ImVector<ImWchar> arabic_ranges;
    latin_ranges.clear();
    arabic_ranges.clear();
    latin_builder.BuildRanges(&latin_ranges);
    arabic_builder.BuildRanges(&arabic_ranges);

    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    const FontFiles* arabic_files = needs_arabic ? &arabic : nullptr;
    // Arabic script reads small beside Latin at one em; a tenth more evens the two out.
    const float arabic_scale =
        needs_arabic ? 1.1f * real_dimension_em(arabic.regular) / real_dimension_em(latin.regular) : 1.0f;
    for (const bool large : {false, true}) {
        const float scale = large ? kLargeTextScale : 1.0f;
        KioskFonts& set = large ? fonts.large : fonts.normal;
        set.headline = add_font(atlas, latin, arabic_files, arabic_scale, true, sizes.headline * scale, latin_ranges, arabic_ranges);
        set.body = add_font(atlas, latin, arabic_files, arabic_scale, true, sizes.body * scale, latin_ranges, arabic_ranges);
        set.caption = add_font(atlas, latin, arabic_files, arabic_scale, false, sizes.caption * scale, latin_ranges, arabic_ranges);
        if (!set.headline || !set.body || !set.caption) return "could not read the font files " + latin.regular;
    }
    if (!atlas.Build()) return "ImGui's FreeType builder could not rasterise " + latin.regular;
    return std::nullopt;
}

}  // namespace truthpoint::kiosk_ui
