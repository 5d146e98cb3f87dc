// ICU's C++ API behind locale_format.hpp. Every ICU call's UErrorCode is checked and turned into a Result.
#include "locale_format.hpp"

#include <chrono>
#include <cstdio>
#include <memory>
#include <unordered_map>

#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include "local_time.hpp"

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

// Building an ICU formatter loads locale data, most of a call's time, and a dashboard page formats a
// thousand numbers: each thread keeps the formatters it built, by language and kind (ICU's date formats
// are not safe to share between threads).
template <typename Formatter, typename Make>
core::Result<const Formatter*> kept(std::string_view language, std::string_view kind, Make make) {
    thread_local std::unordered_map<std::string, std::unique_ptr<Formatter>> built;
    std::string key = std::string(language) + '|' + std::string(kind);
    auto found = built.find(key);
    if (found == built.end()) {
        auto locale = locale_for(language);
        if (!locale) return locale.error();
        core::Result<std::unique_ptr<Formatter>> made = make(*locale);
        if (!made) return made.error();
        found = built.emplace(std::move(key), std::move(made.value())).first;
    }
    return found->second.get();
}

using NumberFormat = icu::number::LocalizedNumberFormatter;

// A number formatter of `language` set up by `configure` (an UnlocalizedNumberFormatter's settings).
template <typename Configure>
core::Result<const NumberFormat*> number_format(std::string_view language, std::string_view kind, Configure configure) {
    return kept<NumberFormat>(language, kind, [&](const icu::Locale& locale) -> core::Result<std::unique_ptr<NumberFormat>> {
        return std::make_unique<NumberFormat>(configure(icu::number::NumberFormatter::with()).locale(locale));
    });
}

core::Result<std::string> format_with(const core::Result<const NumberFormat*>& format, double value) {
    if (!format) return format.error();
    UErrorCode status = U_ZERO_ERROR;
    const auto formatted = format.value()->formatDouble(value, status);
    if (U_FAILURE(status)) return icu_error("formatDouble", status);
    auto text = formatted.toString(status);
    if (U_FAILURE(status)) return icu_error("FormattedNumber::toString", status);
    return utf8(text);
}

}  // namespace

core::Result<std::string> format_count(std::string_view language, std::int64_t n) {
    auto format = number_format(language, "count", [](auto settings) { return settings; });
    if (!format) return format.error();
    UErrorCode status = U_ZERO_ERROR;
    const auto formatted = format.value()->formatInt(n, status);
    if (U_FAILURE(status)) return icu_error("formatInt", status);
    auto text = formatted.toString(status);
    if (U_FAILURE(status)) return icu_error("FormattedNumber::toString", status);
    return utf8(text);
}

core::Result<std::string> format_percent(std::string_view language, double fraction) {
    // ICU's default rounding is half-even (42.5 % would read "42 %"); readers expect halves rounded up.
    return format_with(number_format(language, "percent",
                                     [](auto settings) {
                                         return settings.unit(icu::NoUnit::percent())
                                             .scale(icu::number::Scale::powerOfTen(2))
                                             .precision(icu::number::Precision::integer())
                                             .roundingMode(UNUM_ROUND_HALFUP);
                                     }),
                       fraction);
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

core::Result<std::string> format_day(std::string_view language, std::string_view ymd, bool with_year) {
    const std::string text(ymd);
    if (!is_local_date(ymd)) return make_error(ErrorCode::InvalidArgument, "not a day 'YYYY-MM-DD': '" + text + "'");
    int year = 0;
    unsigned month = 0, day = 0;
    std::sscanf(text.c_str(), "%4d-%2u-%2u", &year, &month, &day);
    const std::chrono::year_month_day civil{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    // Noon UTC of the day, formatted in UTC: the day itself whatever the calendar, no zone can shift it.
    const auto noon = std::chrono::sys_days{civil} + std::chrono::hours{12};
    auto format = kept<icu::DateFormat>(
        language, with_year ? "yMMMd" : "MMMd",
        [&](const icu::Locale& locale) -> core::Result<std::unique_ptr<icu::DateFormat>> {
            UErrorCode status = U_ZERO_ERROR;
            const icu::UnicodeString skeleton(with_year ? u"yMMMd" : u"MMMd");
            std::unique_ptr<icu::DateFormat> made(icu::DateFormat::createInstanceForSkeleton(skeleton, locale, status));
            if (U_FAILURE(status) || !made) return icu_error("createInstanceForSkeleton", status);
            made->adoptTimeZone(icu::TimeZone::createTimeZone(u"UTC"));
            return made;
        });
    if (!format) return format.error();
    icu::UnicodeString out;
    format.value()->format(static_cast<UDate>(std::chrono::duration_cast<std::chrono::milliseconds>(noon.time_since_epoch()).count()),
                   out);
    return utf8(out);
}

core::Result<std::string> format_decimal(std::string_view language, double value, int fraction_digits,
                                         bool signed_change) {
    const std::string kind = "decimal" + std::to_string(fraction_digits) + (signed_change ? "+" : "");
    return format_with(number_format(language, kind,
                                     [&](auto settings) {
                                         return settings.precision(icu::number::Precision::fixedFraction(fraction_digits))
                                             .roundingMode(UNUM_ROUND_HALFUP)
                                             .sign(signed_change ? UNUM_SIGN_EXCEPT_ZERO : UNUM_SIGN_AUTO);
                                     }),
                       value);
}

core::Result<std::string> weekday_name(std::string_view language, int iso_weekday) {
    auto locale = locale_for(language);
    if (!locale) return locale.error();
    if (iso_weekday < 1 || iso_weekday > 7) {
        return make_error(ErrorCode::InvalidArgument, "no weekday " + std::to_string(iso_weekday) + " (1-7)");
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::DateFormatSymbols symbols(*locale, status);
    if (U_FAILURE(status)) return icu_error("DateFormatSymbols", status);
    int32_t count = 0;
    // ICU's array is indexed by UCAL_SUNDAY (1) .. UCAL_SATURDAY (7); slot 0 is empty.
    const icu::UnicodeString* names =
        symbols.getWeekdays(count, icu::DateFormatSymbols::STANDALONE, icu::DateFormatSymbols::ABBREVIATED);
    const int ucal = iso_weekday % 7 + 1;
    if (names == nullptr || ucal >= count) return make_error(ErrorCode::Internal, "ICU has no weekday names");
    return utf8(names[ucal]);
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
    const auto unicode = [](std::string_view text) {
        return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    };
    return unicode(a).caseCompare(unicode(b), U_FOLD_CASE_DEFAULT) == 0;
}

}  // namespace truthpoint::hub
