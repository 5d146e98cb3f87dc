// UUIDv7 generation (RFC 9562) and syntax checks.
#include "truthpoint/core/uuid.hpp"

#include <array>
#include <cstdio>

namespace truthpoint::core {

UuidV7Generator::UuidV7Generator() {
    std::random_device entropy;
    std::seed_seq seed{entropy(), entropy(), entropy(), entropy(), entropy(), entropy()};
    random_.seed(seed);
}

std::string UuidV7Generator::next() { return next_at(now_utc()); }

std::string UuidV7Generator::next_at(Timestamp instant) {
    std::int64_t millis = instant.time_since_epoch().count();
    std::uint64_t random_bits;
    std::uint16_t rand_a;
    {
        std::lock_guard lock(mutex_);
        if (millis <= last_millis_) {
            millis = last_millis_;  // never go backwards, even if the wall clock does
            if (++counter_ > 0x0fff) {
                ++millis;
                counter_ = static_cast<std::uint16_t>(random_() & 0x01ff);
            }
        } else {
            counter_ = static_cast<std::uint16_t>(random_() & 0x01ff);  // leave room to count up
        }
        last_millis_ = millis;
        rand_a = counter_;
        random_bits = random_();
    }
    std::array<std::uint8_t, 16> bytes{};
    for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(millis >> (8 * (5 - i)));
    bytes[6] = static_cast<std::uint8_t>(0x70 | ((rand_a >> 8) & 0x0f));
    bytes[7] = static_cast<std::uint8_t>(rand_a & 0xff);
    for (int i = 0; i < 8; ++i) bytes[8 + i] = static_cast<std::uint8_t>(random_bits >> (8 * i));
    bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3f));

    char text[37];
    std::snprintf(text, sizeof text,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1],
                  bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                  bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool is_uuid_v7(std::string_view text) {
    return is_uuid(text) && text[14] == '7' &&
           (text[19] == '8' || text[19] == '9' || text[19] == 'a' || text[19] == 'b');
}

}  // namespace truthpoint::core
