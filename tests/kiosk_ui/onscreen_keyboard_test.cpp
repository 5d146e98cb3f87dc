// Unit tests for the on-screen comment keyboard: each language's layout, shift, Turkish i, Greek accents,
// the length limit, physical typing, language cycling, geometry, and the taps test tools type with.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "truthpoint/kiosk_ui/bidi_text.hpp"
#include "truthpoint/kiosk_ui/onscreen_keyboard.hpp"

using namespace truthpoint::kiosk_ui;

namespace {

const KeyboardLayout& layout_of(std::string_view language) {
    const KeyboardLayout* layout = keyboard_layout(language);
    REQUIRE(layout != nullptr);
    return *layout;
}

// The texts a row types on a layer, left to right.
std::vector<std::string> texts_of(const KeyboardLayout& layout, std::size_t row, bool shifted = false) {
    std::vector<std::string> texts;
    for (const Key& key : layout.rows.at(row)) texts.push_back(key.on(shifted).text);
    return texts;
}

std::vector<std::string> words(std::string_view line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= line.size()) {
        const std::size_t space = std::min(line.find(' ', start), line.size());
        out.emplace_back(line.substr(start, space - start));
        start = space + 1;
    }
    return out;
}

// Taps the key of that name on the layer shown; fails the test if there is none.
bool tap(OnscreenKeyboard& keyboard, std::string_view name, std::string& text) {
    const std::optional<KeyPosition> position = find_key(keyboard.layout(), keyboard.shifted(), name);
    INFO("key " << std::string(name) << " on the " << (keyboard.shifted() ? "shifted" : "normal") << " layer");
    REQUIRE(position);
    return keyboard.press(*position, text);
}

std::string tap_all(OnscreenKeyboard& keyboard, const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) tap(keyboard, name, text);
    return text;
}

// The target names keys_to_type gives, or none.
std::vector<std::string> names_to_type(std::string_view text, std::string_view language) {
    std::vector<std::string> names;
    const std::optional<std::vector<KeyStroke>> strokes = keys_to_type(text, language);
    if (strokes) {
        for (const KeyStroke& stroke : *strokes) names.push_back(stroke.name);
    }
    return names;
}

const std::vector<std::string> kAllLanguages{"en", "tr", "el", "fa", "ar"};

}  // namespace

