// The on-screen keyboard on which a shopper types the optional post-purchase comment, as pure code that the
// ImGui screen draws and unit tests and test tools use without a window: layouts, state, geometry.
//
// [SECTION] Layouts: en, tr, el, fa, ar
// [SECTION] The keyboard's state and editing: OnscreenKeyboard
// [SECTION] Geometry
// [SECTION] For test tools and the font atlas
//
// Text is edited at its end only: appending and erasing the last code point. A comment of at most 280
// code points is short enough to fix by erasing back, and the screen says so; a movable caret would need
// bidi-aware hit testing in mixed Persian/Latin lines for little gain.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

// [SECTION] Layouts

enum class KeyRole {
    Insert,     // appends `text`: a letter, digit, punctuation, space, or lam-alef (two code points)
    Shift,      // one-shot: the next key comes from the shifted layer (capitals, or fa/ar's extra letters)
    Language,   // shows the next of the kiosk's languages
    Erase,      // the last code point (or a pending Greek accent)
    Tonos,      // Greek dead key: the next vowel gets a tonos, α → ά
    Dialytika,  // Greek dead key: the next ι or υ gets a dialytika, ι → ϊ
};

// What a key does on one layer.
struct KeyAction {
    KeyRole role = KeyRole::Insert;
    // Insert: the UTF-8 it appends. Tonos and Dialytika: the spacing accent drawn on the key (΄, ¨).
    // Empty for the others, whose labels (⇧, the next language's name, ⌫) the screen chooses.
    std::string text;
    // The stable target name for tests: "key_" + text for letters and digits (key_q, key_ب, key_لا),
    // else key_space, key_zwnj, key_comma, key_full_stop, key_question_mark, key_shift, key_language,
    // key_erase, key_tonos, key_dialytika. Unique on a layer; never holds white space.
    std::string name;
};

// One key and its two layers. Shift, language and erase keys are the same on both.
struct Key {
    KeyAction normal;
    KeyAction shifted;  // the same as `normal` where the standard layout's shift gives nothing we offer
    float width = 1;    // in units: a letter key is 1

    const KeyAction& on(bool shifted_layer) const { return shifted_layer ? shifted : normal; }
};

// Rows top to bottom, each left to right as printed on the physical keyboard: digits, three rows of
// letters, then shift, language, space, comma, full stop, question mark, erase. Never mirrored for
// right-to-left languages: a keyboard reads the same in every language.
struct KeyboardLayout {
    std::string language;  // "en", "tr", "el", "fa", "ar"
    bool has_case = false;  // shift gives capitals (en, tr, el), or else the extra letters (fa, ar)
    std::vector<std::vector<Key>> rows;
};

// The layout of `language`, or nullptr where there is none. Static data: the pointer stays valid.
const KeyboardLayout* keyboard_layout(std::string_view language);

struct KeyPosition {
    std::size_t row = 0;
    std::size_t index = 0;  // within the row, left to right
    bool operator==(const KeyPosition&) const = default;
};

// Where the key named `name` is on a layer of `layout`.
std::optional<KeyPosition> find_key(const KeyboardLayout& layout, bool shifted_layer, std::string_view name);

// [SECTION] The keyboard's state and editing

// Code points in UTF-8 text, for the length limit and the screen's countdown.
std::size_t code_point_count(std::string_view utf8);

// The layout shown, one-shot shift and the pending Greek accents. The comment text is the caller's (the
// flow holds the draft); every editing call takes it and returns whether it changed. No edit makes the
// text longer than `max_code_points`.
class OnscreenKeyboard {
public:
    // The post-purchase comment's limit; the screen passes app::kMaxCommentCharacters.
    static constexpr std::size_t kDefaultMaxCodePoints = 280;

    // `languages`: the kiosk's languages, in the order the language key cycles through them; those without
    // a layout are skipped. Starts on `session_language` (added first if it has a layout but is not in the
    // list); if no language has a layout, shows "en".
    OnscreenKeyboard(const std::vector<std::string>& languages, std::string_view session_language,
                     std::size_t max_code_points = kDefaultMaxCodePoints);

