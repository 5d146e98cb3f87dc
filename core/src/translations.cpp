// Reads gettext .po catalogs with a small parser of our own (no libintl: we load explicit files from the
// assets directory, never the system locale) and applies the locale's digits and direction.
#include "truthpoint/core/translations.hpp"

#include <array>
#include <fstream>
#include <optional>
#include <sstream>

namespace truthpoint::core {

namespace {

std::string at(const std::string& source, int line, const std::string& what) {
    return source + ":" + std::to_string(line) + ": " + what;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// One C-style quoted string, the whole of `text`. Returns the reason when malformed.
std::optional<std::string> unquote(std::string_view text, std::string& out) {
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
        return "expected a string in double quotes";
    }
    const std::string_view body = text.substr(1, text.size() - 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '"') return "a double quote inside a string must be written \\\"";
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i == body.size()) return "a string ends with a lone backslash";
        switch (body[i]) {
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case 'a': out += '\a'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'v': out += '\v'; break;
            default: return std::string("unknown escape \\") + body[i];
        }
    }
    return std::nullopt;
}

bool valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const std::size_t length = byte < 0x80            ? 1
                                   : (byte >> 5) == 0x06 ? 2
                                   : (byte >> 4) == 0x0E ? 3
                                   : (byte >> 3) == 0x1E ? 4
                                                         : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        }
        i += length;
    }
    return true;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string key_of(const PoEntry& entry) {
    return entry.context.empty() ? entry.msgid : entry.context + '\x04' + entry.msgid;
}

}  // namespace

core::Result<std::vector<PoEntry>> parse_po(std::string_view text, const std::string& source) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM some editors write

    std::vector<PoEntry> entries;
    PoEntry entry;
    bool has_context = false, has_id = false, has_str = false, next_fuzzy = false;
    std::string* field = nullptr;  // where a continuation string goes

    const auto start_entry = [&](int line) {
        entry = PoEntry{};
        entry.fuzzy = next_fuzzy;
        entry.line = line;
        next_fuzzy = false;
        has_context = has_id = has_str = false;
    };
    const auto finish_entry = [&] {
        if (has_str) entries.push_back(std::move(entry));
        has_context = has_id = has_str = false;
        field = nullptr;
    };

    int number = 0;
    std::size_t position = 0;
    while (position < text.size()) {
        const auto end = text.find('\n', position);
        const std::string_view line = trim(text.substr(position, end == std::string_view::npos ? end : end - position));
        position = end == std::string_view::npos ? text.size() : end + 1;
        ++number;

        if (line.empty()) {
            field = nullptr;
            continue;
        }
        if (line.front() == '#') {
            // A comment ends the entry before it; "#~" (obsolete entries) are comments to us.
            if (has_id && !has_str) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, entry.line, "msgid without a msgstr"));
            }
            if (has_context && !has_id) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, entry.line, "msgctxt without a msgid"));
            }
            finish_entry();
            if (line.starts_with("#,") && line.find("fuzzy") != std::string_view::npos) next_fuzzy = true;
            continue;
        }
        if (line.front() == '"') {
            if (field == nullptr) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, number, "a string continues nothing: put it after msgid or msgstr"));
            }
            if (auto reason = unquote(line, *field)) {
                return core::make_error(core::ErrorCode::InvalidArgument, at(source, number, *reason));
            }
            continue;
        }

        const auto space = line.find_first_of(" \t");
        const std::string_view keyword = line.substr(0, space);
        const std::string_view rest = space == std::string_view::npos ? std::string_view{} : trim(line.substr(space));
        if (keyword == "msgctxt" || keyword == "msgid") {
            if (keyword == "msgctxt" && has_context && !has_id) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, entry.line, "msgctxt without a msgid"));
            }
            if (has_id && !has_str) {
                return core::make_error(
                    core::ErrorCode::InvalidArgument,
                    at(source, number,
                       "a new " + std::string(keyword) + " before the msgstr of the msgid on line " +
                           std::to_string(entry.line)));
            }
            if (keyword == "msgid" && has_context && !has_id) {
                has_id = true;  // the msgid of this msgctxt's entry
                entry.line = number;
            } else {
                finish_entry();
                start_entry(number);
                (keyword == "msgctxt" ? has_context : has_id) = true;
            }
            field = keyword == "msgctxt" ? &entry.context : &entry.msgid;
        } else if (keyword == "msgstr") {
            if (!has_id) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, number, "msgstr without a msgid before it"));
            }
            if (has_str) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(source, number, "a second msgstr for one msgid"));
            }
            has_str = true;
            field = &entry.msgstr;
        } else if (keyword == "msgid_plural" || keyword.starts_with("msgstr[")) {
            return core::make_error(core::ErrorCode::InvalidArgument,
                                    at(source, number, "plural forms are not supported yet: use one msgid per text"));
        } else {
            return core::make_error(
                core::ErrorCode::InvalidArgument,
                at(source, number,
                   "unknown keyword '" + std::string(keyword) + "' (expected msgctxt, msgid, msgstr or a # comment)"));
        }
        if (auto reason = unquote(rest, *field)) {
            return core::make_error(core::ErrorCode::InvalidArgument, at(source, number, *reason));
        }
    }
    if (has_id && !has_str) {
        return core::make_error(core::ErrorCode::InvalidArgument, at(source, entry.line, "msgid without a msgstr"));
    }
    if (has_context && !has_id) {
        return core::make_error(core::ErrorCode::InvalidArgument, at(source, entry.line, "msgctxt without a msgid"));
    }
    finish_entry();
    return entries;
}

