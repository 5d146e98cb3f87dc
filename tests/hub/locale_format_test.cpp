// The dashboard's numbers and dates through ICU 72, as exact strings: each expected string was
// checked against what a reader of the language writes (own digits, Solar Hijri year, prefix % in Turkish).
// Invisible marks are spelled out: U+200E LRM, U+200F RLM, U+061C ALM, U+2212 minus, U+066C/U+066A the
// Arabic thousands separator and percent sign.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

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
    }
    const auto unknown_language = format_count("de", 1);
    REQUIRE_FALSE(unknown_language.ok());
    CHECK(unknown_language.error().code == core::ErrorCode::InvalidArgument);
    CHECK_THAT(unknown_language.error().message, Catch::Contains("'de'"));
    // An old IANA alias is a zone all the same.
    CHECK(format_date("en", t, "Asia/Calcutta").value() == "Mar 21, 2026");
}

TEST_CASE("local days are written as each language's readers read a date", "[hub][locale]") {
    CHECK(format_day("en", "2026-03-21").value() == "Mar 21, 2026");
    CHECK(format_day("en", "2026-03-21", false).value() == "Mar 21");
    CHECK(format_day("fa", "2026-03-20").value() ==
          "\u06F2\u06F9 \u0627\u0633\u0641\u0646\u062F \u06F1\u06F4\u06F0\u06F4");  // ۲۹ اسفند ۱۴۰۴
    CHECK(format_day("fa", "2026-03-21").value() ==
          "\u06F1 \u0641\u0631\u0648\u0631\u062F\u06CC\u0646 \u06F1\u06F4\u06F0\u06F5");  // ۱ فروردین ۱۴۰۵
    CHECK(format_day("fa", "2026-03-21", false).value() == "\u06F1 \u0641\u0631\u0648\u0631\u062F\u06CC\u0646");
    CHECK(format_day("ar", "2026-03-21").value() ==
          "\u0662\u0661 \u0645\u0627\u0631\u0633 \u0662\u0660\u0662\u0666");  // ٢١ مارس ٢٠٢٦, the month by name
    CHECK(format_day("el", "2026-03-21").value() == "21 \u039C\u03B1\u03C1 2026");  // 21 Μαρ 2026
    CHECK(format_day("tr", "2026-03-21").value() == "21 Mar 2026");
    for (const char* bad : {"2026-02-30", "2026-3-21", "21/03/2026", "", "2026-03-21x"}) {
        INFO(bad);
        const auto day = format_day("en", bad);
        REQUIRE_FALSE(day.ok());
        CHECK(day.error().code == core::ErrorCode::InvalidArgument);
    }
}

TEST_CASE("decimals and signed changes in each language's digits", "[hub][locale]") {
    CHECK(format_decimal("en", 72.45, 1).value() == "72.5");
    CHECK(format_decimal("en", 4.0, 1).value() == "4.0");
    CHECK(format_decimal("en", 3.14, 1, true).value() == "+3.1");
    CHECK(format_decimal("en", -3.14, 1, true).value() == "-3.1");
    CHECK(format_decimal("en", 0.0, 1, true).value() == "0.0");
    CHECK(format_decimal("fa", 72.45, 1).value() == "\u06F7\u06F2\u066B\u06F5");  // ۷۲٫۵, the Arabic decimal separator
    CHECK(format_decimal("fa", 3.14, 1, true).value() == "\u200E+\u06F3\u066B\u06F1");
    CHECK(format_decimal("ar", 72.45, 1).value() == "\u0667\u0662\u066B\u0665");
    CHECK(format_decimal("el", 72.45, 1).value() == "72,5");
    CHECK(format_decimal("tr", 72.45, 1).value() == "72,5");
}

TEST_CASE("weekday names, Monday first", "[hub][locale]") {
    CHECK(weekday_name("en", 1).value() == "Mon");
    CHECK(weekday_name("en", 7).value() == "Sun");
    CHECK(weekday_name("fa", 1).value() == "\u062F\u0648\u0634\u0646\u0628\u0647");  // دوشنبه
    CHECK(weekday_name("ar", 5).value() == "\u0627\u0644\u062C\u0645\u0639\u0629");  // الجمعة
    CHECK(weekday_name("el", 1).value() == "\u0394\u03B5\u03C5");  // Δευ
    CHECK(weekday_name("tr", 1).value() == "Pzt");
    CHECK_FALSE(weekday_name("en", 0).ok());
    CHECK_FALSE(weekday_name("en", 8).ok());
}

TEST_CASE("formatters kept per thread give the same text on every thread", "[hub][locale]") {
    const std::string count = format_count("fa", 1234).value();
    const std::string day = format_day("fa", "2026-03-21").value();
    const std::string change = format_decimal("fa", 3.14, 1, true).value();
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            for (int k = 0; k < 200; ++k) {
                if (format_count("fa", 1234).value() != count || format_day("fa", "2026-03-21").value() != day ||
                    format_decimal("fa", 3.14, 1, true).value() != change) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(wrong == 0);
    // Kinds are kept apart: a percent after a count of the same language is still a percent.
    CHECK(format_percent("fa", 0.425).value() == "\u06F4\u06F3\u066A");
    CHECK(format_decimal("en", 3.14, 2).value() == "3.14");
    CHECK(format_decimal("en", 3.14, 1).value() == "3.1");
}