TEST_CASE("each language's keyboard has its standard letters in their places", "[kiosk_ui][keyboard]") {
    SECTION("en: US QWERTY, shift gives capitals") {
        const KeyboardLayout& en = layout_of("en");
        CHECK(texts_of(en, 0) == words("1 2 3 4 5 6 7 8 9 0"));
        CHECK(texts_of(en, 1) == words("q w e r t y u i o p"));
        CHECK(texts_of(en, 2) == words("a s d f g h j k l"));
        CHECK(texts_of(en, 3) == words("z x c v b n m"));
        CHECK(texts_of(en, 1, true) == words("Q W E R T Y U I O P"));
        CHECK(texts_of(en, 0, true) == texts_of(en, 0));  // digits stay digits
        CHECK(en.has_case);
    }
    SECTION("tr: Turkish Q with ı ğ ü ş i ö ç, and their own capitals") {
        const KeyboardLayout& tr = layout_of("tr");
        CHECK(texts_of(tr, 1) == words("q w e r t y u ı o p ğ ü"));
        CHECK(texts_of(tr, 2) == words("a s d f g h j k l ş i"));
        CHECK(texts_of(tr, 3) == words("z x c v b n m ö ç"));
        CHECK(texts_of(tr, 1, true) == words("Q W E R T Y U I O P Ğ Ü"));
        CHECK(texts_of(tr, 2, true) == words("A S D F G H J K L Ş İ"));
        CHECK(texts_of(tr, 3, true) == words("Z X C V B N M Ö Ç"));
    }
    SECTION("el: Greek standard, the accent key where ; is on a US keyboard") {
        const KeyboardLayout& el = layout_of("el");
        CHECK(texts_of(el, 0) == words("1 2 3 4 5 6 7 8 9 0"));
        CHECK(texts_of(el, 1) == words("ς ε ρ τ υ θ ι ο π"));
        CHECK(texts_of(el, 3) == words("ζ χ ψ ω β ν μ"));
        const std::vector<Key>& middle = el.rows[2];
        REQUIRE(middle.size() == 10);
        CHECK(middle.front().normal.text == "α");
        CHECK(middle[8].normal.text == "λ");
        CHECK(middle.back().normal.role == KeyRole::Tonos);
        CHECK(middle.back().normal.name == "key_tonos");
        CHECK(middle.back().normal.text == "΄");
        CHECK(middle.back().shifted.role == KeyRole::Dialytika);
        CHECK(middle.back().shifted.name == "key_dialytika");
        // No capital final sigma: shifted ς stays ς, and Σ is the σ key's.
        CHECK(texts_of(el, 1, true) == words("ς Ε Ρ Τ Υ Θ Ι Ο Π"));
        CHECK(middle[1].shifted.text == "Σ");
        CHECK(el.rows[4][5].normal.text == ";");  // the Greek question mark, as Greek keyboards type it
    }
    SECTION("fa: ISIRI 9147, Persian digits, ژ and the hamza forms on shift, the non-joiner on shift+space") {
        const KeyboardLayout& fa = layout_of("fa");
        CHECK(texts_of(fa, 0) == words("۱ ۲ ۳ ۴ ۵ ۶ ۷ ۸ ۹ ۰"));
        CHECK(texts_of(fa, 1) == words("ض ص ث ق ف غ ع ه خ ح ج چ"));
        CHECK(texts_of(fa, 2) == words("ش س ی ب ل ا ت ن م ک گ"));
        CHECK(texts_of(fa, 3) == words("ظ ط ز ر ذ د پ و"));
        CHECK(texts_of(fa, 1, true) == texts_of(fa, 1));  // the standard's shift has only harakat there
        CHECK(texts_of(fa, 2, true) == words("ؤ ئ ي إ أ آ ة ن م ک گ"));
        CHECK(texts_of(fa, 3, true) == words("ك ط ژ ر ذ د ء و"));
        CHECK(texts_of(fa, 4) == std::vector<std::string>{"", "", " ", "،", ".", "؟", ""});
        CHECK(fa.rows[4][2].shifted.name == "key_zwnj");
        CHECK(fa.rows[4][2].shifted.text == "\u200C");
        CHECK_FALSE(fa.has_case);
    }
    SECTION("ar: Arabic 101, ذ before the Arabic-Indic digits, the two-code-point lam-alef") {
        const KeyboardLayout& ar = layout_of("ar");
        CHECK(texts_of(ar, 0) == words("ذ ١ ٢ ٣ ٤ ٥ ٦ ٧ ٨ ٩ ٠"));
        CHECK(texts_of(ar, 1) == words("ض ص ث ق ف غ ع ه خ ح ج د"));
        CHECK(texts_of(ar, 2) == words("ش س ي ب ل ا ت ن م ك ط"));
        CHECK(texts_of(ar, 3) == words("ئ ء ؤ ر لا ى ة و ز ظ"));
        const KeyAction& lam_alef = ar.rows[3][4].normal;
        CHECK(lam_alef.name == "key_لا");
        CHECK(utf8_to_code_points(lam_alef.text) == U"\u0644\u0627");
        CHECK(texts_of(ar, 1, true) == words("ض ص ث ق لإ إ ع ه خ ح ج د"));
        CHECK(texts_of(ar, 2, true) == words("ش س ي ب لأ أ ت ن م ك ط"));
        CHECK(texts_of(ar, 3, true) == words("ئ ء ؤ ر لآ آ ة و ز ظ"));
        CHECK(texts_of(ar, 4) == std::vector<std::string>{"", "", " ", "،", ".", "؟", ""});
    }
    SECTION("no other language has a layout") {
        CHECK(keyboard_layout("de") == nullptr);
        CHECK(keyboard_layout("") == nullptr);
    }
}

