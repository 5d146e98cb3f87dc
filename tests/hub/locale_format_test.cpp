// The dashboard's numbers, dates and local hours through ICU 72, as exact strings: each expected string was
// checked against what a reader of the language writes (own digits, Solar Hijri year, prefix % in Turkish).
// Invisible marks are spelled out: U+200E LRM, U+200F RLM, U+061C ALM, U+2212 minus, U+066C/U+066A the
// Arabic thousands separator and percent sign.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

#include "../../hub/src/locale_format.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;

namespace {

core::Timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
    using namespace std::chrono;
    const auto midnight = sys_days{year{y} / month{mo} / day{d}};
    return core::Timestamp{
        duration_cast<milliseconds>(midnight.time_since_epoch() + hours{h} + minutes{mi} + seconds{s})};
}

void check_local(core::Timestamp t, const char* zone, const char* date, int hour, int iso_weekday) {
    INFO(zone << " " << date << " " << hour);
    const auto local = local_time(t, zone);
    REQUIRE(local.ok());
    CHECK(local->date == date);
    CHECK(local->hour == hour);
    CHECK(local->iso_weekday == iso_weekday);
}

}  // namespace

TEST_CASE("counts are grouped and written in each language's digits", "[hub][locale]") {
    CHECK(format_count("en", 1234).value() == "1,234");
    CHECK(format_count("fa", 1234).value() == "\u06F1\u066C\u06F2\u06F3\u06F4");  // ۱٬۲۳۴
    CHECK(format_count("ar", 1234).value() == "\u0661\u066C\u0662\u0663\u0664");  // ١٬٢٣٤
    CHECK(format_count("el", 1234).value() == "1.234");
    CHECK(format_count("tr", 1234).value() == "1.234");
    CHECK(format_count("en", 0).value() == "0");
    CHECK(format_count("en", -1234567).value() == "-1,234,567");
    // Persian: a true minus sign after a left-to-right mark, so that it stays left of the digits in RTL text.
    CHECK(format_count("fa", -1234567).value() ==
          "\u200E\u2212\u06F1\u066C\u06F2\u06F3\u06F4\u066C\u06F5\u06F6\u06F7");
}

TEST_CASE("percentages round halves up and place the sign as the language does", "[hub][locale]") {
    CHECK(format_percent("en", 0.425).value() == "43%");  // ICU's default half-even would say 42%
    CHECK(format_percent("en", 0.415).value() == "42%");
    CHECK(format_percent("en", 1.0).value() == "100%");
    CHECK(format_percent("fa", 0.425).value() == "\u06F4\u06F3\u066A");        // ۴۳٪
    CHECK(format_percent("ar", 0.425).value() == "\u0664\u0663\u066A\u061C");  // ٤٣٪ and an Arabic letter mark
    CHECK(format_percent("el", 0.425).value() == "43%");
    CHECK(format_percent("tr", 0.425).value() == "%43");
}

TEST_CASE("dates are medium dates in the store's zone, Persian in the Solar Hijri calendar", "[hub][locale]") {
    // Nowruz 1405: 2026-03-21 in Tehran (+03:30) begins at 2026-03-20T20:30Z.
    const auto last_of_1404 = utc(2026, 3, 20, 20, 29, 59);
    const auto first_of_1405 = utc(2026, 3, 20, 20, 30, 0);
    // ۲۹ اسفند ۱۴۰۴ and ۱ فروردین ۱۴۰۵
    CHECK(format_date("fa", last_of_1404, "Asia/Tehran").value() ==
          "\u06F2\u06F9 \u0627\u0633\u0641\u0646\u062F \u06F1\u06F4\u06F0\u06F4");
    CHECK(format_date("fa", first_of_1405, "Asia/Tehran").value() ==
          "\u06F1 \u0641\u0631\u0648\u0631\u062F\u06CC\u0646 \u06F1\u06F4\u06F0\u06F5");
    CHECK(format_date("en", last_of_1404, "Asia/Tehran").value() == "Mar 20, 2026");
    CHECK(format_date("en", first_of_1405, "Asia/Tehran").value() == "Mar 21, 2026");
    CHECK(format_date("en", first_of_1405, "UTC").value() == "Mar 20, 2026");
    // Arabic's medium date is numeric, day first, with right-to-left marks after the day and the month.
    CHECK(format_date("ar", first_of_1405, "Asia/Tehran").value() ==
          "\u0662\u0661\u200F/\u0660\u0663\u200F/\u0662\u0660\u0662\u0666");  // ٢١/٠٣/٢٠٢٦
    CHECK(format_date("el", first_of_1405, "Europe/Athens").value() == "20 \u039C\u03B1\u03C1 2026");  // 20 Μαρ 2026
    CHECK(format_date("tr", first_of_1405, "Europe/Istanbul").value() == "20 Mar 2026");
}

