// Stores' local days and hours from the system's tzdata: half-hour zones, clock changes, a cross-check
// against the C library reading the same database, and calendar-day arithmetic.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

#include "../../hub/src/local_time.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;

namespace {

core::Timestamp at(std::string_view rfc3339) { return *core::parse_rfc3339(rfc3339); }

}  // namespace

TEST_CASE("Tehran's local hour turns at the half hour in UTC", "[hub][local_time]") {
    const auto tehran = TimeZone::named("Asia/Tehran");
    REQUIRE(tehran);
    // Iran has kept UTC+03:30 all year since 2022.
    const LocalTime before = tehran->local(at("2026-03-10T06:29:59.999Z"));
    CHECK(before.date == "2026-03-10");
    CHECK(before.hour == 9);
    CHECK(tehran->local(at("2026-03-10T06:30:00Z")).hour == 10);
    const LocalTime late = tehran->local(at("2026-03-10T20:30:00Z"));  // 00:00 the next day in Tehran
    CHECK(late.date == "2026-03-11");
    CHECK(late.hour == 0);
    CHECK(late.iso_weekday == 3);  // a Wednesday
    CHECK(core::format_rfc3339(tehran->day_starts("2026-03-11")) == "2026-03-10T20:30:00.000Z");
}

TEST_CASE("Athens's local hours follow its summer time", "[hub][local_time]") {
    const auto athens = TimeZone::named("Europe/Athens");
    REQUIRE(athens);
    CHECK(athens->local(at("2026-01-15T10:00:00Z")).hour == 12);  // UTC+2
    CHECK(athens->local(at("2026-07-15T10:00:00Z")).hour == 13);  // UTC+3
    // 29 March 2026: 03:00 local becomes 04:00; the day still starts at 00:00 (22:00 UTC the day before).
    CHECK(core::format_rfc3339(athens->day_starts("2026-03-29")) == "2026-03-28T22:00:00.000Z");
}

TEST_CASE("a day whose midnight a clock change skips starts at its first minute", "[hub][local_time]") {
    // Santiago de Chile moves its clocks from 00:00 to 01:00 on the first Sunday of September.
    const auto santiago = TimeZone::named("America/Santiago");
    REQUIRE(santiago);
    const core::Timestamp starts = santiago->day_starts("2026-09-06");
    CHECK(santiago->local(starts).date == "2026-09-06");
    CHECK(santiago->local(starts).hour == 1);
    CHECK(santiago->local(starts - std::chrono::milliseconds(1)).date == "2026-09-05");
}

TEST_CASE("local hours agree with the C library's reading of the same tzdata", "[hub][local_time]") {
    for (const char* name : {"Asia/Tehran", "Asia/Kolkata", "Europe/Istanbul", "Africa/Cairo", "America/Mexico_City",
                             "Asia/Almaty", "America/Asuncion", "Australia/Lord_Howe"}) {
        CAPTURE(name);
        const auto zone = TimeZone::named(name);
        REQUIRE(zone);
        setenv("TZ", name, 1);
        tzset();
        // Every 7 hours and 13 minutes over 2025-2026: all hours of the day, both sides of clock changes.
        for (std::time_t t = 1735689600; t < 1798761600; t += 7 * 3600 + 13 * 60) {
            std::tm tm{};
            localtime_r(&t, &tm);
            const LocalTime local = zone->local(core::Timestamp{std::chrono::seconds{t}});
            char date[11];
            std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
            REQUIRE(local.date == date);
            REQUIRE(local.hour == tm.tm_hour);
            REQUIRE(local.iso_weekday == (tm.tm_wday == 0 ? 7 : tm.tm_wday));
        }
    }
    unsetenv("TZ");
    tzset();
}

TEST_CASE("an unknown zone is an error naming it", "[hub][local_time]") {
    const auto zone = TimeZone::named("Mars/Olympus_Mons");
    REQUIRE_FALSE(zone);
    CHECK(zone.error().code == core::ErrorCode::InvalidArgument);
    CHECK(zone.error().message.find("Mars/Olympus_Mons") != std::string::npos);
    CHECK(TimeZone::utc().local(at("2026-12-31T23:59:59Z")).date == "2026-12-31");
}

TEST_CASE("calendar days as text", "[hub][local_time]") {
    CHECK(is_local_date("2024-02-29"));
    CHECK_FALSE(is_local_date("2026-02-29"));
    CHECK_FALSE(is_local_date("2026-2-28"));
    CHECK_FALSE(is_local_date("2026-02-28T"));
    CHECK_FALSE(is_local_date("２０２６-02-28"));
    CHECK(add_days("2026-12-31", 1) == "2027-01-01");
    CHECK(add_days("2026-03-01", -1) == "2026-02-28");
    CHECK(days_between("2026-01-01", "2026-12-31") == 364);
    CHECK(iso_weekday("2026-12-05") == 6);  // a Saturday
    CHECK(utc_date(at("2026-12-05T23:59:59Z")) == "2026-12-05");
}
