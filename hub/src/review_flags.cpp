// What a moderator is warned of in a shared review (reviews.hpp, review_flags): likely personal data, and
// words from a short list per language. Kiosks scrub e-mails and phone numbers before a comment is
// recorded (core::scrub_comment); this looks again at the hub, wider (card numbers, spaced digit groups,
// other digit scripts), since a review is about to be shown to every shopper.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/hub/reviews.hpp"

namespace truthpoint::hub {
namespace {

// The word lists: short and mild on purpose — a hint for a person, not a filter. Written as people type
// them; each is folded like the text (fold below) before comparing, so case, Greek accents, Turkish dotted
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

std::vector<char32_t> decode_utf8(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        int length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) {
            ++i;  // not UTF-8: skipped, as the kiosk's scrubber drops it
            continue;
        }
        char32_t point = length == 1 ? byte : byte & (0x7F >> length);
        for (int k = 1; k < length; ++k) point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        out.push_back(point);
        i += static_cast<std::size_t>(length);
    }
    return out;
}

// 0-9 for a Latin, Persian (۰-۹) or Arabic-Indic (٠-٩) digit; -1 otherwise.
int digit_value(char32_t c) {
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    if (c >= 0x06F0 && c <= 0x06F9) return static_cast<int>(c - 0x06F0);
    if (c >= 0x0660 && c <= 0x0669) return static_cast<int>(c - 0x0660);
    return -1;
}

bool is_arabic_mark(char32_t c) { return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640; }

bool is_word_letter(char32_t c) {
    if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) return true;
    if (c >= 0x00C0 && c <= 0x024F) return c != 0x00D7 && c != 0x00F7;
    if (c >= 0x0370 && c <= 0x03FF) return c != 0x037E && c != 0x0387;  // Greek, less its ';' and '·'
    if (c >= 0x1F00 && c <= 0x1FFF) return true;                           // Greek with accents
    if (c >= 0x0620 && c <= 0x06D3) return digit_value(c) < 0 && !(c >= 0x066A && c <= 0x066D);
    if (c == 0x200C) return true;  // Persian's zero-width non-joiner sits inside a word
    return (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// One letter as compared: lower case; Greek without accents and with one sigma; Turkish I, İ, ı as i;
// Arabic and Persian variants of alef, yeh, kaf and teh marbuta as one letter. Marks and the non-joiner
// fold to nothing (0).
char32_t fold(char32_t c) {
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    if (c == 0x0130 || c == 0x0131) return U'i';  // Turkish İ and ı; I became i above
    if (c >= 0x00C0 && c <= 0x00DE && c != 0x00D7) return c + 0x20;
    if ((c >= 0x0100 && c <= 0x012F) || (c >= 0x014A && c <= 0x0177)) return c | 1;  // Ğ ğ, Ş ş, ...
    if (c >= 0x0391 && c <= 0x03A9) c += 0x20;  // Greek capitals, then their accents below
    switch (c) {
        case 0x0386: case 0x03AC: return 0x03B1;  // ά
        case 0x0388: case 0x03AD: return 0x03B5;  // έ
        case 0x0389: case 0x03AE: return 0x03B7;  // ή
        case 0x038A: case 0x03AF: case 0x03CA: case 0x0390: return 0x03B9;  // ί ϊ ΐ
        case 0x038C: case 0x03CC: return 0x03BF;  // ό
        case 0x038E: case 0x03CD: case 0x03CB: case 0x03B0: return 0x03C5;  // ύ ϋ ΰ
        case 0x038F: case 0x03CE: return 0x03C9;  // ώ
        case 0x03C2: return 0x03C3;               // final sigma
        case 0x0622: case 0x0623: case 0x0625: return 0x0627;  // آ أ إ → ا
        case 0x064A: case 0x0649: return 0x06CC;  // Arabic yeh, alef maksura → Persian yeh
        case 0x0643: return 0x06A9;               // Arabic kaf → Persian kaf
        case 0x0629: return 0x0647;               // teh marbuta → heh
        default: break;
    }
    if (c == 0x200C || is_arabic_mark(c)) return 0;
    return c;
}

std::u32string folded(const std::vector<char32_t>& letters) {
    std::u32string out;
    for (const char32_t c : letters) {
        if (const char32_t f = fold(c)) out.push_back(f);
    }
    return out;
}

std::vector<std::u32string> words_of(const std::vector<char32_t>& text) {
    std::vector<std::u32string> words;
    std::vector<char32_t> word;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && (is_word_letter(text[i]) || is_arabic_mark(text[i]))) {
            word.push_back(text[i]);
        } else if (!word.empty()) {
            words.push_back(folded(word));
            word.clear();
        }
    }
    return words;
}

bool is_separator(char32_t c) { return c == U' ' || c == U'-' || c == U'.' || c == U'(' || c == U')' || c == 0x00A0; }

// Digit groups joined by up to two separators (spaces, dashes, dots, brackets), optionally after '+':
// "+98 912 345 6789", "۰۹۱۲-۳۴۵-۶۷۸۹", "4111 1111 1111 1111". Adds "phone number" for 7 to 12 digits
// (or a run that starts with + or 0, up to 15), "card number" for a longer one.
void find_digit_runs(const std::vector<char32_t>& text, bool& phone, bool& card) {
    for (std::size_t i = 0; i < text.size();) {
        const bool plus = text[i] == U'+' && i + 1 < text.size() && digit_value(text[i + 1]) >= 0;
        if (!plus && digit_value(text[i]) < 0) {
            ++i;
            continue;
        }
        std::size_t j = plus ? i + 1 : i;
        const int first_digit = digit_value(text[j]);
        int digits = 0;
        while (j < text.size()) {
            if (digit_value(text[j]) >= 0) {
                ++digits;
                ++j;
                continue;
            }
            std::size_t k = j;
            while (k < text.size() && k - j < 2 && is_separator(text[k])) ++k;
            if (k == j || k >= text.size() || digit_value(text[k]) < 0) break;
            j = k;
        }
        const bool dialled = plus || first_digit == 0;
        if (digits >= 7 && (digits <= 12 || (dialled && digits <= 15))) {
            phone = true;
        } else if (digits > 12) {
            card = true;
        }
        i = j + 1;
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

bool matches(const std::u32string& word, std::string_view listed) {
    const bool prefix = listed.ends_with('*');
    if (prefix) listed.remove_suffix(1);
    const std::u32string wanted = folded(decode_utf8(listed));
    return prefix ? word.starts_with(wanted) : word == wanted;
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
    const std::vector<char32_t> points = decode_utf8(text);
    find_digit_runs(points, phone, card);

    std::vector<std::string> flags;
    if (email) flags.emplace_back("e-mail");
    if (link) flags.emplace_back("link");
    if (phone) flags.emplace_back("phone number");
    if (card) flags.emplace_back("card number");
    const std::vector<std::u32string> words = words_of(points);
    for (const WordList& list : kProfanity) {
        bool found = false;
        for (const std::string_view listed : list.words) {
            if (listed.empty()) continue;
            for (const std::u32string& word : words) found = found || matches(word, listed);
        }
        if (found) flags.push_back("profanity (" + std::string(list.language) + ")");
    }
    return flags;
}

}  // namespace truthpoint::hub