TEST_CASE("every layout has digits, three rows of letters and the same bottom row", "[kiosk_ui][keyboard]") {
    const std::string language = GENERATE(from_range(kAllLanguages));
    CAPTURE(language);
    const KeyboardLayout& layout = layout_of(language);
    REQUIRE(layout.rows.size() == 5);

    SECTION("the bottom row: shift, language, a wide space, comma, full stop, question mark, erase") {
        std::vector<std::string> names;
        float units = 0;
        for (const Key& key : layout.rows[4]) {
            names.push_back(key.normal.name);
            units += key.width;
        }
        CHECK(names == std::vector<std::string>{"key_shift", "key_language", "key_space", "key_comma",
                                                "key_full_stop", "key_question_mark", "key_erase"});
        CHECK(units == 12.5f);
        CHECK(layout.rows[4][2].width > 3 * layout.rows[4][3].width);
    }
    SECTION("letter rows are one unit a key and no wider than the bottom row") {
        for (std::size_t r = 0; r < 4; ++r) {
            CHECK(layout.rows[r].size() <= 12);
            for (const Key& key : layout.rows[r]) CHECK(key.width == 1.0f);
        }
    }
    SECTION("names are unique on each layer, free of white space, and key_ + the text for characters") {
        for (const bool shifted : {false, true}) {
            std::set<std::string> seen;
            for (const std::vector<Key>& keys : layout.rows) {
                for (const Key& key : keys) {
                    const KeyAction& action = key.on(shifted);
                    CAPTURE(action.name);
                    CHECK(seen.insert(action.name).second);
                    CHECK(action.name.rfind("key_", 0) == 0);
                    CHECK(action.name.find_first_of(" \t\n") == std::string::npos);
                    CHECK(utf8_to_code_points(action.name).find(U'\u200C') == std::u32string::npos);
                    const bool named_for_what_it_is =
                        action.name == "key_space" || action.name == "key_zwnj" || action.name == "key_comma" ||
                        action.name == "key_full_stop" || action.name == "key_question_mark";
                    if (action.role == KeyRole::Insert && !named_for_what_it_is) {
                        CHECK(action.name == "key_" + action.text);
                        const std::size_t code_points = code_point_count(action.text);
                        CHECK((code_points == 1 || (language == "ar" && code_points == 2)));
                    }
                }
            }
        }
    }
    SECTION("shift, language and erase are the same key on both layers") {
        for (const Key& key : layout.rows[4]) {
            if (key.normal.role != KeyRole::Insert) CHECK(key.shifted.name == key.normal.name);
        }
    }
}

TEST_CASE("shift lasts for one character, like a phone's", "[kiosk_ui][keyboard]") {
    OnscreenKeyboard keyboard({"en"}, "en");
    std::string text;

    SECTION("shift, then two letters: a capital and a small letter") {
        CHECK_FALSE(tap(keyboard, "key_shift", text));
        CHECK(keyboard.shifted());
        CHECK(keyboard.latched(*find_key(keyboard.layout(), true, "key_shift")));
        CHECK(tap(keyboard, "key_Q", text));
        CHECK_FALSE(keyboard.shifted());
        CHECK(tap(keyboard, "key_q", text));
        CHECK(text == "Qq");
    }
    SECTION("shift again takes it back") {
        tap(keyboard, "key_shift", text);
        tap(keyboard, "key_shift", text);
        CHECK_FALSE(keyboard.shifted());
        tap(keyboard, "key_a", text);
        CHECK(text == "a");
    }
    SECTION("space and punctuation use it up too") {
        tap(keyboard, "key_shift", text);
        CHECK(tap(keyboard, "key_space", text));
        CHECK_FALSE(keyboard.shifted());
    }
    SECTION("erase keeps it, so a shopper may fix a letter before the capital") {
        text = "ab";
        tap(keyboard, "key_shift", text);
        CHECK(tap(keyboard, "key_erase", text));
        CHECK(keyboard.shifted());
        tap(keyboard, "key_B", text);
        CHECK(text == "aB");
    }
}

