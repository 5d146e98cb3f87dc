// Texts in each language, read once at start from gettext .po files (the kiosk's assets/i18n, the hub
// dashboard's assets/i18n/dashboard), and the locale rules screens and pages need: digits, text direction,
// each language's own name. In core, apart from its no-I/O library (it reads the files), so that the kiosk
// app and the hub share one parser and lookup without the hub depending on app.
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "truthpoint/core/result.hpp"

namespace truthpoint::core {

// One entry of a .po file as written. The header entry (empty msgid) is included.
struct PoEntry {
    std::string context;  // msgctxt, empty when none
    std::string msgid;
    std::string msgstr;   // empty when untranslated
    bool fuzzy = false;   // "#, fuzzy": a guess awaiting review; gettext does not use it, nor do we
    int line = 0;         // of the msgid keyword, 1-based
};

// Parses .po text (no plural forms yet). `source` names the file in errors: "fa.po:12: ...".
core::Result<std::vector<PoEntry>> parse_po(std::string_view text, const std::string& source);

// The placeholders of a printf-like pattern in order, e.g. "%s%d" ("%%" is not one).
std::string placeholders_of(std::string_view pattern);

class Translations {
public:
    // Loads <dir>/<lang>.po for each language except "en" (msgid is the English text). Errors name the file
    // and line; a translation whose placeholders differ from its msgid's is an error too.
    static core::Result<Translations> load(const std::string& dir, const std::vector<std::string>& languages);

    // The translation of `msgid` in `locale`, or the English text when the locale is "en", not loaded, or the
    // message is untranslated. Never empty for a non-empty msgid, never throws; the reference stays valid as
    // long as this object. Hash lookups only, no allocation once a message has been seen: fine in a frame.
    // A msgctxt entry is found with msgid = context + '\x04' + msgid (gettext's key).
    const std::string& text(std::string_view locale, std::string_view msgid) const;

    // The languages loaded, "en" included if asked for, in the order given.
    const std::vector<std::string>& languages() const { return languages_; }

private:
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using Catalog = std::unordered_map<std::string, std::string, Hash, std::equal_to<>>;

    std::vector<std::string> languages_;
    std::unordered_map<std::string, Catalog, Hash, std::equal_to<>> catalogs_;  // locale → msgid → msgstr
    Catalog english_;  // every msgid of the loaded files → its English text, for text() to return
    // A msgid that no file knows (a programmer's slip) is kept here on first use, so the reference text()
    // returns stays valid. Shared and locked: text() is const and may be called from any thread.
    struct Unknown {
        std::mutex mutex;
        Catalog texts;
    };
    std::shared_ptr<Unknown> unknown_ = std::make_shared<Unknown>();
};

// The locale's language part: "fa" for "fa", "fa_IR", "fa-IR" or "fa_IR.UTF-8".
std::string_view language_of(std::string_view locale);

// ASCII digits replaced by the locale's: Persian ۰–۹ (U+06F0…) for fa, Arabic-Indic ٠–٩ (U+0660…) for ar,
// unchanged for the others. Other characters are kept as they are.
std::string localize_digits(std::string_view text, std::string_view locale);

// One value for a %s or %d of format_text: text is inserted as it is, a number in the locale's digits.
class FormatArg {
public:
    FormatArg(std::string_view text) : text_(text) {}
    FormatArg(const char* text) : text_(text) {}
    FormatArg(const std::string& text) : text_(text) {}
    template <std::integral N>
        requires(!std::same_as<N, bool> && !std::same_as<N, char>)
    FormatArg(N number) : text_(std::to_string(number)), number_(true) {}

    const std::string& text() const { return text_; }
    bool is_number() const { return number_; }

private:
    std::string text_;
    bool number_ = false;
};

// Fills each %s / %d of `pattern` in order with `args` ("%%" gives "%"); numbers in the locale's digits.
// A placeholder without an argument is left as written; never throws.
// Example: format_text(tr.text("fa", "Starting over in %d seconds"), "fa", {10}) → "۱۰ ثانیه دیگر …".
std::string format_text(std::string_view pattern, std::string_view locale, std::initializer_list<FormatArg> args);

// True for the languages written right to left (fa, ar; also he, ur should they be added).
bool is_right_to_left(std::string_view locale);

// The language's name in itself, for the language picker: "English", "فارسی", "العربية", "Ελληνικά",
// "Türkçe"; an empty string for a language we have no name for.
const char* native_language_name(std::string_view locale);

}  // namespace truthpoint::core
