// RFC 3339 times (occurred_at, export bounds, receipts): whatever parses formats to 24 characters that
// parse back to the same instant, and its hour bucket (the first 13 characters) is in the same hour.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/core/time.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto instant = core::parse_rfc3339(text);
    if (!instant) return 0;
    FUZZ_CHECK(*instant >= core::min_rfc3339_instant() && *instant <= core::max_rfc3339_instant());
    const std::string formatted = core::format_rfc3339(*instant);
    FUZZ_CHECK(formatted.size() == 24);
    FUZZ_CHECK(core::parse_rfc3339(formatted) == instant);
    const auto hour = core::parse_rfc3339(formatted.substr(0, 13) + ":00:00Z");
    FUZZ_CHECK(hour && *hour <= *instant && *instant - *hour < std::chrono::hours(1));
    return 0;
}
