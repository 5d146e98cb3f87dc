// Wall-clock instants at millisecond precision and their RFC 3339 UTC text form.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace truthpoint::core {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

Timestamp now_utc();

// The instants with a four-digit year in UTC, 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: the
// text form sorts as the instants do and its hour is always its first 13 characters.
Timestamp min_rfc3339_instant();
Timestamp max_rfc3339_instant();

// "2026-11-22T06:43:14.123Z": always UTC, always three fraction digits, always 24 characters (an instant
// outside the window above is written as the window's nearest end).
std::string format_rfc3339(Timestamp instant);

// Accepts RFC 3339 with 'Z' or a numeric offset and 0-9 fraction digits (truncated to ms); refuses an
// instant outside the window above once the offset is applied (9999-12-31T23:59:59-01:00 is in year 10000).
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace truthpoint::core
