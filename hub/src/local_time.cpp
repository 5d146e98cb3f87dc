#include "local_time.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <date/date.h>
#include <date/tz.h>

namespace truthpoint::hub {

namespace {

std::optional<date::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int year = 0;
    unsigned month = 0, day = 0;
    auto digits = [&](std::size_t at, std::size_t length, auto& value) {
        for (std::size_t i = at; i < at + length; ++i) {
            if (text[i] < '0' || text[i] > '9') return false;
        }
        return std::from_chars(text.data() + at, text.data() + at + length, value).ec == std::errc{};
    };
    if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) return std::nullopt;
    const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

date::year_month_day checked_date(std::string_view text) {
    const auto ymd = parse_date(text);
    if (!ymd) throw std::invalid_argument("not a calendar day: " + std::string(text));
    return *ymd;
}

std::string format_date(date::sys_days day) { return date::format("%F", day); }

}  // namespace

core::Result<TimeZone> TimeZone::named(std::string_view name) {
    try {
        const date::time_zone* zone = date::locate_zone(name);
        return TimeZone(std::string(name), zone);
    } catch (const std::exception&) {
        return core::make_error(core::ErrorCode::InvalidArgument,
                                "'" + std::string(name) + "' is not a time zone the system knows (an IANA name such as Asia/Tehran)");
    }
}

TimeZone TimeZone::utc() {
    static const TimeZone zone = *named("UTC");
    return zone;
}

LocalTime TimeZone::local(core::Timestamp instant) const {
    const auto local = zone_->to_local(instant);
    const auto day = date::floor<date::days>(local);
    const date::hh_mm_ss<std::chrono::milliseconds> time{local - day};
    return {format_date(date::sys_days{day.time_since_epoch()}), static_cast<int>(time.hours().count()),
            static_cast<int>(date::weekday{day}.iso_encoding())};
}

core::Timestamp TimeZone::day_starts(std::string_view date_text) const {
    const date::local_days day{checked_date(date_text)};
    const auto* zone = zone_;
    const auto info = zone->get_info(day);
    switch (info.result) {
        case date::local_info::unique: return std::chrono::time_point_cast<std::chrono::milliseconds>(zone->to_sys(day));
        case date::local_info::ambiguous:
            return std::chrono::time_point_cast<std::chrono::milliseconds>(zone->to_sys(day, date::choose::earliest));
        default: return std::chrono::time_point_cast<std::chrono::milliseconds>(info.second.begin);  // midnight skipped
    }
}

TimeZone::OffsetSpan TimeZone::offset_at(core::Timestamp instant) const {
    const date::sys_info info = zone_->get_info(instant);
    using std::chrono::milliseconds;
    // The database's first and last spans reach far beyond any event; clamped so that milliseconds hold them.
    const auto far = date::sys_seconds{date::days{3'000'000}};
    const auto clamp = [&](date::sys_seconds at) {
        return std::chrono::time_point_cast<milliseconds>(std::clamp(at, date::sys_seconds{-far.time_since_epoch()}, far));
    };
    return {info.offset, clamp(info.begin), clamp(info.end)};
}

LocalTime LocalClock::local(core::Timestamp instant) {
    if (!(span_.begin <= instant && instant < span_.end)) span_ = zone_.offset_at(instant);
    using std::chrono::milliseconds;
    const std::int64_t local_ms = (instant.time_since_epoch() + span_.offset).count();
    constexpr std::int64_t kDayMs = 86'400'000;
    const std::int64_t day = local_ms >= 0 ? local_ms / kDayMs : -((-local_ms + kDayMs - 1) / kDayMs);
    if (!has_day_ || day != day_) {
        const date::sys_days days{date::days{day}};
        day_text_ = {format_date(days), 0, static_cast<int>(date::weekday{days}.iso_encoding())};
        day_ = day;
        has_day_ = true;
    }
    LocalTime out = day_text_;
    out.hour = static_cast<int>((local_ms - day * kDayMs) / 3'600'000);
    return out;
}

bool is_local_date(std::string_view text) { return parse_date(text).has_value(); }

std::string add_days(std::string_view date_text, int days) {
    return format_date(date::sys_days{checked_date(date_text)} + date::days{days});
}

int days_between(std::string_view from, std::string_view to) {
    return static_cast<int>((date::sys_days{checked_date(to)} - date::sys_days{checked_date(from)}).count());
}

int iso_weekday(std::string_view date_text) {
    return static_cast<int>(date::weekday{date::sys_days{checked_date(date_text)}}.iso_encoding());
}

std::string utc_date(core::Timestamp instant) { return format_date(date::floor<date::days>(instant)); }

}  // namespace truthpoint::hub
