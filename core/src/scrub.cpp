// scrub_comment: works on code points, so that Persian and Arabic digits and punctuation are seen as such.
#include "truthpoint/core/scrub.hpp"

#include <algorithm>
#include <cstdint>

namespace truthpoint::core {
namespace {

using Text = std::u32string;

Text decode_utf8(std::string_view in) {
    Text out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const auto b = static_cast<unsigned char>(in[i]);
        int extra = 0;
        char32_t cp = 0;
        if (b < 0x80) {
            cp = b;
        } else if ((b & 0xE0) == 0xC0 && b >= 0xC2) {
            extra = 1, cp = b & 0x1F;
        } else if ((b & 0xF0) == 0xE0) {
            extra = 2, cp = b & 0x0F;
        } else if ((b & 0xF8) == 0xF0 && b <= 0xF4) {
            extra = 3, cp = b & 0x07;
        } else {
            ++i;  // not UTF-8: dropped
            continue;
        }
        if (i + static_cast<std::size_t>(extra) >= in.size()) break;  // cut short at the end
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            const auto c = static_cast<unsigned char>(in[i + static_cast<std::size_t>(k)]);
            if ((c & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        const bool overlong = (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
        if (!ok || overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            ++i;
            continue;
        }
        out += cp;
        i += static_cast<std::size_t>(extra) + 1;
    }
    return out;
}

std::string encode_utf8(const Text& text) {
    std::string out;
    out.reserve(text.size());
    for (const char32_t cp : text) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x00A0 || c == 0x200C || c == 0x2009 ||
           c == 0x202F || c == 0x3000;
}

// 0-9 for Latin, Persian and Arabic-Indic digits; -1 otherwise.
int digit_value(char32_t c) {
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    if (c >= 0x06F0 && c <= 0x06F9) return static_cast<int>(c - 0x06F0);
    if (c >= 0x0660 && c <= 0x0669) return static_cast<int>(c - 0x0660);
    return -1;
}

bool is_latin_letter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// Punctuation that may stand around a word without being part of an address or link.
bool is_wrapping_punctuation(char32_t c) {
    static constexpr char32_t kMarks[] = {U'(', U')', U'[', U']', U'{', U'}', U'<', U'>', U',', U'.', U';', U':',
                                          U'!', U'?', U'"', U'\'', 0x060C /* ، */, 0x061B /* ؛ */, 0x061F /* ؟ */,
                                          0x00AB /* « */, 0x00BB /* » */, 0x201C, 0x201D, 0x2018, 0x2019, 0x06D4};
    return std::find(std::begin(kMarks), std::end(kMarks), c) != std::end(kMarks);
}

Text lower_ascii(Text word) {
    for (char32_t& c : word) {
        if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
    }
    return word;
}

bool is_email(const Text& word) {
    const auto at = word.find(U'@');
    if (at == Text::npos || at == 0) return false;
    const Text domain = word.substr(at + 1);
    const auto dot = domain.find(U'.');
    return dot != Text::npos && dot > 0 && dot + 1 < domain.size();
}

// host.tld with an optional path: labels of Latin letters, digits and '-', a final label of 2+ letters.
bool is_bare_host(const Text& word) {
    const auto slash = word.find(U'/');
    const Text host = word.substr(0, slash);
    const auto last_dot = host.rfind(U'.');
    if (last_dot == Text::npos || last_dot == 0) return false;
    const Text tld = host.substr(last_dot + 1);
    if (tld.size() < 2 || !std::all_of(tld.begin(), tld.end(), is_latin_letter)) return false;
    bool label_has_letter = false;
    for (std::size_t i = 0; i < last_dot; ++i) {
        const char32_t c = host[i];
        if (c == U'.') {
            if (i == 0 || host[i - 1] == U'.') return false;
            continue;
        }
        if (!(is_latin_letter(c) || (c >= U'0' && c <= U'9') || c == U'-')) return false;
        label_has_letter = label_has_letter || is_latin_letter(c);
    }
    return label_has_letter;
}

bool is_link(const Text& word) {
    const Text lower = lower_ascii(word);
    if (lower.find(U"://") != Text::npos) return true;
    if (lower.rfind(U"www.", 0) == 0 && lower.size() > 4) return true;
    return is_bare_host(lower);
}

const char32_t kEllipsis = 0x2026;

struct Found {
    bool email = false;
    bool phone = false;
    bool link = false;
};

// E-mail addresses and links, word by word.
Text remove_addresses(const Text& text, Found& found) {
    Text out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (is_space(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && !is_space(text[end])) ++end;
        std::size_t first = i;
        std::size_t last = end;
        while (first < last && is_wrapping_punctuation(text[first])) ++first;
        while (last > first && is_wrapping_punctuation(text[last - 1])) --last;
        Text word = text.substr(first, last - first);
        // A Turkish suffix after an apostrophe ("www.site.com'da") is not part of the address.
        Text suffix;
        if (const auto apostrophe = word.find_first_of(U"'\u2019"); apostrophe != Text::npos && apostrophe > 0) {
            suffix = word.substr(apostrophe);
            word.resize(apostrophe);
        }
        out += text.substr(i, first - i);
        if (!word.empty() && is_email(word)) {
            found.email = true;
            out += kEllipsis;
        } else if (!word.empty() && is_link(word)) {
            found.link = true;
            out += kEllipsis;
        } else {
            out += word;
        }
        out += suffix;
        out += text.substr(last, end - last);
        i = end;
    }
    return out;
}

bool is_group_separator(char32_t c) { return c == U' ' || c == U'-' || c == U'.' || c == 0x00A0 || c == 0x2011; }

// Phone numbers: runs of digits with single separators between groups.
Text remove_phones(const Text& text, Found& found) {
    Text out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool starts = digit_value(text[i]) >= 0 || ((text[i] == U'+' || text[i] == U'(') && i + 1 < text.size() &&
                                                          (digit_value(text[i + 1]) >= 0 || text[i + 1] == U'('));
        if (!starts) {
            out += text[i++];
            continue;
        }
        // Extend over digits and single separators (a bracket may open or close a group).
        std::size_t end = i;
        std::size_t last_digit_end = i;
        int digits = 0;
        if (text[end] == U'+') ++end;
        while (end < text.size()) {
            const char32_t c = text[end];
            if (digit_value(c) >= 0) {
                ++digits;
                ++end;
                last_digit_end = end;
            } else if (c == U'(' || c == U')') {
                ++end;
            } else if (is_group_separator(c) && end + 1 < text.size() &&
                       (digit_value(text[end + 1]) >= 0 || text[end + 1] == U'(')) {
                ++end;
            } else {
                break;
            }
        }
        // A digit glued to letters before it (a product code like "A1234567") is not a phone number.
        const bool glued = i > 0 && !is_space(text[i - 1]) && !is_wrapping_punctuation(text[i - 1]) &&
                           text[i - 1] != U'+' && text[i - 1] != U':';
        if (digits >= 7 && !glued) {
            found.phone = true;
            out += kEllipsis;
            std::size_t resume = last_digit_end;
            if (resume < text.size() && text[resume] == U')') ++resume;
            i = resume;
        } else {
            out += text.substr(i, std::max<std::size_t>(end, i + 1) - i);
            i = std::max<std::size_t>(end, i + 1);
        }
    }
    return out;
}

Text trimmed(const Text& text) {
    std::size_t first = 0;
    std::size_t last = text.size();
    while (first < last && is_space(text[first])) ++first;
    while (last > first && is_space(text[last - 1])) --last;
    return text.substr(first, last - first);
}

}  // namespace

ScrubbedText scrub_comment(std::string_view text) {
    Found found;
    Text scrubbed = remove_addresses(decode_utf8(text), found);
    scrubbed = remove_phones(scrubbed, found);
    ScrubbedText result;
    result.text = encode_utf8(trimmed(scrubbed));
    if (found.email) result.removed.emplace_back("email");
    if (found.phone) result.removed.emplace_back("phone");
    if (found.link) result.removed.emplace_back("link");
    return result;
}

}  // namespace truthpoint::core
