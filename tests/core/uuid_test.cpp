// UUIDv7: shape, uniqueness and time order.
#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

#include "truthpoint/core/uuid.hpp"

using namespace truthpoint::core;

TEST_CASE("UUIDv7 ids carry version 7 and sort by creation", "[uuid]") {
    UuidV7Generator ids;
    const auto at = *parse_rfc3339("2026-11-22T06:43:14.123Z");
    const std::string first = ids.next_at(at);
    CHECK(is_uuid_v7(first));
    CHECK(first.substr(0, 13) == "01a201fe-a04b");  // 48-bit big-endian milliseconds

    SECTION("ids within one millisecond still increase") {
        std::string previous = first;
        for (int i = 0; i < 5000; ++i) {
            const std::string next = ids.next_at(at);
            REQUIRE(next > previous);
            previous = next;
        }
    }
    SECTION("a clock stepping back does not reorder ids") {
        const std::string later = ids.next_at(at - std::chrono::seconds(10));
        CHECK(later > first);
    }
}

TEST_CASE("ids from many threads never collide", "[uuid]") {
    UuidV7Generator ids;
    std::vector<std::vector<std::string>> made(4);
    std::vector<std::thread> threads;
    for (auto& bucket : made) {
        threads.emplace_back([&ids, &bucket] {
            for (int i = 0; i < 20000; ++i) bucket.push_back(ids.next());
        });
    }
    for (auto& thread : threads) thread.join();
    std::set<std::string> unique;
    for (const auto& bucket : made) unique.insert(bucket.begin(), bucket.end());
    CHECK(unique.size() == 80000);
}

TEST_CASE("uuid syntax checks", "[uuid]") {
    CHECK(is_uuid("0190f1a2-3b4c-7d5e-8f60-718293a4b5c6"));
    CHECK(is_uuid_v7("0190f1a2-3b4c-7d5e-8f60-718293a4b5c6"));
    CHECK_FALSE(is_uuid_v7("0190f1a2-3b4c-4d5e-8f60-718293a4b5c6"));  // version 4
    CHECK_FALSE(is_uuid_v7("0190f1a2-3b4c-7d5e-cf60-718293a4b5c6"));  // wrong variant
    CHECK_FALSE(is_uuid("0190F1A2-3B4C-7D5E-8F60-718293A4B5C6"));     // upper case is not canonical
    CHECK_FALSE(is_uuid("0190f1a2-3b4c-7d5e-8f60-718293a4b5c"));
    CHECK_FALSE(is_uuid("0190f1a23b4c7d5e8f60718293a4b5c6xxxx"));
}
