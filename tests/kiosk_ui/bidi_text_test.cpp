// Unit tests for right-to-left shaping and reordering: joined presentation forms in visual order, with
// digits and Latin runs kept readable, and left-to-right text untouched.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/bidi_text.hpp"

using namespace truthpoint::kiosk_ui;

namespace {
std::u32string visual(std::string_view text, TextDirection base = TextDirection::RightToLeft) {
    return utf8_to_code_points(visual_line(text, base));
}
}  // namespace

TEST_CASE("Arabic letters are joined into presentation forms and reversed", "[kiosk_ui][bidi]") {
    SECTION("salaam: initial seen, lam-alef final ligature, isolated meem, right to left, no filler") {
        // س ل ا م → ﻡ ﻼ ﺳ (visual, left to right); the ligature's freed slot (U+FEFF) is stripped.
        CHECK(visual("سلام") == U"\uFEE1\uFEFC\uFEB3");
    }
    SECTION("a lone lam-alef becomes the isolated ligature") { CHECK(visual("لا") == U"\uFEFB"); }
    SECTION("Persian letters take the Farsi forms (yeh, peh)") {
        // خیلی: khah initial, farsi yeh medial, lam medial, farsi yeh final — reversed.
        CHECK(visual("خیلی") == U"\uFBFD\uFEE0\uFBFF\uFEA7");
        const std::u32string peh = visual("پ");
        REQUIRE(peh.size() == 1);
        CHECK(peh[0] == 0xFB56);  // PEH ISOLATED FORM
    }
    SECTION("no isolated base letters remain in joined words") {
        for (const char32_t c : visual("ممنون از نظر شما")) {
            CHECK_FALSE((c >= 0x0621 && c <= 0x064A));
        }
    }
}

TEST_CASE("numbers and Latin runs keep their own order inside right-to-left text", "[kiosk_ui][bidi]") {
    SECTION("Western digits") {
        const std::u32string line = visual("قیمت 123 تومان");
        CHECK(line.find(U"123") != std::u32string::npos);
        // The word read first (قیمت) ends up on the right.
        CHECK(line.back() == 0xFED7);  // QAF INITIAL FORM
    }
    SECTION("Persian digits") {
        const std::u32string line = visual("شروع دوباره تا ۱۲ ثانیه");
        CHECK(line.find(U"\u06F1\u06F2") != std::u32string::npos);
    }
    SECTION("a Latin product name inside a Persian question") {
        const std::u32string line = visual("از Oat Crunch چطور است؟");
        CHECK(line.find(U"Oat Crunch") != std::u32string::npos);
        CHECK(line.front() == 0x061F);  // the Arabic question mark ends the sentence: on the left
    }
}

TEST_CASE("left-to-right text is unchanged", "[kiosk_ui][bidi]") {
    CHECK(visual_line("How do you like Oat Crunch?", TextDirection::LeftToRight) == "How do you like Oat Crunch?");
    CHECK(visual_line("Ποιο προϊόν κοιτάτε;", TextDirection::LeftToRight) == "Ποιο προϊόν κοιτάτε;");
    CHECK(visual_line("İyi günler, ışık ğ ş", TextDirection::LeftToRight) == "İyi günler, ışık ğ ş");
    CHECK_FALSE(has_right_to_left_characters("Ελληνικά Türkçe"));
    CHECK(has_right_to_left_characters("abc سلام"));
}

TEST_CASE("UTF-8 round trips through code points", "[kiosk_ui][bidi]") {
    const std::string text = "a ά İ ş ۱ ﻼ €";
    CHECK(code_points_to_utf8(utf8_to_code_points(text)) == text);
    CHECK(utf8_to_code_points("ά") == U"\u03AC");
}

TEST_CASE("a Persian zero-width non-joiner keeps letters apart and then disappears", "[kiosk_ui][bidi]") {
    // گل‌های: lam does not join the heh after the ZWNJ, and no U+200C reaches the font atlas.
    const std::u32string line = visual("گل\u200Cهای");
    CHECK(line.find(U'\u200C') == std::u32string::npos);
    CHECK(line.find(U'\uFEDE') != std::u32string::npos);  // LAM FINAL FORM: joined to gaf, not to heh
    CHECK(line.find(U'\uFEEB') != std::u32string::npos);  // HEH INITIAL FORM: starts a new joined run
}
