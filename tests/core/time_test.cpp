// RFC 3339 round trips and the forms the hub must refuse.
#include <catch2/catch.hpp>

#include "truthpoint/core/time.hpp"

using namespace truthpoint::core;

TEST_CASE("RFC 3339 times are UTC with milliseconds", "[time]") {
    const auto instant = parse_rfc3339("2026-11-22T06:43:14.123Z");
    REQUIRE(instant);
    CHECK(format_rfc3339(*instant) == "2026-11-22T06:43:14.123Z");
    CHECK(instant->time_since_epoch().count() == 1795329794123LL);

    SECTION("offsets are normalised to UTC") {
        CHECK(format_rfc3339(*parse_rfc3339("2026-11-22T10:13:14.123+03:30")) == "2026-11-22T06:43:14.123Z");
        CHECK(format_rfc3339(*parse_rfc3339("2026-11-21T23:43:14-07:00")) == "2026-11-22T06:43:14.000Z");
    }
    SECTION("extra fraction digits are truncated to milliseconds") {
        CHECK(format_rfc3339(*parse_rfc3339("2026-11-22T06:43:14.123999999Z")) == "2026-11-22T06:43:14.123Z");
    }
    SECTION("dates before 1970 and leap days format correctly") {
        CHECK(format_rfc3339(*parse_rfc3339("1969-12-31T23:59:59.999Z")) == "1969-12-31T23:59:59.999Z");
        CHECK(format_rfc3339(*parse_rfc3339("2028-02-29T00:00:00.000Z")) == "2028-02-29T00:00:00.000Z");
    }
}

TEST_CASE("malformed times are refused", "[time]") {
    for (const char* text : {"", "2026-11-22", "2026-11-22 06:43:14Z", "2026-11-22T06:43:14", "2026-13-01T00:00:00Z",
                             "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T06:43:14.Z",
                             "2026-11-22T06:43:14Zjunk", "2026-11-22T06:43:14+0330"}) {
        INFO(text);
        CHECK_FALSE(parse_rfc3339(text));
    }
}