TEST_CASE("Turkish dotless ı and dotted i keep their own capitals", "[kiosk_ui][keyboard]") {
    OnscreenKeyboard keyboard({"tr"}, "tr");
    CHECK(tap_all(keyboard, {"key_ı", "key_shift", "key_I", "key_i", "key_shift", "key_İ"}) == "ıIiİ");
    CHECK(utf8_to_code_points("ıIiİ") == U"\u0131I" U"i\u0130");
}

TEST_CASE("the Greek tonos key accents the next vowel", "[kiosk_ui][keyboard]") {
    OnscreenKeyboard keyboard({"el"}, "el");
    const KeyPosition accent_key = *find_key(keyboard.layout(), false, "key_tonos");
    std::string text;

    SECTION("every vowel, small and capital") {
        for (const std::string vowel : {"α", "ε", "η", "ι", "ο", "υ", "ω"}) {
            tap(keyboard, "key_tonos", text);
            CHECK(keyboard.tonos_pending());
            CHECK(keyboard.latched(accent_key));
            CHECK(tap(keyboard, "key_" + vowel, text));
            CHECK_FALSE(keyboard.tonos_pending());
        }
        for (const std::string vowel : {"Α", "Ε", "Η", "Ι", "Ο", "Υ", "Ω"}) {
            tap(keyboard, "key_tonos", text);
            tap(keyboard, "key_shift", text);
            CHECK(tap(keyboard, "key_" + vowel, text));
        }
        CHECK(text == "άέήίόύώΆΈΉΊΌΎΏ");
    }
    SECTION("before a consonant or a space it is dropped: the character comes as it is") {
        CHECK(tap_all(keyboard, {"key_tonos", "key_κ", "key_tonos", "key_space", "key_tonos", "key_comma"}) ==
              "κ ,");
        CHECK_FALSE(keyboard.tonos_pending());
    }
    SECTION("tapping it again disarms it") {
        tap(keyboard, "key_tonos", text);
        tap(keyboard, "key_tonos", text);
        CHECK_FALSE(keyboard.tonos_pending());
        tap(keyboard, "key_α", text);
        CHECK(text == "α");
    }
    SECTION("erase disarms it and leaves the text") {
        text = "κ";
        tap(keyboard, "key_tonos", text);
        CHECK_FALSE(tap(keyboard, "key_erase", text));
        CHECK(text == "κ");
        CHECK_FALSE(keyboard.tonos_pending());
        CHECK(tap(keyboard, "key_erase", text));
        CHECK(text.empty());
    }
    SECTION("shifted, the accent key is dialytika: ϊ ϋ, and with tonos ΐ ΰ") {
        tap(keyboard, "key_shift", text);
        CHECK(keyboard.action(accent_key).name == "key_dialytika");
        tap(keyboard, "key_dialytika", text);
        CHECK(keyboard.dialytika_pending());
        CHECK_FALSE(keyboard.shifted());  // the accent key used the shift up
        CHECK(keyboard.latched(accent_key));
        tap(keyboard, "key_ι", text);
        CHECK(text == "ϊ");
        CHECK(tap_all(keyboard, {"key_shift", "key_dialytika", "key_shift", "key_Υ"}) == "Ϋ");
        CHECK(tap_all(keyboard, {"key_tonos", "key_shift", "key_dialytika", "key_ι"}) == "ΐ");
        CHECK(tap_all(keyboard, {"key_shift", "key_dialytika", "key_tonos", "key_υ"}) == "ΰ");
        CHECK(tap_all(keyboard, {"key_shift", "key_dialytika", "key_α"}) == "α");  // α takes no dialytika
    }
    SECTION("switching language drops the accent") {
        OnscreenKeyboard two({"el", "en"}, "el");
        tap(two, "key_tonos", text);
        tap(two, "key_language", text);
        tap(two, "key_language", text);
        CHECK_FALSE(two.tonos_pending());
        tap(two, "key_α", text);
        CHECK(text == "α");
    }
}

