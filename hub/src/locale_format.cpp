// ICU's C++ API behind locale_format.hpp. Every ICU call's UErrorCode is checked and turned into a Result.
#include "locale_format.hpp"

#include <cstdio>
#include <memory>

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace truthpoint::hub {
namespace {

using core::ErrorCode;
using core::make_error;

// The digits and calendar are named, not left to ICU's locale data: "ar" has native digits in ICU 72 but
// its default numbering system has moved between CLDR releases, and some Arabic regions default to a Hijri
// calendar (ar_SA: Umm al-Qura). Persian readers date by the Solar Hijri calendar.
core::Result<icu::Locale> locale_for(std::string_view language) {
    const char* id = nullptr;
    if (language == "en") id = "en";
    else if (language == "fa") id = "fa@calendar=persian;numbers=arabext";
    else if (language == "ar") id = "ar@calendar=gregorian;numbers=arab";
    else if (language == "el") id = "el";
    else if (language == "tr") id = "tr";
    if (id == nullptr) {
        return make_error(ErrorCode::InvalidArgument,
                          "no number and date formats for language '" + std::string(language) +
                              "' (the dashboard's languages are en, fa, ar, el, tr)");
    }
    icu::Locale locale(id);
    if (locale.isBogus()) return make_error(ErrorCode::Internal, std::string("ICU rejected locale ") + id);
    return locale;
}

core::Error icu_error(const char* what, UErrorCode status) {
    return make_error(ErrorCode::Internal, std::string("ICU ") + what + " failed: " + u_errorName(status));
}

std::string utf8(const icu::UnicodeString& text) {
    std::string out;
    text.toUTF8String(out);
    return out;
}

// ICU maps an unknown ID to "Etc/Unknown" (which behaves as UTC): accept only IDs in its tz database.
core::Result<std::unique_ptr<icu::TimeZone>> time_zone_for(std::string_view id) {
    const auto unicode_id = icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), static_cast<int32_t>(id.size())));
    icu::UnicodeString canonical;
    UBool is_system_id = false;
    UErrorCode status = U_ZERO_ERROR;
    icu::TimeZone::getCanonicalID(unicode_id, canonical, is_system_id, status);
    if (U_FAILURE(status) || !is_system_id || canonical == icu::UnicodeString(u"Etc/Unknown")) {
        return make_error(ErrorCode::InvalidArgument,
                          "unknown time zone '" + std::string(id) + "': give an IANA zone such as Asia/Tehran");
    }
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(unicode_id));
    if (!zone) return make_error(ErrorCode::Internal, "ICU could not create time zone " + std::string(id));
    return zone;
}

UDate to_udate(core::Timestamp t) { return static_cast<UDate>(t.time_since_epoch().count()); }

}  // namespace

core::Result<std::string> format_count(std::string_view language, std::int64_t n) {
    auto locale = locale_for(language);
    if (!locale) return locale.error();
    UErrorCode status = U_ZERO_ERROR;
    const auto formatted = icu::number::NumberFormatter::withLocale(*locale).formatInt(n, status);
    if (U_FAILURE(status)) return icu_error("formatInt", status);
    auto text = formatted.toString(status);
    if (U_FAILURE(status)) return icu_error("FormattedNumber::toString", status);
    return utf8(text);
}

core::Result<std::string> format_percent(std::string_view language, double fraction) {
    auto locale = locale_for(language);
    if (!locale) return locale.error();
    UErrorCode status = U_ZERO_ERROR;
    // ICU's default rounding is half-even (42.5 % would read "42 %"); readers expect halves rounded up.
    const auto formatted = icu::number::NumberFormatter::withLocale(*locale)
                               .unit(icu::NoUnit::percent())
                               .scale(icu::number::Scale::powerOfTen(2))
                               .precision(icu::number::Precision::integer())
                               .roundingMode(UNUM_ROUND_HALFUP)
                               .formatDouble(fraction, status);
    if (U_FAILURE(status)) return icu_error("formatDouble", status);
    auto text = formatted.toString(status);
    if (U_FAILURE(status)) return icu_error("FormattedNumber::toString", status);
    return utf8(text);
}

core::Result<std::string> format_date(std::string_view language, core::Timestamp t, std::string_view time_zone) {
    auto locale = locale_for(language);
    if (!locale) return locale.error();
    auto zone = time_zone_for(time_zone);
    if (!zone) return zone.error();
    // createDateInstance takes no UErrorCode: null is its only failure.
    std::unique_ptr<icu::DateFormat> format(icu::DateFormat::createDateInstance(icu::DateFormat::kMedium, *locale));
    if (!format) return make_error(ErrorCode::Internal, "ICU has no medium date format for " + std::string(language));
    format->adoptTimeZone(zone->release());
    icu::UnicodeString text;
    format->format(to_udate(t), text);
    return utf8(text);
}

core::Result<LocalTime> local_time(core::Timestamp t, std::string_view time_zone) {
    auto zone = time_zone_for(time_zone);
    if (!zone) return zone.error();
    UErrorCode status = U_ZERO_ERROR;
    // Gregorian whatever the process's default locale, since the date is a key, not text for a reader.
    icu::GregorianCalendar calendar(zone->release(), status);
    if (U_FAILURE(status)) return icu_error("GregorianCalendar", status);
    calendar.setTime(to_udate(t), status);
    if (U_FAILURE(status)) return icu_error("Calendar::setTime", status);
    const int year = calendar.get(UCAL_EXTENDED_YEAR, status);
    const int month = calendar.get(UCAL_MONTH, status) + 1;  // UCAL_MONTH counts from 0
    const int day = calendar.get(UCAL_DATE, status);
    const int hour = calendar.get(UCAL_HOUR_OF_DAY, status);
    const int weekday = calendar.get(UCAL_DAY_OF_WEEK, status);  // 1 Sunday .. 7 Saturday
    if (U_FAILURE(status)) return icu_error("Calendar::get", status);
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
    return LocalTime{date, hour, (weekday + 5) % 7 + 1};
}

}  // namespace truthpoint::hub
