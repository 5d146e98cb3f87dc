// What a moderator is warned of in a shared review (reviews.hpp, review_flags): likely personal data, and
// words from a short list per language. Kiosks scrub e-mails and phone numbers before a comment is
// recorded (core::scrub_comment); this looks again at the hub, wider (card numbers, spaced digit groups,
// other digit scripts), since a review is about to be shown to every shopper. ICU does the Unicode work.
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "truthpoint/hub/reviews.hpp"

namespace truthpoint::hub {
namespace {

// The word lists: short and mild on purpose — a hint for a person, not a filter. Written as people type
// them; each is folded like the text (folded below) before comparing, so case, Greek accents, Turkish dotted
// and dotless i, and Arabic/Persian letter variants do not matter. A trailing '*' also matches any word it
// begins (Turkish and Greek add suffixes).
struct WordList {
    std::string_view language;
    std::array<std::string_view, 7> words;  // "" pads a shorter list
};

constexpr std::array<WordList, 5> kProfanity = {{
    {"en", {"crap*", "damn*", "shit*", "fuck*", "idiot*", "wtf", "bullshit"}},
    {"fa", {"احمق", "بی‌شعور", "لعنتی", "مزخرف", "کثافت", "", ""}},
    {"ar", {"غبي", "أحمق", "لعنة", "حقير", "تافه", "", ""}},
    {"el", {"βλάκας", "βλάκα", "μαλάκας", "μαλάκα", "σκατά", "γαμώ*", "ηλίθιος"}},
    {"tr", {"salak*", "aptal*", "lanet*", "bok", "boktan", "siktir*", "gerizekalı*"}},
}};

// Bytes that are not UTF-8 (ICU makes them U+FFFD) are dropped, as the kiosk's scrubber drops them.
icu::UnicodeString unicode(std::string_view text) {
    auto out = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    out.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0xFFFD)), icu::UnicodeString());
    return out;
}

// Letters ICU's folding keeps apart that a reader takes for one. Alef with hamza or madda needs no entry:
// NFKD splits the mark off.
UChar32 same_letter(UChar32 c) {
    switch (c) {
        case 0x0131: return u'i';                 // Turkish ı (I folds to i, İ to i and a dot dropped as a mark)
        case 0x0671: return 0x0627;               // alef wasla → alef
        case 0x064A: case 0x0649: return 0x06CC;  // Arabic yeh, alef maksura → Persian yeh
        case 0x0643: return 0x06A9;               // Arabic kaf → Persian kaf
        case 0x0629: return 0x0647;               // teh marbuta → heh
        default: return c;
    }
}

// Text as compared: compatibility-decomposed (so accents, hamza and harakat are separate marks), case-folded
// (final sigma too), without marks, tatweel or the non-joiner, and with same_letter's variants merged.
icu::UnicodeString folded(const icu::UnicodeString& text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    icu::UnicodeString split = U_SUCCESS(status) ? nfkd->normalize(text, status) : text;
    if (U_FAILURE(status)) split = text;  // no ICU data: compare undecomposed rather than not at all
    split.foldCase();
    icu::UnicodeString out;
    for (int32_t i = 0; i < split.length(); i = split.moveIndex32(i, 1)) {
        const UChar32 c = split.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK && c != 0x0640 && c != 0x200C) out.append(same_letter(c));
    }
    return out;
}

// Runs of letters. Split after folding, so the non-joiner and marks no longer sit between a word's letters.
std::vector<icu::UnicodeString> words_of(const icu::UnicodeString& text) {
    std::vector<icu::UnicodeString> words;
    icu::UnicodeString word;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        const UChar32 c = text.char32At(i);
        if (u_isUAlphabetic(c)) {
            word.append(c);
        } else if (!word.isEmpty()) {
            words.push_back(word);
            word.remove();
        }
    }
    if (!word.isEmpty()) words.push_back(word);
    return words;
}