TEST_CASE("the comment never grows past its limit of code points", "[kiosk_ui][keyboard]") {
    SECTION("280 two-byte letters fit exactly; the 281st is refused") {
        OnscreenKeyboard keyboard({"fa"}, "fa");
        CHECK(keyboard.max_code_points() == 280);
        std::string text;
        for (int i = 0; i < 280; ++i) REQUIRE(tap(keyboard, "key_ب", text));
        CHECK(code_point_count(text) == 280);
        CHECK(text.size() == 560);
        CHECK_FALSE(tap(keyboard, "key_ب", text));
        CHECK_FALSE(tap(keyboard, "key_space", text));
        CHECK(code_point_count(text) == 280);
    }
    SECTION("a lam-alef at 279 does not half fit: it is refused whole") {
        OnscreenKeyboard keyboard({"ar"}, "ar");
        std::string text;
        for (int i = 0; i < 279; ++i) tap(keyboard, "key_ب", text);
        const std::string before = text;
        CHECK_FALSE(tap(keyboard, "key_لا", text));
        CHECK(text == before);
        CHECK(tap(keyboard, "key_erase", text));
        CHECK(tap(keyboard, "key_لا", text));
        CHECK(code_point_count(text) == 280);
        CHECK(text.substr(text.size() - 4) == "لا");
    }
    SECTION("a refused letter uses up shift as a typed one would") {
        OnscreenKeyboard keyboard({"en"}, "en", 1);
        std::string text = "x";
        tap(keyboard, "key_shift", text);
        CHECK_FALSE(tap(keyboard, "key_A", text));
        CHECK_FALSE(keyboard.shifted());
        CHECK(text == "x");
    }
    SECTION("the limit is the constructor's") {
        OnscreenKeyboard keyboard({"el"}, "el", 3);
        CHECK(tap_all(keyboard, {"key_α", "key_β", "key_tonos", "key_ο", "key_δ"}) == "αβό");
    }
}

TEST_CASE("erase removes the last code point, however many bytes it has", "[kiosk_ui][keyboard]") {
    OnscreenKeyboard keyboard({"ar", "en"}, "ar");
    SECTION("a two-byte letter after an ASCII one") {
        std::string text = "aب";
        CHECK(keyboard.erase(text));
        CHECK(text == "a");
    }
    SECTION("lam-alef is typed as one key but erased a code point at a time") {
        std::string text;
        tap(keyboard, "key_لا", text);
        CHECK(tap(keyboard, "key_erase", text));
        CHECK(text == "ل");
    }
    SECTION("a four-byte emoji from a physical keyboard") {
        std::string text = "a\U0001F600";
        CHECK(keyboard.erase(text));
        CHECK(text == "a");
    }
    SECTION("nothing to erase") {
        std::string text;
        CHECK_FALSE(keyboard.erase(text));
        CHECK(text.empty());
    }
}

TEST_CASE("physical typing drops control characters and stops at the limit", "[kiosk_ui][keyboard]") {
    OnscreenKeyboard keyboard({"en", "el"}, "el", 5);
    std::string text;
    SECTION("controls and bytes that are not UTF-8 are dropped") {
        CHECK(keyboard.type("a\nb\tc\x7f\u0085\x1b", text));
        CHECK(keyboard.type("\xff\xfe", text) == false);
        CHECK(text == "abc");
        CHECK(keyboard.type("\r\n", text) == false);
    }
    SECTION("as much as fits is appended, whole code points") {
        CHECK(keyboard.type("αβγδεζη", text));
        CHECK(text == "αβγδε");
        CHECK_FALSE(keyboard.type("x", text));
        CHECK_FALSE(keyboard.type("", text));
    }
    SECTION("text already past a lower limit is not cut, nor grown") {
        text = "abcdefg";
        CHECK_FALSE(keyboard.type("h", text));
        CHECK(text == "abcdefg");
    }
    SECTION("the on-screen shift and accent are left for the on-screen keys") {
        tap(keyboard, "key_tonos", text);
        CHECK(keyboard.type("x", text));
        CHECK(keyboard.tonos_pending());
        tap(keyboard, "key_α", text);
        CHECK(text == "xά");
    }
}

