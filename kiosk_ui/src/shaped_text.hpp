// Text as the kiosk draws it: shaped and reordered for right-to-left languages (bidi_text.hpp), broken
// into at most a few lines and sized to fit a box. ImGui 1.86 draws code points left to right and knows
// no scripts, so this is where Persian and Arabic become drawable. Results are cached per (text, font,
// box): shaping and line breaking run once for a text, never in every frame.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <imgui.h>

#include "truthpoint/kiosk_ui/bidi_text.hpp"
#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

struct FittedText {
    std::vector<std::string> lines;  // visual order, top to bottom, ready for ImDrawList::AddText
    std::vector<float> widths;       // of each line at `size`
    std::vector<float> ink_shifts;   // added to a centred line's x: its glyphs' overhang, balanced
    float size = 0;                  // the pixel size to draw at: the font's, or smaller to fit
    float line_height = 0;
};

enum class Align { Start, Center };  // Start is the left in left-to-right text, the right otherwise

class TextEngine {
public:
    // `max_lines` > 1 lets long labels wrap at spaces (balanced lines) before they shrink.
    const FittedText& fit(ImFont* font, float size, Size box, std::string_view logical, TextDirection direction,
                          int max_lines);
    // The visual form of one line, cached (also used to collect the glyphs the font atlas needs).
    const std::string& visual(std::string_view logical, TextDirection direction);

    void draw(ImDrawList* draw_list, ImFont* font, float size, const Rect& box, ImU32 colour, std::string_view logical,
              TextDirection direction, Align align, int max_lines);

private:
    // Many formatted texts (countdowns) pass through; a bound keeps the cache from growing for ever.
    static constexpr std::size_t kMaxCached = 4096;
    std::unordered_map<std::string, FittedText> fitted_;
    std::unordered_map<std::string, std::string> visual_;
};

}  // namespace truthpoint::kiosk_ui
