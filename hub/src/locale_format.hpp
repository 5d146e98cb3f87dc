// Numbers and dates as the dashboard's readers read them, through ICU: each language's own digits and
// grouping (Persian and Arabic digits, not Latin), Solar Hijri dates for Persian. Which local day and hour
// an instant falls on is local_time.hpp's (the system's tzdata): ICU's built-in tz database is 2022e.
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

// A local day 'YYYY-MM-DD' (the filter's and the trend's days) as the language writes a date: the skeleton
// yMMMd (month by name, so Arabic is not the ambiguous numeric 21/03/2026); Persian in the Solar Hijri
// calendar. `with_year` false gives the short form for a chart's axis ("Mar 21", "۱ فروردین").
core::Result<std::string> format_day(std::string_view language, std::string_view ymd, bool with_year = true);

// A measured figure such as an index of 72.4 or an average rating of 4.2, with `fraction_digits` after the
// point, in the language's digits and decimal sign; `signed_change` writes "+3.1" / "-3.1" (a change).
core::Result<std::string> format_decimal(std::string_view language, double value, int fraction_digits,
                                         bool signed_change = false);

// The weekday's short name, 1 Monday .. 7 Sunday, in the language ("Mon", "دوشنبه", "الاثنين").
core::Result<std::string> weekday_name(std::string_view language, int iso_weekday);

// Whether two names people type are the same but for case, by Unicode case folding: "North" and "north",
// "ΑΘΗΝΑ" and "αθηνα", "İZMİR" and "i̇zmir".
bool same_ignoring_case(std::string_view a, std::string_view b);

}  // namespace truthpoint::hub