TEST_CASE("the language key cycles through the kiosk's languages", "[kiosk_ui][keyboard]") {
    std::string text;
    SECTION("from the session's language, in the configured order, round to the start") {
        OnscreenKeyboard keyboard({"en", "fa", "ar", "el", "tr"}, "ar");
        CHECK(keyboard.language() == "ar");
        std::vector<std::string> seen;
        for (int i = 0; i < 5; ++i) {
            CHECK(keyboard.next_language() != keyboard.language());
            CHECK_FALSE(tap(keyboard, "key_language", text));
            seen.push_back(keyboard.language());
        }
        CHECK(seen == std::vector<std::string>{"el", "tr", "en", "fa", "ar"});
    }
    SECTION("the text and its language mix are kept; shift is cleared") {
        OnscreenKeyboard keyboard({"en", "fa"}, "en");
        tap(keyboard, "key_a", text);
        tap(keyboard, "key_shift", text);
        tap(keyboard, "key_language", text);
        CHECK(keyboard.language() == "fa");
        CHECK_FALSE(keyboard.shifted());
        tap(keyboard, "key_ب", text);
        CHECK(text == "aب");
    }
    SECTION("languages without a layout are skipped") {
        OnscreenKeyboard keyboard({"de", "en", "xx", "fa"}, "fa");
        CHECK(keyboard.language() == "fa");
        CHECK(keyboard.next_language() == "en");
        tap(keyboard, "key_language", text);
        tap(keyboard, "key_language", text);
        CHECK(keyboard.language() == "fa");
    }
    SECTION("a session language missing from the list comes first") {
        OnscreenKeyboard keyboard({"en"}, "tr");
        CHECK(keyboard.language() == "tr");
        CHECK(keyboard.next_language() == "en");
    }
    SECTION("one language: the key changes nothing; none known: English") {
        OnscreenKeyboard alone({"el"}, "el");
        CHECK(alone.next_language() == "el");
        tap(alone, "key_language", text);
        CHECK(alone.language() == "el");
        CHECK(OnscreenKeyboard({"de"}, "de").language() == "en");
    }
}

