// The kiosk's shipped .po catalogs against truthpoint.pot and each script's conventions (the parser itself
// is tested in tests/core/translations_test.cpp).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "support/po_files.hpp"
#include "truthpoint/app/translations.hpp"

using namespace truthpoint::app;
using truthpoint::testing::parse_po_file;

namespace {

const std::string kAssets = TRUTHPOINT_SOURCE_ASSETS;
const std::vector<std::string> kTranslated{"fa", "ar", "el", "tr"};

}  // namespace

TEST_CASE("every msgid of truthpoint.pot is translated in each language, placeholders kept", "[translations]") {
    const auto pot = parse_po_file(kAssets + "/i18n/truthpoint.pot");
    REQUIRE(pot.size() == 159);  // the header and 158 texts
    for (const std::string& language : kTranslated) {
        const auto po = parse_po_file(kAssets + "/i18n/" + language + ".po");
        std::map<std::string, PoEntry> by_msgid;
        for (const PoEntry& entry : po) by_msgid.emplace(entry.msgid, entry);
        CHECK(by_msgid.size() == pot.size());  // nothing missing, nothing obsolete
        for (const PoEntry& english : pot) {
            if (english.msgid.empty()) continue;
            INFO(language << ".po, msgid \"" << english.msgid << "\"");
            REQUIRE(by_msgid.contains(english.msgid));
            const PoEntry& translated = by_msgid.at(english.msgid);
            CHECK_FALSE(translated.msgstr.empty());
            CHECK_FALSE(translated.fuzzy);
            CHECK(placeholders_of(translated.msgstr) == placeholders_of(english.msgid));
        }
    }
    const auto all = Translations::load(kAssets + "/i18n", {"en", "fa", "ar", "el", "tr"});
    INFO((all ? std::string() : all.error().message));
    REQUIRE(all);
    CHECK(all.value().text("fa", "Thank you!") == "متشکریم!");
    CHECK(all.value().text("ar", "Thank you!") == "شكرا لك!");
    CHECK(all.value().text("el", "Thank you!") == "Ευχαριστούμε!");
    CHECK(all.value().text("tr", "Thank you!") == "Teşekkürler!");
    CHECK(all.value().text("en", "Thank you!") == "Thank you!");
}

TEST_CASE("the translations follow each script's conventions", "[translations]") {
    const auto code_points = [](const std::string& text) {
        std::vector<char32_t> out;
        for (std::size_t i = 0; i < text.size();) {
            const auto byte = static_cast<unsigned char>(text[i]);
            const int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
            char32_t point = length == 1 ? byte : byte & (0x7F >> length);
            for (int k = 1; k < length; ++k) point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
            out.push_back(point);
            i += length;
        }
        return out;
    };
    for (const std::string& language : kTranslated) {
        for (const PoEntry& entry : parse_po_file(kAssets + "/i18n/" + language + ".po")) {
            if (entry.msgid.empty()) continue;
            INFO(language << ": \"" << entry.msgstr << "\"");
            const auto points = code_points(entry.msgstr);
            const bool question = entry.msgid.ends_with("?");
            if (language == "fa" || language == "ar") {
                CHECK(points.back() != U'?');
                if (question) CHECK(points.back() == U'؟');
                for (const char32_t point : points) {
                    // Vowel marks (harakat) are not positioned by the kiosk's font renderer: none are used.
                    CHECK_FALSE((point >= 0x064B && point <= 0x065F));
                    CHECK(point != 0x0670);
                    if (language == "fa") {
                        CHECK(point != U'ي');  // Persian writes ی, not the Arabic yeh
                        CHECK(point != U'ك');  // and ک, not the Arabic kaf
                    } else {
                        CHECK(point != U'ی');
                        CHECK(point != U'ک');
                    }
                }
            }
            if (language == "el") {
                CHECK(points.back() != U'?');
                if (question) CHECK(points.back() == U';');
                for (const char32_t& point : points) {
                    if (point != U';') continue;
                    CHECK(&point == &points.back());  // in Greek ';' is the question mark: only at the end
                }
            }
            if (language == "tr" && question) CHECK(points.back() == U'?');
        }
    }
    const auto turkish = Translations::load(kAssets + "/i18n", {"tr"});
    REQUIRE(turkish);
    CHECK(turkish.value().text("tr", "Cancel") == "İptal");
    CHECK(turkish.value().text("tr", "Next") == "İleri");
    CHECK(turkish.value().text("tr", "Habit") == "Alışkanlık");
}
