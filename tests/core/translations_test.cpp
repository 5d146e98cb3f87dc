// The .po parser's edge cases, English fallback, load errors, and locale digits, direction and names: the
// catalog code the kiosk and the hub's dashboard share.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "support/temp_dir.hpp"
#include "truthpoint/core/translations.hpp"

using namespace truthpoint::core;
using truthpoint::testing::TempDir;

namespace {

const std::string kAssets = TRUTHPOINT_SOURCE_ASSETS;

void write(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name), std::ios::binary) << text;
}

std::string failure_of(std::string_view text) {
    auto parsed = parse_po(text, "x.po");
    REQUIRE_FALSE(parsed);
    return parsed.error().message;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("parse_po reads the parts of the gettext format we use", "[translations]") {
    SECTION("header, comments, flags, multi-line strings and escapes") {
        const auto parsed = parse_po(R"(# translator's comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: fa\n"

#. screen: test
#: kiosk_ui/src/screens.cpp:12
msgid "Two "
"lines"
msgstr ""
"Deux "
"lignes"
#, fuzzy, c-format
msgid "Guess"
msgstr "Devinette"

msgid "Say \"hi\"\\n"
msgstr "Tab\there\nnew line \\ backslash"

#~ msgid "Old"
#~ msgstr "Vieux"
msgctxt "button"
msgid "Back"
msgstr "Retour"
msgid "Empty"
msgstr ""
)", "x.po");
        INFO((parsed ? std::string() : parsed.error().message));
        REQUIRE(parsed);
        const auto& entries = parsed.value();
        REQUIRE(entries.size() == 6);
        CHECK(entries[0].msgid.empty());
        CHECK(entries[0].msgstr == "Content-Type: text/plain; charset=UTF-8\nLanguage: fa\n");
        CHECK(entries[1].msgid == "Two lines");
        CHECK(entries[1].msgstr == "Deux lignes");
        CHECK(entries[1].line == 9);
        CHECK_FALSE(entries[1].fuzzy);
        CHECK(entries[2].fuzzy);
        CHECK(entries[3].msgid == "Say \"hi\"\\n");
        CHECK(entries[3].msgstr == "Tab\there\nnew line \\ backslash");
        CHECK(entries[4].context == "button");
        CHECK(entries[4].msgid == "Back");
        CHECK(entries[4].msgstr == "Retour");
        CHECK(entries[5].msgstr.empty());
    }
    SECTION("Windows line ends and a byte-order mark") {
        const auto parsed = parse_po("\xEF\xBB\xBFmsgid \"A\"\r\nmsgstr \"B\"\r\n", "x.po");
        REQUIRE(parsed);
        REQUIRE(parsed.value().size() == 1);
        CHECK(parsed.value()[0].msgstr == "B");
    }
    SECTION("a malformed file names the file and the line") {
        CHECK(failure_of("msgid \"A\"\nmsgstr \"B\n") == "x.po:2: expected a string in double quotes");
        CHECK(failure_of("msgid \"A\"\nmsgstr \"B\" x\"\n").starts_with("x.po:2: a double quote inside"));
        CHECK(failure_of("msgid \"A\"\n\n\"orphan\"\nmsgstr \"B\"\n")
                  .starts_with("x.po:3: a string continues nothing"));
        CHECK(failure_of("\n\nmsgid \"A\"\nmsgid \"B\"\nmsgstr \"\"\n")
                  .starts_with("x.po:4: a new msgid before the msgstr of the msgid on line 3"));
        CHECK(failure_of("msgstr \"B\"\n").starts_with("x.po:1: msgstr without a msgid"));
        CHECK(failure_of("msgid \"A\"\nmsgstr \"B\"\nmsgstr \"C\"\n").starts_with("x.po:3: a second msgstr"));
        CHECK(failure_of("msgid \"A\"\nmsgstr \"\\q\"\n") == "x.po:2: unknown escape \\q");
        CHECK(failure_of("msgid \"A\"\nmsgstr \"B\\\"\n").starts_with("x.po:2: a string ends with a lone backslash"));
        CHECK(failure_of("msgid \"A\"\nmsgid_plural \"As\"\n").starts_with("x.po:2: plural forms are not supported"));
        CHECK(failure_of("msgid \"A\"\nmsgtsr \"B\"\n").starts_with("x.po:2: unknown keyword 'msgtsr'"));
        CHECK(failure_of("msgid \"A\"\n") == "x.po:1: msgid without a msgstr");
        CHECK(failure_of("msgctxt \"c\"\n# comment\n").starts_with("x.po:1: msgctxt without a msgid"));
    }
    SECTION("placeholders_of") {
        CHECK(placeholders_of("How do you like %s?") == "%s");
        CHECK(placeholders_of("%d of %s, 100%% sure, 5% off") == "%d%s");
        CHECK(placeholders_of("none") == "");
    }
}

TEST_CASE("text() falls back to English and returns lasting references", "[translations]") {
    TempDir dir;
    write(dir, "fa.po", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                        "msgid \"Back\"\nmsgstr \"بازگشت\"\n\nmsgid \"Skip\"\nmsgstr \"\"\n\n"
                        "#, fuzzy\nmsgid \"Next\"\nmsgstr \"بعدی\"\n\n"
                        "msgctxt \"staff\"\nmsgid \"Back\"\nmsgstr \"برگشت\"\n");
    auto loaded = Translations::load(dir.path().string(), {"en", "fa"});
    INFO((loaded ? std::string() : loaded.error().message));
    REQUIRE(loaded);
    const Translations& texts = loaded.value();
    CHECK(texts.languages() == std::vector<std::string>{"en", "fa"});

    CHECK(texts.text("fa", "Back") == "بازگشت");
    CHECK(texts.text("fa_IR.UTF-8", "Back") == "بازگشت");
    CHECK(texts.text("fa", "staff\x04" "Back") == "برگشت");
    CHECK(texts.text("en", "Back") == "Back");
    CHECK(texts.text("de", "Back") == "Back");                  // a language not loaded
    CHECK(texts.text("fa", "Skip") == "Skip");                  // untranslated
    CHECK(texts.text("fa", "Next") == "Next");                  // fuzzy: awaiting review
    CHECK(texts.text("fa", "Not in any file") == "Not in any file");
    CHECK(texts.text("en", "staff\x04" "Back") == "Back");
    CHECK(texts.text("en", "menu\x04" "Unknown") == "Unknown");

    // The reference outlives the argument, even for an unknown msgid built on the fly.
    const std::string* unknown = nullptr;
    {
        std::string temporary = "Built at run time, longer than any small-string buffer";
        unknown = &texts.text("fa", temporary);
    }
    CHECK(*unknown == "Built at run time, longer than any small-string buffer");
    CHECK(&texts.text("en", "Back") == &texts.text("en", std::string("Back")));
}

TEST_CASE("loading names the file and line of what is wrong", "[translations]") {
    TempDir dir;
    const std::string path = dir.file("fa.po");
    SECTION("a missing catalog") {
        const auto loaded = Translations::load(dir.path().string(), {"en", "fa"});
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message.starts_with("cannot read " + path));
    }
    SECTION("a parse error") {
        write(dir, "fa.po", "msgid \"A\"\nmsgstr B\n");
        const auto loaded = Translations::load(dir.path().string(), {"fa"});
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message == path + ":2: expected a string in double quotes");
    }
    SECTION("placeholders that differ from the English") {
        write(dir, "fa.po", "msgid \"A\"\nmsgstr \"B\"\n\nmsgid \"In %d seconds\"\nmsgstr \"%s ثانیه\"\n");
        const auto loaded = Translations::load(dir.path().string(), {"fa"});
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message.starts_with(path + ":4: the translation of \"In %d seconds\" has \"%s\""));
    }
    SECTION("a msgid translated twice") {
        write(dir, "fa.po", "msgid \"A\"\nmsgstr \"B\"\n\nmsgid \"A\"\nmsgstr \"C\"\n");
        const auto loaded = Translations::load(dir.path().string(), {"fa"});
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message == path + ":4: msgid \"A\" is already translated on line 1");
    }
    SECTION("a file in another charset") {
        write(dir, "fa.po", "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-6\\n\"\n");
        const auto loaded = Translations::load(dir.path().string(), {"fa"});
        REQUIRE_FALSE(loaded);
        CHECK(contains(loaded.error().message, "UTF-8"));
    }
    SECTION("bytes that are not UTF-8") {
        write(dir, "fa.po", "msgid \"A\"\nmsgstr \"\xC0\xFF\"\n");
        const auto loaded = Translations::load(dir.path().string(), {"fa"});
        REQUIRE_FALSE(loaded);
        CHECK(loaded.error().message == path + ":1: not valid UTF-8: save the file as UTF-8");
    }
}