std::string placeholders_of(std::string_view pattern) {
    std::string found;
    for (std::size_t i = 0; i + 1 < pattern.size(); ++i) {
        if (pattern[i] != '%') continue;
        const char kind = pattern[i + 1];
        if (kind == 's' || kind == 'd') found += {'%', kind};
        if (kind == 's' || kind == 'd' || kind == '%') ++i;
    }
    return found;
}

core::Result<Translations> Translations::load(const std::string& dir, const std::vector<std::string>& languages) {
    Translations loaded;
    for (const std::string& language : languages) {
        loaded.languages_.push_back(language);
        if (language_of(language) == "en") continue;  // msgid is the English text

        const std::string path = dir + "/" + language + ".po";
        std::ifstream file(path, std::ios::binary);
        std::ostringstream content;
        if (!file || !(content << file.rdbuf())) {
            return core::make_error(core::ErrorCode::Unavailable,
                                    "cannot read " + path + ": every configured language needs its catalog there " +
                                        "(copy the .pot file beside it to " + language + ".po and translate it)");
        }
        auto parsed = parse_po(content.str(), path);
        if (!parsed) return parsed.error();

        Catalog& catalog = loaded.catalogs_[language];
        std::unordered_map<std::string, int> seen;  // key → line, to report duplicates
        for (const PoEntry& entry : parsed.value()) {
            if (entry.msgid.empty()) {  // the header: we read UTF-8 only
                const auto charset = lower(entry.msgstr).find("charset=");
                if (charset != std::string::npos && !lower(entry.msgstr).substr(charset + 8).starts_with("utf-8")) {
                    return core::make_error(core::ErrorCode::InvalidArgument,
                                            at(path, entry.line, "the file must be saved as UTF-8 (charset=UTF-8)"));
                }
                continue;
            }
            const std::string key = key_of(entry);
            if (auto [it, added] = seen.emplace(key, entry.line); !added) {
                return core::make_error(
                    core::ErrorCode::InvalidArgument,
                    at(path, entry.line,
                       "msgid \"" + entry.msgid + "\" is already translated on line " + std::to_string(it->second)));
            }
            if (!valid_utf8(entry.msgid) || !valid_utf8(entry.msgstr)) {
                return core::make_error(core::ErrorCode::InvalidArgument,
                                        at(path, entry.line, "not valid UTF-8: save the file as UTF-8"));
            }
            loaded.english_.emplace(key, entry.msgid);
            if (entry.msgstr.empty() || entry.fuzzy) continue;  // untranslated: English is shown
            if (const std::string english = placeholders_of(entry.msgid); placeholders_of(entry.msgstr) != english) {
                return core::make_error(
                    core::ErrorCode::InvalidArgument,
                    at(path, entry.line,
                       "the translation of \"" + entry.msgid + "\" has \"" + placeholders_of(entry.msgstr) +
                           "\" where the English has \"" + english + "\": keep the same %s and %d in the same order"));
            }
            catalog.emplace(key, entry.msgstr);
        }
    }
    return loaded;
}

const std::string& Translations::text(std::string_view locale, std::string_view msgid) const {
    auto catalog = catalogs_.find(locale);
    if (catalog == catalogs_.end()) catalog = catalogs_.find(language_of(locale));
    if (catalog != catalogs_.end()) {
        if (auto found = catalog->second.find(msgid); found != catalog->second.end()) return found->second;
    }
    if (auto found = english_.find(msgid); found != english_.end()) return found->second;

    // A msgid no catalog knows: keep its English text (after any context) so the reference stays valid.
    const std::lock_guard lock(unknown_->mutex);
    auto found = unknown_->texts.find(msgid);
    if (found == unknown_->texts.end()) {
        const auto context_end = msgid.find('\x04');
        const std::string_view english = context_end == std::string_view::npos ? msgid : msgid.substr(context_end + 1);
        found = unknown_->texts.emplace(std::string(msgid), std::string(english)).first;
    }
    return found->second;
}

std::string_view language_of(std::string_view locale) {
    return locale.substr(0, locale.find_first_of("_-.@"));
}

std::string localize_digits(std::string_view text, std::string_view locale) {
    const std::string_view language = language_of(locale);
    // UTF-8 of the zero of each script; the nine digits after it follow in the last byte.
    const char* zero = language == "fa" ? "\xDB\xB0" : language == "ar" ? "\xD9\xA0" : nullptr;
    if (zero == nullptr) return std::string(text);
    std::string out;
    out.reserve(text.size() * 2);
    for (const char c : text) {
        if (c >= '0' && c <= '9') {
            out += zero[0];
            out += static_cast<char>(zero[1] + (c - '0'));
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_text(std::string_view pattern, std::string_view locale, std::initializer_list<FormatArg> args) {
    std::string out;
    out.reserve(pattern.size() + 16);
    auto next = args.begin();
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char kind = i + 1 < pattern.size() && pattern[i] == '%' ? pattern[i + 1] : '\0';
        if (kind == '%') {
            out += '%';
            ++i;
        } else if ((kind == 's' || kind == 'd') && next != args.end()) {
            out += next->is_number() ? localize_digits(next->text(), locale) : next->text();
            ++next;
            ++i;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

bool is_right_to_left(std::string_view locale) {
    const std::string_view language = language_of(locale);
    return language == "fa" || language == "ar" || language == "he" || language == "ur";
}

const char* native_language_name(std::string_view locale) {
    static constexpr std::array<std::pair<std::string_view, const char*>, 5> names{{
        {"en", "English"},
        {"fa", "فارسی"},
        {"ar", "العربية"},
        {"el", "Ελληνικά"},
        {"tr", "Türkçe"},
    }};
    const std::string_view language = language_of(locale);
    for (const auto& [code, name] : names) {
        if (code == language) return name;
    }
    return "";
}

}  // namespace truthpoint::core