// Digit groups (any script's decimal digits: Latin, Persian ۰-۹, Arabic-Indic ٠-٩) joined by one or two
// spaces, dashes, dots or brackets, optionally after '+': "+98 912 345 6789", "۰۹۱۲-۳۴۵-۶۷۸۹". 7 to 12
// digits are a phone number (up to 15 when dialled: after + or 0), more a card number.
void find_digit_runs(const icu::UnicodeString& text, bool& phone, bool& card) {
    UErrorCode status = U_ZERO_ERROR;
    static const std::unique_ptr<icu::RegexPattern> kRun(
        icu::RegexPattern::compile(icu::UnicodeString(uR"re(\+?\d+(?:[ .()\-\u00A0]{1,2}\d+)*)re"), 0, status));
    if (!kRun) return;
    const std::unique_ptr<icu::RegexMatcher> matcher(kRun->matcher(text, status));
    while (U_SUCCESS(status) && matcher->find(status)) {
        const icu::UnicodeString run = matcher->group(status);
        int digits = 0;
        for (int32_t i = 0; i < run.length(); i = run.moveIndex32(i, 1)) {
            if (u_isdigit(run.char32At(i))) ++digits;
        }
        const bool dialled = run.charAt(0) == u'+' || u_charDigitValue(run.char32At(0)) == 0;
        if (digits >= 7 && (digits <= 12 || (dialled && digits <= 15))) {
            phone = true;
        } else if (digits > 12) {
            card = true;
        }
    }
}

std::string_view trim_punctuation(std::string_view token) {
    constexpr std::string_view kAround = "()[]<>{}\"'.,;:!?«»“”‘’";
    while (!token.empty() && kAround.find(token.front()) != std::string_view::npos) token.remove_prefix(1);
    while (!token.empty() && kAround.find(token.back()) != std::string_view::npos) token.remove_suffix(1);
    return token;
}

std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
}

bool is_email(std::string_view token) {
    const auto at = token.find('@');
    if (at == 0 || at == std::string_view::npos) return false;
    const auto dot = token.find('.', at + 2);
    return dot != std::string_view::npos && dot + 1 < token.size();
}

// A word with "://", one starting "www.", or a host name: labels of Latin letters, digits and '-' joined by
// dots, the last one two or more letters ("shop.example.com/x"). A Turkish suffix after an apostrophe
// ("site.com'da") is the word's own.
bool is_link(std::string_view token) {
    const std::string lower = lower_ascii(token);
    if (lower.find("://") != std::string::npos || lower.starts_with("www.")) return true;
    std::string_view host(lower);
    host = host.substr(0, std::min(host.find('/'), host.find('\'')));
    const auto last_dot = host.rfind('.');
    if (last_dot == std::string_view::npos || last_dot == 0) return false;
    const std::string_view top = host.substr(last_dot + 1);
    if (top.size() < 2) return false;
    for (const char c : top) {
        if (c < 'a' || c > 'z') return false;
    }
    for (const char c : host) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
    }
    return host.find("..") == std::string_view::npos;
}

}  // namespace

std::vector<std::string> review_flags(std::string_view text) {
    bool email = false, link = false, phone = false, card = false;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find_first_of(" \t\r\n", start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view token = trim_punctuation(text.substr(start, end - start));
        if (is_email(token)) {
            email = true;
        } else if (!token.empty() && is_link(token)) {
            link = true;
        }
        start = end + 1;
    }
    const icu::UnicodeString unicode_text = unicode(text);
    find_digit_runs(unicode_text, phone, card);

    std::vector<std::string> flags;
    if (email) flags.emplace_back("e-mail");
    if (link) flags.emplace_back("link");
    if (phone) flags.emplace_back("phone number");
    if (card) flags.emplace_back("card number");
    const std::vector<icu::UnicodeString> words = words_of(folded(unicode_text));
    for (const WordList& list : kProfanity) {
        bool found = false;
        for (std::string_view listed : list.words) {
            if (listed.empty()) continue;
            const bool prefix = listed.ends_with('*');
            if (prefix) listed.remove_suffix(1);
            const icu::UnicodeString wanted = folded(unicode(listed));
            found = found || std::any_of(words.begin(), words.end(), [&](const icu::UnicodeString& word) {
                        return prefix ? word.startsWith(wanted) : word == wanted;
                    });
        }
        if (found) flags.push_back("profanity (" + std::string(list.language) + ")");
    }
    return flags;
}

}  // namespace truthpoint::hub