TEST_CASE("keys fill the keyboard's area, large and apart", "[kiosk_ui][keyboard]") {
    const Size window = GENERATE(Size{1920, 1080}, Size{1280, 720}, Size{1080, 1920});
    const double dpi = 96.0;
    const std::string language = GENERATE(from_range(kAllLanguages));
    CAPTURE(window.width, window.height, language);
    // The comment screen: the question and the text above, the keyboard in the bottom 55 %.
    const Rect area{0, window.height * 0.45f, window.width, window.height * 0.55f};
    const KeyboardLayout& layout = layout_of(language);
    const KeyboardGeometry geometry = layout_keyboard(area, layout, dpi);
    REQUIRE(geometry.keys.size() == layout.rows.size());

    std::vector<Rect> all;
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        REQUIRE(geometry.keys[r].size() == layout.rows[r].size());
        all.insert(all.end(), geometry.keys[r].begin(), geometry.keys[r].end());
    }
    constexpr float kSlack = 0.01f;  // float sums of pitches

    SECTION("every key lies inside the area and the bounds, and none overlaps another") {
        for (const Rect& key : all) {
            CHECK(key.x >= area.x - kSlack);
            CHECK(key.y >= area.y - kSlack);
            CHECK(key.right() <= area.right() + kSlack);
            CHECK(key.bottom() <= area.bottom() + kSlack);
            CHECK(key.x >= geometry.bounds.x - kSlack);
            CHECK(key.right() <= geometry.bounds.right() + kSlack);
            CHECK(key.y >= geometry.bounds.y - kSlack);
        }
        for (std::size_t i = 0; i < all.size(); ++i) {
            for (std::size_t j = i + 1; j < all.size(); ++j) CHECK_FALSE(all[i].overlaps(all[j]));
        }
    }
    SECTION("letter keys are at least 15 mm wide and tall, with a 2 mm gap") {
        // 15 mm fits with room: on a 17 mm pitch, 12.5 units are 803 px of the 1280 px landscape window and
        // five rows 314 px of the 396 px the keyboard gets there.
        for (std::size_t r = 1; r <= 3; ++r) {
            for (const Rect& key : geometry.keys[r]) {
                CHECK(px_to_mm(key.width, dpi) >= kMinTargetMm);
                CHECK(px_to_mm(key.height, dpi) >= kMinTargetMm);
            }
            for (std::size_t i = 0; i + 1 < geometry.keys[r].size(); ++i) {
                CHECK(px_to_mm(geometry.keys[r][i + 1].x - geometry.keys[r][i].right(), dpi) ==
                      Approx(kKeyGapMm).margin(0.01));
            }
        }
        const float row_gap = geometry.keys[2][0].y - geometry.keys[1][0].bottom();
        CHECK(px_to_mm(row_gap, dpi) == Approx(kKeyGapMm).margin(0.01));
    }
    SECTION("as large as fit: the widest row spans the area, or keys reach their largest size") {
        const bool spans = geometry.bounds.width == Approx(area.width).margin(0.5);
        const bool capped = px_to_mm(geometry.pitch, dpi) == Approx(kMaxKeyPitchMm);
        CHECK((spans || capped));
        CHECK(geometry.bounds.bottom() == Approx(area.bottom()));  // near the shopper's hands
    }
    SECTION("each row is centred") {
        for (const std::vector<Rect>& keys : geometry.keys) {
            CHECK(keys.front().x - area.x == Approx(area.right() - keys.back().right()).margin(0.01));
        }
    }
    SECTION("not mirrored for right-to-left languages, and the same frame in every language") {
        // The first key of a row, as printed on the layout, is the leftmost: ض for Persian and Arabic.
        for (const std::vector<Rect>& keys : geometry.keys) {
            for (std::size_t i = 0; i + 1 < keys.size(); ++i) CHECK(keys[i].x < keys[i + 1].x);
        }
        const KeyboardGeometry english = layout_keyboard(area, layout_of("en"), dpi);
        CHECK(geometry.pitch == english.pitch);
        CHECK(geometry.bounds.y == english.bounds.y);
        CHECK(geometry.keys[4][2].x == english.keys[4][2].x);  // the space bar
    }
    SECTION("a tap finds the key under it; a tap in a gap finds none") {
        for (std::size_t r = 0; r < geometry.keys.size(); ++r) {
            for (std::size_t i = 0; i < geometry.keys[r].size(); ++i) {
                CHECK(key_at(geometry, geometry.keys[r][i].center()) == KeyPosition{r, i});
            }
        }
        const Rect& q = geometry.keys[1][0];
        CHECK_FALSE(key_at(geometry, Point{q.right() + 1, q.center().y}));
        CHECK_FALSE(key_at(geometry, Point{area.x + 1, area.y + 1}));
    }
}

TEST_CASE("a keyboard in an area too small has empty keys, one per key still", "[kiosk_ui][keyboard]") {
    const Rect area = GENERATE(Rect{0, 0, 0, 0}, Rect{10, 10, 20, 10});
    const KeyboardLayout& layout = layout_of("ar");
    const KeyboardGeometry geometry = layout_keyboard(area, layout, 96.0);
    REQUIRE(geometry.keys.size() == layout.rows.size());
    for (std::size_t r = 0; r < layout.rows.size(); ++r) {
        REQUIRE(geometry.keys[r].size() == layout.rows[r].size());
        for (const Rect& key : geometry.keys[r]) {
            CHECK(key.width >= 0);
            CHECK(key.height == 0);  // the gaps take all the height
        }
    }
    CHECK_FALSE(key_at(geometry, area.center()));
}