    const KeyboardLayout& layout() const { return *layouts_[current_]; }
    const std::string& language() const { return layout().language; }
    const std::string& next_language() const;  // what the language key switches to (itself if alone)
    bool shifted() const { return shifted_; }
    bool tonos_pending() const { return tonos_pending_; }
    bool dialytika_pending() const { return dialytika_pending_; }
    std::size_t max_code_points() const { return max_code_points_; }

    // What `key` does on the layer shown (the key must be in layout()).
    const KeyAction& action(KeyPosition key) const;
    // Whether the screen draws `key` held: shift while the shifted layer shows, an accent key while its
    // accent waits for a vowel.
    bool latched(KeyPosition key) const;

    // A tap on `key` of the layer shown. Rules:
    //  - shift toggles the shifted layer, which lasts for one key (like a phone); erase and language keep
    //    or drop it as said below, every other key clears it.
    //  - an accent key arms its accent (tapping it again disarms it; tonos and dialytika together make
    //    ΐ and ΰ). The next character consumes the accents: a vowel that takes them is composed
    //    (ά, Ά, ϊ); any other character, space included, is appended as it is and the accent is dropped.
    //  - a character that does not fit whole is refused (a lam-alef at 279 of 280 too), and shift and
    //    accents are cleared as if it had been typed.
    //  - language shows the next language, clearing shift and accents.
    // False for an unknown position.
    bool press(KeyPosition key, std::string& text);

    // Text from a physical keyboard (SDL's text input, already composed by the OS layout): appends as many
    // code points as fit, dropping control characters and bytes that are not UTF-8. Shift and accents
    // belong to the on-screen keys and are left as they are.
    bool type(std::string_view utf8, std::string& text) const;

    // The erase key: disarms pending accents if any (the text stays: one tap undoes one tap), else removes
    // the last code point. Shift is kept.
    bool erase(std::string& text);

private:
    std::vector<const KeyboardLayout*> layouts_;  // never empty
    std::size_t current_ = 0;
    std::size_t max_code_points_ = kDefaultMaxCodePoints;
    bool shifted_ = false;
    bool tonos_pending_ = false;
    bool dialytika_pending_ = false;
};

// [SECTION] Geometry

// Between neighbouring keys, so that a finger's edge does not press two.
inline constexpr float kKeyGapMm = 2.0f;
// The largest key pitch: keys larger than this make a wide screen's keyboard a reach for one pair of
// hands without helping aim. A 1-unit key is this less the gap.
inline constexpr float kMaxKeyPitchMm = 25.0f;

struct KeyboardGeometry {
    std::vector<std::vector<Rect>> keys;  // keys[row][index], as in the layout
    Rect bounds;                          // around all keys: the screen puts the text above it
    float pitch = 0;                      // pixels per width unit, gap included
};

// Keys as large as fit in `area` (up to kMaxKeyPitchMm, no taller than wide), the widest row spanning the
// area or the cap; each row centred, the rows at the bottom of the area, near the shopper's hands. Every
// layout has five rows of at most 12.5 units, so switching language moves no key's frame. There is always
// one rect per key, empty where the area has no room for it.
KeyboardGeometry layout_keyboard(const Rect& area, const KeyboardLayout& layout, double dpi);

// The key under `point`, none in a gap or outside.
std::optional<KeyPosition> key_at(const KeyboardGeometry& geometry, Point point);

// [SECTION] For test tools and the font atlas

struct KeyStroke {
    KeyPosition position;
    std::string name;  // the target's name on the layer shown when it is pressed: key_Σ after key_shift
};

// The taps, shift and accent keys included, that type `text` on `language`'s layout from a keyboard with
// nothing pending. Nullopt if the layout cannot type some character of it, or has no layout.
std::optional<std::vector<KeyStroke>> keys_to_type(std::string_view text, std::string_view language);

// Every code point the keyboards of `languages` draw or insert, on both layers, accented Greek vowels
// included, sorted and unique, for the font atlas. The window adds the shaped Arabic forms. The
// zero-width non-joiner is left out: it has no glyph.
std::u32string keyboard_characters(const std::vector<std::string>& languages);

}  // namespace truthpoint::kiosk_ui
