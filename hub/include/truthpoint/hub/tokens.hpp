// Kiosk tokens: 256 random bits from libsodium, shown once as lowercase hex, stored only as a hash.
#pragma once

#include <string>
#include <string_view>

#include "truthpoint/hub/result.hpp"

namespace truthpoint::hub {

inline constexpr std::size_t kTokenBytes = 32;  // 64 hex characters

// Unavailable only if libsodium cannot initialise (no entropy source).
Result<std::string> generate_token();

// Lowercase hex SHA-256 of the token text. A token has 256 bits of entropy, so a fast unsalted hash
// is enough: nobody can guess their way back from the hash, and lookups by hash stay indexable.
std::string hash_token(std::string_view token);

// Lowercase hex SHA-256 of any text (payload hashes use it too).
std::string sha256_hex(std::string_view text);

}  // namespace truthpoint::hub
