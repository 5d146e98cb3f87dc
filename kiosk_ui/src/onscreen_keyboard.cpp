// The on-screen keyboard's layouts, state, geometry and the key sequences test tools type with (see
// onscreen_keyboard.hpp).
#include "truthpoint/kiosk_ui/onscreen_keyboard.hpp"

#include <algorithm>
#include <cassert>
#include <deque>
#include <map>
#include <utility>

#include "truthpoint/kiosk_ui/bidi_text.hpp"

namespace truthpoint::kiosk_ui {

namespace {

// [SECTION] Layouts

constexpr std::string_view kZeroWidthNonJoiner = "\u200C";

std::vector<std::string_view> split_on_spaces(std::string_view line) {
    std::vector<std::string_view> words;
    while (!line.empty()) {
        const std::size_t space = line.find(' ');
        if (space != 0) words.push_back(line.substr(0, space));
        if (space == std::string_view::npos) break;
        line.remove_prefix(space + 1);
    }
    return words;
}

KeyAction insert(std::string_view text, std::string name) {
    return {KeyRole::Insert, std::string(text), std::move(name)};
}
KeyAction insert(std::string_view text) { return insert(text, "key_" + std::string(text)); }

// A row of one-unit keys from two space-separated lists, normal and shifted, as they read on the layout.
std::vector<Key> row(std::string_view normal, std::string_view shifted) {
    const std::vector<std::string_view> lower = split_on_spaces(normal);
    const std::vector<std::string_view> upper = split_on_spaces(shifted);
    assert(lower.size() == upper.size());
    std::vector<Key> keys;
    for (std::size_t i = 0; i < lower.size() && i < upper.size(); ++i) {
        keys.push_back({insert(lower[i]), insert(upper[i])});
    }
    return keys;
}
std::vector<Key> row(std::string_view same_on_both) { return row(same_on_both, same_on_both); }

Key same_key(KeyRole role, std::string name, float width) {
    const KeyAction action{role, "", std::move(name)};
    return {action, action, width};
}

struct Punctuation {
    std::string_view comma, full_stop, question_mark;
};

// 1.5 + 1.5 + 5 + 3 × 1 + 1.5 = 12.5 units, half a unit wider than the widest letter row (12): a space bar
// of five letters, and every layout equally wide, so that switching language moves no key.
std::vector<Key> bottom_row(Punctuation punctuation, KeyAction shifted_space) {
    const KeyAction space = insert(" ", "key_space");
    const auto punctuation_key = [](std::string_view text, const char* name) {
        return Key{insert(text, name), insert(text, name)};
    };
    return {
        same_key(KeyRole::Shift, "key_shift", 1.5f),
        same_key(KeyRole::Language, "key_language", 1.5f),
        {space, std::move(shifted_space), 5.0f},
        punctuation_key(punctuation.comma, "key_comma"),
        punctuation_key(punctuation.full_stop, "key_full_stop"),
        punctuation_key(punctuation.question_mark, "key_question_mark"),
        same_key(KeyRole::Erase, "key_erase", 1.5f),
    };
}
std::vector<Key> bottom_row(Punctuation punctuation) { return bottom_row(punctuation, insert(" ", "key_space")); }

constexpr std::string_view kLatinDigits = "1 2 3 4 5 6 7 8 9 0";

KeyboardLayout english() {
    return {"en", true, {
        row(kLatinDigits),
        row("q w e r t y u i o p", "Q W E R T Y U I O P"),
        row("a s d f g h j k l", "A S D F G H J K L"),
        row("z x c v b n m", "Z X C V B N M"),
        bottom_row({",", ".", "?"}),
    }};
}

// Turkish Q: dotless ı and dotted i are two letters, each with its own capital (I and İ).
KeyboardLayout turkish() {
    return {"tr", true, {
        row(kLatinDigits),
        row("q w e r t y u ı o p ğ ü", "Q W E R T Y U I O P Ğ Ü"),
        row("a s d f g h j k l ş i", "A S D F G H J K L Ş İ"),
        row("z x c v b n m ö ç", "Z X C V B N M Ö Ç"),
        bottom_row({",", ".", "?"}),
    }};
}

// Greek standard. Its Q key types ";", the Greek question mark: here that is the bottom row's question-mark
// key, so the first letter row starts at ς. Shifted ς stays ς: the standard gives Σ there, but Σ is the σ
// key's and a target name must be unique on its layer. The accent key is where the standard has it (the ;
// key of a US keyboard): tonos, and dialytika shifted. ";" is U+003B, which Greek keyboards type (U+037E
// normalises to it).
KeyboardLayout greek() {
    std::vector<Key> middle = row("α σ δ φ γ η ξ κ λ", "Α Σ Δ Φ Γ Η Ξ Κ Λ");
    middle.push_back({{KeyRole::Tonos, "\u0384", "key_tonos"}, {KeyRole::Dialytika, "\u00A8", "key_dialytika"}});
    return {"el", true, {
        row(kLatinDigits),
        row("ς ε ρ τ υ θ ι ο π", "ς Ε Ρ Τ Υ Θ Ι Ο Π"),
        std::move(middle),
        row("ζ χ ψ ω β ν μ", "Ζ Χ Ψ Ω Β Ν Μ"),
        bottom_row({",", ".", ";"}),
    }};
}

// Persian standard (ISIRI 9147). Shift gives the standard's extra letters where it has them (ؤ ئ ي إ أ آ ة
// ك ژ ء) and the zero-width non-joiner on the space bar; where the standard's shift gives harakat,
// brackets or quotes, the shifted key keeps its letter.
KeyboardLayout persian() {
    return {"fa", false, {
        row("۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۰"),
        row("ض ص ث ق ف غ ع ه خ ح ج چ"),
        row("ش س ی ب ل ا ت ن م ک گ", "ؤ ئ ي إ أ آ ة ن م ک گ"),
        row("ظ ط ز ر ذ د پ و", "ك ط ژ ر ذ د ء و"),
        bottom_row({"،", ".", "؟"}, insert(kZeroWidthNonJoiner, "key_zwnj")),
    }};
}

// Arabic (101). ذ is at the start of the digits row, as on the standard's ` key. The لا key types two code
// points (lam, alef), as do its shifted لآ and the shifted لأ and لإ. Shift gives the hamza and madda
// forms (إ أ آ); where the standard's shift gives harakat or symbols, the shifted key keeps its letter.
KeyboardLayout arabic() {
    return {"ar", false, {
        row("ذ ١ ٢ ٣ ٤ ٥ ٦ ٧ ٨ ٩ ٠"),
        row("ض ص ث ق ف غ ع ه خ ح ج د", "ض ص ث ق لإ إ ع ه خ ح ج د"),
        row("ش س ي ب ل ا ت ن م ك ط", "ش س ي ب لأ أ ت ن م ك ط"),
        row("ئ ء ؤ ر لا ى ة و ز ظ", "ئ ء ؤ ر لآ آ ة و ز ظ"),
        bottom_row({"،", ".", "؟"}),
    }};
}

const std::vector<KeyboardLayout>& all_layouts() {
    static const std::vector<KeyboardLayout> layouts{english(), turkish(), greek(), persian(), arabic()};
    return layouts;
}

// [SECTION] Greek accents

struct Accented {
    char32_t vowel;
    bool tonos;
    bool dialytika;
    char32_t composed;
};

constexpr Accented kAccented[] = {
    {U'α', true, false, U'ά'}, {U'ε', true, false, U'έ'}, {U'η', true, false, U'ή'}, {U'ι', true, false, U'ί'},
    {U'ο', true, false, U'ό'}, {U'υ', true, false, U'ύ'}, {U'ω', true, false, U'ώ'},
    {U'Α', true, false, U'Ά'}, {U'Ε', true, false, U'Έ'}, {U'Η', true, false, U'Ή'}, {U'Ι', true, false, U'Ί'},
    {U'Ο', true, false, U'Ό'}, {U'Υ', true, false, U'Ύ'}, {U'Ω', true, false, U'Ώ'},
    {U'ι', false, true, U'ϊ'}, {U'υ', false, true, U'ϋ'}, {U'Ι', false, true, U'Ϊ'}, {U'Υ', false, true, U'Ϋ'},
    {U'ι', true, true, U'ΐ'}, {U'υ', true, true, U'ΰ'},
};

// `text` with the pending accents applied, or as it is where the character does not take them.
std::string with_accents(const std::string& text, bool tonos, bool dialytika) {
    if (!tonos && !dialytika) return text;
    const std::u32string code_points = utf8_to_code_points(text);
    if (code_points.size() != 1) return text;
    for (const Accented& accented : kAccented) {
        if (accented.vowel == code_points[0] && accented.tonos == tonos && accented.dialytika == dialytika) {
            return code_points_to_utf8(std::u32string(1, accented.composed));
        }
    }
    return text;
}

// [SECTION] Text

bool is_continuation_byte(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

// What physical typing may append: no controls (C0, DEL, C1), nothing the decoder flagged as not UTF-8
// (U+FFFD), no surrogates or values past Unicode.
bool is_typeable(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return false;
    if (c == 0xFFFD || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return false;
    return true;
}

}  // namespace

const KeyboardLayout* keyboard_layout(std::string_view language) {
    for (const KeyboardLayout& layout : all_layouts()) {
        if (layout.language == language) return &layout;
    }
    return nullptr;
}

std::optional<KeyPosition> find_key(const KeyboardLayout& layout, bool shifted_layer, std::string_view name) {
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        for (std::size_t i = 0; i < layout.rows[r].size(); ++i) {
            if (layout.rows[r][i].on(shifted_layer).name == name) return KeyPosition{r, i};
        }
    }
    return std::nullopt;
}

std::size_t code_point_count(std::string_view utf8) {
    const auto leads = std::count_if(utf8.begin(), utf8.end(), [](char b) { return !is_continuation_byte(b); });
    return static_cast<std::size_t>(leads);
}

// [SECTION] OnscreenKeyboard

OnscreenKeyboard::OnscreenKeyboard(const std::vector<std::string>& languages, std::string_view session_language,
                                   std::size_t max_code_points)
    : max_code_points_(max_code_points) {
    for (const std::string& language : languages) {
        const KeyboardLayout* layout = keyboard_layout(language);
        if (layout != nullptr && std::find(layouts_.begin(), layouts_.end(), layout) == layouts_.end()) {
            layouts_.push_back(layout);
        }
    }
    if (const KeyboardLayout* session = keyboard_layout(session_language)) {
        const auto found = std::find(layouts_.begin(), layouts_.end(), session);
        if (found == layouts_.end()) {
            layouts_.insert(layouts_.begin(), session);
        } else {
            current_ = static_cast<std::size_t>(found - layouts_.begin());
        }
    }
    if (layouts_.empty()) layouts_.push_back(keyboard_layout("en"));
}

const std::string& OnscreenKeyboard::next_language() const {
    return layouts_[(current_ + 1) % layouts_.size()]->language;
}

const KeyAction& OnscreenKeyboard::action(KeyPosition key) const {
    return layout().rows.at(key.row).at(key.index).on(shifted_);
}

bool OnscreenKeyboard::latched(KeyPosition key) const {
    if (key.row >= layout().rows.size() || key.index >= layout().rows[key.row].size()) return false;
    const Key& k = layout().rows[key.row][key.index];
    const auto armed = [this](const KeyAction& a) {
        return (a.role == KeyRole::Shift && shifted_) || (a.role == KeyRole::Tonos && tonos_pending_) ||
               (a.role == KeyRole::Dialytika && dialytika_pending_);
    };
    return armed(k.normal) || armed(k.shifted);
}

bool OnscreenKeyboard::press(KeyPosition key, std::string& text) {
    if (key.row >= layout().rows.size() || key.index >= layout().rows[key.row].size()) return false;
    const KeyAction& pressed = action(key);
    switch (pressed.role) {
        case KeyRole::Shift:
            shifted_ = !shifted_;
            return false;
        case KeyRole::Language:
            current_ = (current_ + 1) % layouts_.size();
            shifted_ = tonos_pending_ = dialytika_pending_ = false;
            return false;
        case KeyRole::Erase:
            return erase(text);
        case KeyRole::Tonos:
            tonos_pending_ = !tonos_pending_;
            shifted_ = false;
            return false;
        case KeyRole::Dialytika:
            dialytika_pending_ = !dialytika_pending_;
            shifted_ = false;
            return false;
        case KeyRole::Insert:
            break;
    }
    const std::string inserted = with_accents(pressed.text, tonos_pending_, dialytika_pending_);
    shifted_ = tonos_pending_ = dialytika_pending_ = false;
    if (code_point_count(text) + code_point_count(inserted) > max_code_points_) return false;
    text += inserted;
    return true;
}

bool OnscreenKeyboard::type(std::string_view utf8, std::string& text) const {
    const std::size_t length = code_point_count(text);
    std::size_t room = length < max_code_points_ ? max_code_points_ - length : 0;
    std::u32string accepted;
    for (const char32_t c : utf8_to_code_points(utf8)) {
        if (room == 0) break;
        if (!is_typeable(c)) continue;
        accepted.push_back(c);
        --room;
    }
    if (accepted.empty()) return false;
    text += code_points_to_utf8(accepted);
    return true;
}

bool OnscreenKeyboard::erase(std::string& text) {
    if (tonos_pending_ || dialytika_pending_) {
        tonos_pending_ = dialytika_pending_ = false;
        return false;
    }
    if (text.empty()) return false;
    while (!text.empty() && is_continuation_byte(text.back())) text.pop_back();
    if (!text.empty()) text.pop_back();  // the lead byte
    return true;
}

// [SECTION] Geometry

KeyboardGeometry layout_keyboard(const Rect& area, const KeyboardLayout& layout, double dpi) {
    KeyboardGeometry geometry;
    float widest = 0;
    for (const std::vector<Key>& keys : layout.rows) {
        float units = 0;
        for (const Key& key : keys) units += key.width;
        widest = std::max(widest, units);
    }
    if (layout.rows.empty() || widest <= 0) return geometry;

    // A row of n units spans n pitches less one gap (no gap after its last key). An area too small for the
    // gaps gets empty keys, still one per key of the layout.
    const float gap = mm_to_px(kKeyGapMm, dpi);
    const auto row_count = static_cast<float>(layout.rows.size());
    geometry.pitch = std::min((std::max(0.0f, area.width) + gap) / widest, mm_to_px(kMaxKeyPitchMm, dpi));
    const float row_pitch = std::min((std::max(0.0f, area.height) + gap) / row_count, geometry.pitch);
    const float key_height = std::max(0.0f, row_pitch - gap);

    float y = area.bottom() - (row_count * row_pitch - gap);
    float left = area.right();
    float right = area.x;
    for (const std::vector<Key>& keys : layout.rows) {
        float units = 0;
        for (const Key& key : keys) units += key.width;
        float x = area.x + (area.width - (units * geometry.pitch - gap)) / 2;
        std::vector<Rect>& rects = geometry.keys.emplace_back();
        for (const Key& key : keys) {
            rects.push_back(Rect{x, y, std::max(0.0f, key.width * geometry.pitch - gap), key_height});
            x += key.width * geometry.pitch;
        }
        if (!rects.empty()) {
            left = std::min(left, rects.front().x);
            right = std::max(right, rects.back().right());
        }
        y += row_pitch;
    }
    const float top = area.bottom() - (row_count * row_pitch - gap);
    geometry.bounds = Rect{left, top, std::max(0.0f, right - left), area.bottom() - top};
    return geometry;
}

std::optional<KeyPosition> key_at(const KeyboardGeometry& geometry, Point point) {
    for (std::size_t r = 0; r < geometry.keys.size(); ++r) {
        for (std::size_t i = 0; i < geometry.keys[r].size(); ++i) {
            if (geometry.keys[r][i].contains(point)) return KeyPosition{r, i};
        }
    }
    return std::nullopt;
}

// [SECTION] For test tools and the font atlas

namespace {

// Taps of shift and accent keys before a character: the longest needed is tonos, shift, dialytika, ι (ΐ)
// or shift, dialytika, shift, Ι (Ϊ).
constexpr std::size_t kMaxStrokesPerCharacter = 4;

// Every text one character key can append from a keyboard with nothing pending, each with its fewest taps:
// a breadth-first search over the keyboard itself, so the answer is what press() really does.
std::map<std::string, std::vector<KeyStroke>> typeable_texts(const OnscreenKeyboard& resting) {
    struct Pending {
        OnscreenKeyboard keyboard;
        std::vector<KeyStroke> strokes;
    };
    std::map<std::string, std::vector<KeyStroke>> texts;
    std::deque<Pending> queue{{resting, {}}};
    while (!queue.empty()) {
        Pending state = std::move(queue.front());
        queue.pop_front();
        if (state.strokes.size() >= kMaxStrokesPerCharacter) continue;
        const KeyboardLayout& layout = state.keyboard.layout();
        for (std::size_t r = 0; r < layout.rows.size(); ++r) {
            for (std::size_t i = 0; i < layout.rows[r].size(); ++i) {
                const KeyPosition position{r, i};
                const KeyAction& action = state.keyboard.action(position);
                if (action.role == KeyRole::Language || action.role == KeyRole::Erase) continue;
                Pending next{state.keyboard, state.strokes};
                next.strokes.push_back({position, action.name});
                std::string text;
                if (next.keyboard.press(position, text)) {
                    texts.try_emplace(text, std::move(next.strokes));  // breadth first: the first is the shortest
                } else {
                    queue.push_back(std::move(next));
                }
            }
        }
    }
    return texts;
}

}  // namespace

std::optional<std::vector<KeyStroke>> keys_to_type(std::string_view text, std::string_view language) {
    if (keyboard_layout(language) == nullptr) return std::nullopt;
    const OnscreenKeyboard keyboard({std::string(language)}, language);
    const std::map<std::string, std::vector<KeyStroke>> typeable = typeable_texts(keyboard);

    // Greedy, longest text first: one tap on لا rather than ل then ا. Every key that types two code points
    // types two that are also typeable one by one, so greed never strands a character.
    std::vector<KeyStroke> strokes;
    while (!text.empty()) {
        const std::pair<const std::string, std::vector<KeyStroke>>* best = nullptr;
        for (const auto& entry : typeable) {
            if (text.starts_with(entry.first) && (best == nullptr || entry.first.size() > best->first.size())) {
                best = &entry;
            }
        }
        if (best == nullptr) return std::nullopt;
        strokes.insert(strokes.end(), best->second.begin(), best->second.end());
        text.remove_prefix(best->first.size());
    }
    return strokes;
}

std::u32string keyboard_characters(const std::vector<std::string>& languages) {
    std::u32string characters;
    const auto add = [&characters](std::string_view utf8) {
        for (const char32_t c : utf8_to_code_points(utf8)) {
            if (c != U'\u200C') characters.push_back(c);
        }
    };
    for (const std::string& language : languages) {
        const KeyboardLayout* layout = keyboard_layout(language);
        if (layout == nullptr) continue;
        bool has_accents = false;
        for (const std::vector<Key>& keys : layout->rows) {
            for (const Key& key : keys) {
                for (const KeyAction* action : {&key.normal, &key.shifted}) {
                    add(action->text);
                    has_accents |= action->role == KeyRole::Tonos || action->role == KeyRole::Dialytika;
                }
            }
        }
        if (has_accents) {
            for (const Accented& accented : kAccented) characters.push_back(accented.composed);
        }
    }
    std::sort(characters.begin(), characters.end());
    characters.erase(std::unique(characters.begin(), characters.end()), characters.end());
    return characters;
}

}  // namespace truthpoint::kiosk_ui