TEST_CASE("format_text and localize_digits write numbers in the locale's digits", "[translations]") {
    const auto loaded = Translations::load(kAssets + "/i18n", {"en", "fa", "ar", "el", "tr"});
    REQUIRE(loaded);
    const Translations& texts = loaded.value();
    const std::string countdown = "Starting over in %d seconds";
    CHECK(format_text(texts.text("fa", countdown), "fa", {10}) == "۱۰ ثانیه دیگر از نو شروع می‌شود");
    CHECK(format_text(texts.text("ar", countdown), "ar", {10}) == "البدء من جديد خلال ١٠ ثانية");
    CHECK(format_text(texts.text("el", countdown), "el", {10}) == "Νέα αρχή σε 10 δευτερόλεπτα");
    CHECK(format_text(texts.text("tr", countdown), "tr", {10}) == "10 saniye sonra baştan başlıyor");
    CHECK(format_text(texts.text("en", countdown), "en", {10}) == "Starting over in 10 seconds");

    // Text arguments are inserted as they are (a product name keeps its own digits).
    CHECK(format_text(texts.text("en", "How do you like %s?"), "en", {"Corn Flakes 375 g"}) ==
          "How do you like Corn Flakes 375 g?");
    CHECK(format_text("%s: %d", "fa", {std::string("7UP"), 2024L}) == "7UP: ۲۰۲۴");
    CHECK(format_text("%d%% off, %s", "ar", {50}) == "٥٠% off, %s");  // a missing argument stays visible
    CHECK(format_text("no placeholders", "fa", {1, 2}) == "no placeholders");
    CHECK(format_text("trailing %", "en", {}) == "trailing %");
    CHECK(format_text("%d", "tr", {-3}) == "-3");

    CHECK(localize_digits("PIN 0123456789", "fa") == "PIN ۰۱۲۳۴۵۶۷۸۹");
    CHECK(localize_digits("0123456789", "ar") == "٠١٢٣٤٥٦٧٨٩");
    CHECK(localize_digits("0123456789", "el") == "0123456789");
    CHECK(localize_digits("45", "fa_IR") == "۴۵");
}

TEST_CASE("direction and native names of the kiosk's languages", "[translations]") {
    CHECK(is_right_to_left("fa"));
    CHECK(is_right_to_left("ar"));
    CHECK(is_right_to_left("ar_SA.UTF-8"));
    CHECK_FALSE(is_right_to_left("en"));
    CHECK_FALSE(is_right_to_left("el"));
    CHECK_FALSE(is_right_to_left("tr"));
    CHECK(std::string(native_language_name("en")) == "English");
    CHECK(std::string(native_language_name("fa")) == "فارسی");
    CHECK(std::string(native_language_name("ar")) == "العربية");
    CHECK(std::string(native_language_name("el")) == "Ελληνικά");
    CHECK(std::string(native_language_name("tr-TR")) == "Türkçe");
    CHECK(std::string(native_language_name("xx")).empty());
    CHECK(language_of("fa_IR.UTF-8") == "fa");
}