TEST_CASE("an unknown time zone or language is an error, never UTC", "[hub][locale]") {
    const auto t = utc(2026, 3, 21, 0, 0, 0);
    for (const char* zone : {"Mars/Olympus", "", "asia/tehran", "Etc/Unknown", "GMT+03:30"}) {
        INFO(zone);
        const auto date = format_date("en", t, zone);
        REQUIRE_FALSE(date.ok());
        CHECK(date.error().code == core::ErrorCode::InvalidArgument);
        CHECK_THAT(date.error().message, Catch::Contains("'" + std::string(zone) + "'"));
        const auto local = local_time(t, zone);
        REQUIRE_FALSE(local.ok());
        CHECK(local.error().code == core::ErrorCode::InvalidArgument);
    }
    const auto unknown_language = format_count("de", 1);
    REQUIRE_FALSE(unknown_language.ok());
    CHECK(unknown_language.error().code == core::ErrorCode::InvalidArgument);
    CHECK_THAT(unknown_language.error().message, Catch::Contains("'de'"));
    // An old IANA alias is a zone all the same.
    CHECK(local_time(t, "Asia/Calcutta").value().hour == 5);
}

TEST_CASE("local hours follow half-hour offsets and daylight saving time", "[hub][locale]") {
    SECTION("Tehran is +03:30 all year since 2022") {
        check_local(utc(2026, 6, 1, 20, 29, 59), "Asia/Tehran", "2026-06-01", 23, 1);  // 23:59 Monday
        check_local(utc(2026, 6, 1, 20, 30, 0), "Asia/Tehran", "2026-06-02", 0, 2);    // 00:00 Tuesday
        check_local(utc(2026, 1, 15, 20, 30, 0), "Asia/Tehran", "2026-01-16", 0, 5);
        // One UTC hour straddles two local hours.
        check_local(utc(2026, 6, 1, 10, 0, 0), "Asia/Tehran", "2026-06-01", 13, 1);
        check_local(utc(2026, 6, 1, 10, 45, 0), "Asia/Tehran", "2026-06-01", 14, 1);
    }
    SECTION("Kolkata is +05:30") {
        check_local(utc(2026, 6, 1, 18, 29, 59), "Asia/Kolkata", "2026-06-01", 23, 1);
        check_local(utc(2026, 6, 1, 18, 30, 0), "Asia/Kolkata", "2026-06-02", 0, 2);
    }
    SECTION("Athens moves to +03:00 on the last Sunday of March and back in October") {
        check_local(utc(2026, 1, 15, 12, 0, 0), "Europe/Athens", "2026-01-15", 14, 4);
        check_local(utc(2026, 7, 15, 12, 0, 0), "Europe/Athens", "2026-07-15", 15, 3);
        // 2026-03-29 01:00Z: 03:00 local never happens.
        check_local(utc(2026, 3, 29, 0, 59, 59), "Europe/Athens", "2026-03-29", 2, 7);
        check_local(utc(2026, 3, 29, 1, 0, 0), "Europe/Athens", "2026-03-29", 4, 7);
        // 2026-10-25 01:00Z: 03:00-04:00 local happens twice.
        check_local(utc(2026, 10, 25, 0, 30, 0), "Europe/Athens", "2026-10-25", 3, 7);
        check_local(utc(2026, 10, 25, 1, 30, 0), "Europe/Athens", "2026-10-25", 3, 7);
    }
    SECTION("Istanbul is +03:00 all year since 2016") {
        check_local(utc(2026, 1, 15, 12, 0, 0), "Europe/Istanbul", "2026-01-15", 15, 4);
        check_local(utc(2026, 7, 15, 12, 0, 0), "Europe/Istanbul", "2026-07-15", 15, 3);
    }
    SECTION("UTC at the turn of a year") {
        check_local(utc(2026, 12, 31, 23, 59, 59), "UTC", "2026-12-31", 23, 4);
        check_local(utc(2027, 1, 1, 0, 0, 0), "UTC", "2027-01-01", 0, 5);
    }
}

// ICU carries its own copy of the tz database (2022e in Debian 12's ICU 72), older than the system's
// tzdata: it does not know, e.g., Egypt's DST since 2023 or Kazakhstan's single zone since 2024. For the
// zones the dashboard's stores are in, ICU must agree with the system's zoneinfo (libc, TZ set per zone)
// at every half hour of 2025-2027.
TEST_CASE("local hours agree with the system's tzdata in the stores' zones", "[hub][locale]") {
    const char* saved = std::getenv("TZ");
    const std::string saved_tz = saved ? saved : "";
    for (const char* zone : {"Asia/Tehran", "Asia/Kolkata", "Europe/Athens", "Europe/Istanbul", "UTC"}) {
        ::setenv("TZ", zone, 1);
        ::tzset();
        int disagreements = 0;
        std::string first_disagreement;
        for (auto t = utc(2025, 1, 1, 0, 0, 0); t < utc(2028, 1, 1, 0, 0, 0); t += std::chrono::minutes{30}) {
            const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
            std::tm tm{};
            REQUIRE(::localtime_r(&seconds, &tm) != nullptr);
            char date[16];
            std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
            const auto local = local_time(t, zone);
            REQUIRE(local.ok());
            if (local->date != date || local->hour != tm.tm_hour || local->iso_weekday != (tm.tm_wday + 6) % 7 + 1) {
                if (disagreements++ == 0) {
                    first_disagreement = "at " + std::to_string(seconds) + " ICU says " + local->date + " hour " +
                                         std::to_string(local->hour) + ", tzdata " + date + " hour " +
                                         std::to_string(tm.tm_hour);
                }
            }
        }
        INFO(zone << ": " << first_disagreement);
        CHECK(disagreements == 0);
    }
    if (saved) ::setenv("TZ", saved_tz.c_str(), 1);
    else ::unsetenv("TZ");
    ::tzset();
}
