// Right-to-left text for a renderer that knows nothing of scripts (ImGui 1.86 draws code points left to
// right, one glyph each): FriBidi reorders a line into visual order and shapes Arabic and Persian letters
// into their joined presentation forms (U+FB50–FDFF, U+FE70–FEFF), which the font atlas then holds.
#pragma once

#include <string>
#include <string_view>

namespace truthpoint::kiosk_ui {

// The paragraph direction of the shopper's language: Latin product names inside a Persian sentence sit
// where a Persian reader expects them only when the base direction is right to left.
enum class TextDirection { LeftToRight, RightToLeft };

// True when `utf8` holds a character of a right-to-left script (Hebrew, Arabic and their forms).
bool has_right_to_left_characters(std::string_view utf8);

// One line of logical-order UTF-8 → the same line in visual order, shaped, as UTF-8, ready to draw
// left to right. Joiner fillers (U+FEFF, left by lam-alef ligatures), ZWNJ/ZWJ and bidi marks are removed.
// Text that needs nothing (left to right, no RTL characters) comes back unchanged without FriBidi.
// Costs a few microseconds per line: callers cache the result rather than shaping every frame.
std::string visual_line(std::string_view utf8, TextDirection base);

// UTF-8 ↔ code points, for tests and for the glyph ranges of the font atlas.
std::u32string utf8_to_code_points(std::string_view utf8);
std::string code_points_to_utf8(std::u32string_view code_points);

}  // namespace truthpoint::kiosk_ui
