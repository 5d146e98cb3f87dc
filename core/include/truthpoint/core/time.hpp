// Wall-clock instants at millisecond precision and their RFC 3339 UTC text form.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace truthpoint::core {

using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

Timestamp now_utc();

// "2026-11-22T06:43:14.123Z": always UTC, always three fraction digits.
std::string format_rfc3339(Timestamp instant);

// Accepts RFC 3339 with 'Z' or a numeric offset and 0-9 fraction digits (truncated to ms).
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace truthpoint::core
