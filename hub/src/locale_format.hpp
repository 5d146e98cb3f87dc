// Numbers, dates and local clock times as the dashboard's readers read them, through ICU: each language's
// own digits and grouping (Persian and Arabic digits, not Latin), Solar Hijri dates for Persian, and a
// store's IANA time zone (half-hour offsets and DST included) for "which local hour and weekday".
// Private to hub/; no I/O. Languages: en, fa, ar, el, tr; any other is InvalidArgument.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "truthpoint/core/result.hpp"
#include "truthpoint/core/time.hpp"

namespace truthpoint::hub {

// A count with the language's grouping and digits: en "1,234", fa "۱٬۲۳۴", ar "١٬٢٣٤", el and tr "1.234".
core::Result<std::string> format_count(std::string_view language, std::int64_t n);

// A share in whole percent, halves rounded up (0.425 is 43 %), as the language writes it: en "43%",
// fa "۴۳٪", tr "%43".
core::Result<std::string> format_percent(std::string_view language, double fraction);

// The date of `t` in `time_zone` (an IANA ID such as "Asia/Tehran"), in the language's medium style;
// Persian in the Solar Hijri calendar. An unknown zone is InvalidArgument, never silently UTC.
core::Result<std::string> format_date(std::string_view language, core::Timestamp t, std::string_view time_zone);

// Where `t` falls on a store's wall clock: what the local-time heat map is keyed by. ICU answers from its
// own copy of the tz database (2022e in Debian 12's libicu72), not the system's /usr/share/zoneinfo: zones
// changed since then (Africa/Cairo's DST from 2023, Asia/Almaty 2024, America/Mexico_City, Asuncion) come
// out an hour off; tests/hub/locale_format_test.cpp checks the stores' zones against the system's tzdata.
struct LocalTime {
    std::string date;  // YYYY-MM-DD, Gregorian
    int hour = 0;      // 0-23
    int iso_weekday = 1;  // 1 Monday .. 7 Sunday
};
core::Result<LocalTime> local_time(core::Timestamp t, std::string_view time_zone);

}  // namespace truthpoint::hub