TEST_CASE("keys_to_type gives the taps that type a sentence", "[kiosk_ui][keyboard]") {
    SECTION("typing its taps reproduces the sentence, each key found by the name given") {
        const auto [language, sentence] = GENERATE(table<std::string, std::string>({
            {"en", "Great value"},
            {"tr", "Çok güzel, teşekkürler İyi"},
            {"el", "Πολύ καλή ποιότητα"},
            {"el", "Το προϊόν ήταν εξαιρετικό;"},
            {"fa", "خیلی خوب بود، ممنون"},
            {"fa", "می\u200Cخواهم دوباره بخرم."},
            {"ar", "شكرا لكم"},
            {"ar", "لا بأس، جيد ١٠٠؟"},
        }));
        CAPTURE(language, sentence);
        const std::optional<std::vector<KeyStroke>> strokes = keys_to_type(sentence, language);
        REQUIRE(strokes);
        OnscreenKeyboard keyboard({language}, language);
        std::string text;
        for (const KeyStroke& stroke : *strokes) {
            CHECK(keyboard.action(stroke.position).name == stroke.name);
            CHECK(find_key(keyboard.layout(), keyboard.shifted(), stroke.name) == stroke.position);
            keyboard.press(stroke.position, text);
        }
        CHECK(text == sentence);
        CHECK_FALSE(keyboard.shifted());
        CHECK_FALSE(keyboard.tonos_pending());
    }
    SECTION("shift and accent taps are part of the sequence") {
        CHECK(names_to_type("Ύ", "el") == std::vector<std::string>{"key_tonos", "key_shift", "key_Υ"});
        CHECK(names_to_type("ϊ", "el") == std::vector<std::string>{"key_shift", "key_dialytika", "key_ι"});
        // One key, not ل then أ.
        CHECK(names_to_type("لأ", "ar") == std::vector<std::string>{"key_shift", "key_لأ"});
        CHECK(names_to_type("می\u200Cخ", "fa") ==
              std::vector<std::string>{"key_م", "key_ی", "key_shift", "key_zwnj", "key_خ"});
    }
    SECTION("what a layout cannot type gives nothing") {
        CHECK_FALSE(keys_to_type("café", "en"));
        CHECK_FALSE(keys_to_type("خوب", "el"));
        CHECK_FALSE(keys_to_type("good\n", "en"));
        CHECK_FALSE(keys_to_type("\u03AB\u0301", "el"));  // Υ with dialytika and tonos has no precomposed form
        CHECK_FALSE(keys_to_type("good", "de"));
        REQUIRE(keys_to_type("", "fa"));
        CHECK(keys_to_type("", "fa")->empty());
    }
}

TEST_CASE("the font atlas gets every character the keyboards draw or type", "[kiosk_ui][keyboard]") {
    const std::u32string characters = keyboard_characters({"el", "fa", "ar"});
    const auto has = [&characters](char32_t c) {
        return std::binary_search(characters.begin(), characters.end(), c);
    };
    CHECK(std::is_sorted(characters.begin(), characters.end()));
    CHECK(std::adjacent_find(characters.begin(), characters.end()) == characters.end());
    SECTION("letters of both layers, digits, punctuation, accents and accented vowels") {
        for (const char32_t c : std::u32string_view(U"αΣςάΆΐΰΫ΄¨;1 ضچژآكذ٠۰،؟لاإأ")) {
            CAPTURE(static_cast<std::uint32_t>(c));
            CHECK(has(c));
        }
        CHECK_FALSE(has(U'\uFE8D'));  // a shaped alef: the window adds those, not the keyboard
    }
    SECTION("nothing of languages not asked for, and no zero-width non-joiner") {
        CHECK_FALSE(has(U'ğ'));
        CHECK_FALSE(has(U'q'));
        CHECK_FALSE(has(U'\u200C'));
    }
    SECTION("every character any key of these layouts types is there") {
        for (const std::string language : {"el", "fa", "ar"}) {
            for (const std::vector<Key>& keys : layout_of(language).rows) {
                for (const Key& key : keys) {
                    for (const char32_t c : utf8_to_code_points(key.normal.text + key.shifted.text)) {
                        if (c != U'\u200C') CHECK(has(c));
                    }
                }
            }
        }
    }
}
