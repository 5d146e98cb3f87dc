// FriBidi reordering and Arabic shaping of one line (see bidi_text.hpp).
#include "truthpoint/kiosk_ui/bidi_text.hpp"

#include <fribidi.h>

#include <vector>

namespace truthpoint::kiosk_ui {

namespace {

constexpr char32_t kZeroWidthNoBreakSpace = 0xFEFF;  // FRIBIDI_CHAR_FILL: the slot a ligature freed

bool is_right_to_left_code_point(char32_t c) {
    return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFE);
}

// Bidi controls, marks and (non-)joiners: they steer shaping and ordering but have no glyph in the atlas.
// Persian writes compound words with a zero-width non-joiner (گل‌های), which has done its work once shaped.
bool is_invisible_control(char32_t c) {
    return c == kZeroWidthNoBreakSpace || c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x061C;
}

}  // namespace

std::u32string utf8_to_code_points(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        int length = 1;
        char32_t c = byte;
        if (byte >= 0xF0) {
            length = 4;
            c = byte & 0x07;
        } else if (byte >= 0xE0) {
            length = 3;
            c = byte & 0x0F;
        } else if (byte >= 0xC0) {
            length = 2;
            c = byte & 0x1F;
        } else if (byte >= 0x80) {
            out.push_back(0xFFFD);  // a stray continuation byte
            ++i;
            continue;
        }
        if (i + static_cast<std::size_t>(length) > utf8.size()) {
            out.push_back(0xFFFD);
            break;
        }
        for (int k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        out.push_back(c);
        i += static_cast<std::size_t>(length);
    }
    return out;
}

std::string code_points_to_utf8(std::u32string_view code_points) {
    std::string out;
    out.reserve(code_points.size() * 2);
    for (const char32_t c : code_points) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (c >> 18)));
            out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

bool has_right_to_left_characters(std::string_view utf8) {
    // Every RTL code point we care about is ≥ U+0590, i.e. a multi-byte sequence: skip ASCII quickly.
    bool any_multibyte = false;
    for (const char c : utf8) any_multibyte |= (static_cast<unsigned char>(c) >= 0xC0);
    if (!any_multibyte) return false;
    for (const char32_t c : utf8_to_code_points(utf8)) {
        if (is_right_to_left_code_point(c)) return true;
    }
    return false;
}

std::string visual_line(std::string_view utf8, TextDirection base) {
    if (base == TextDirection::LeftToRight && !has_right_to_left_characters(utf8)) return std::string(utf8);
    const std::u32string logical = utf8_to_code_points(utf8);
    if (logical.empty()) return {};
    const auto length = static_cast<FriBidiStrIndex>(logical.size());

    std::vector<FriBidiChar> text(logical.begin(), logical.end());
    std::vector<FriBidiCharType> types(logical.size());
    std::vector<FriBidiBracketType> brackets(logical.size());
    std::vector<FriBidiLevel> levels(logical.size());
    std::vector<FriBidiArabicProp> joining(logical.size());

    fribidi_get_bidi_types(text.data(), length, types.data());
    fribidi_get_bracket_types(text.data(), length, types.data(), brackets.data());
    FriBidiParType direction = base == TextDirection::RightToLeft ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), length, &direction, levels.data()) == 0) {
        return std::string(utf8);  // FriBidi ran out of memory: show the logical text rather than nothing
    }
    // Joining first (on logical order), then presentation forms and lam-alef ligatures, then reorder.
    fribidi_get_joining_types(text.data(), length, joining.data());
    fribidi_join_arabic(types.data(), length, levels.data(), joining.data());
    constexpr FriBidiFlags kFlags = FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC;
    fribidi_shape(kFlags, levels.data(), length, joining.data(), text.data());
    if (fribidi_reorder_line(kFlags, types.data(), length, 0, direction, levels.data(), text.data(), nullptr) == 0) {
        return std::string(utf8);
    }

    std::u32string visual;
    visual.reserve(text.size());
    for (const FriBidiChar c : text) {
        if (!is_invisible_control(c)) visual.push_back(static_cast<char32_t>(c));
    }
    return code_points_to_utf8(visual);
}

}  // namespace truthpoint::kiosk_ui
