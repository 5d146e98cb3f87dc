// UUIDv7 event ids: 48 bits of Unix milliseconds then random bits, so ids sort by creation time.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

#include "truthpoint/core/time.hpp"

namespace truthpoint::core {

// Thread-safe; within one millisecond successive ids still increase (RFC 9562, method 1 counter).
class UuidV7Generator {
public:
    UuidV7Generator();
    std::string next();
    std::string next_at(Timestamp instant);

private:
    std::mutex mutex_;
    std::mt19937_64 random_;
    std::int64_t last_millis_ = -1;
    std::uint16_t counter_ = 0;  // the 12-bit rand_a field, bumped inside one millisecond
};

// Lower-case 8-4-4-4-12 hex with version 7 and the RFC 4122 variant.
bool is_uuid_v7(std::string_view text);
// Any RFC 4122 text UUID (used for session ids and batch ids).
bool is_uuid(std::string_view text);

}  // namespace truthpoint::core
