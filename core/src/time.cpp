// RFC 3339 formatting and parsing on std::chrono's civil calendar.
#include "truthpoint/core/time.hpp"

#include <algorithm>
#include <cstdio>

namespace truthpoint::core {
namespace {

bool read_digits(std::string_view text, std::size_t& pos, std::size_t count, int& value) {
    if (pos + count > text.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

}  // namespace

Timestamp now_utc() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

Timestamp min_rfc3339_instant() {
    using namespace std::chrono;
    return Timestamp{sys_days{year{1} / January / 1}.time_since_epoch()};
}

Timestamp max_rfc3339_instant() {
    using namespace std::chrono;
    return Timestamp{sys_days{year{10000} / January / 1}.time_since_epoch() - milliseconds{1}};
}

std::string format_rfc3339(Timestamp instant) {
    using namespace std::chrono;
    instant = std::clamp(instant, min_rfc3339_instant(), max_rfc3339_instant());
    const auto day = floor<days>(instant);
    const year_month_day date{day};
    const hh_mm_ss time{instant - day};
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
    return text;
}

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    int y, mo, d, h, mi, s;
    if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
        return std::nullopt;
    }
    if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, h) || !expect(text, pos, ':') || !read_digits(text, pos, 2, mi) ||
        !expect(text, pos, ':') || !read_digits(text, pos, 2, s)) {
        return std::nullopt;
    }
    int millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 3) millis = millis * 10 + (text[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0 || digits > 9) return std::nullopt;
        for (int i = digits; i < 3; ++i) millis *= 10;
    }
    minutes offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '+' ? 1 : -1;
        ++pos;
        int oh, om;
        if (!read_digits(text, pos, 2, oh) || !expect(text, pos, ':') || !read_digits(text, pos, 2, om) || oh > 23 ||
            om > 59) {
            return std::nullopt;
        }
        offset = minutes{sign * (oh * 60 + om)};
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    const Timestamp instant{sys_days{date}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} +
                            milliseconds{millis} - offset};
    if (instant < min_rfc3339_instant() || instant > max_rfc3339_instant()) return std::nullopt;
    return instant;
}

}  // namespace truthpoint::core
