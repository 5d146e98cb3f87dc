// Kiosk tokens and SHA-256 through libsodium.
#include "truthpoint/hub/tokens.hpp"

#include <array>

#include <sodium.h>

namespace truthpoint::hub {
namespace {

bool sodium_ready() {
    static const bool ready = sodium_init() >= 0;  // thread-safe once; later calls return 1
    return ready;
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes, size);
    hex.pop_back();  // the terminating NUL
    return hex;
}

}  // namespace

Result<std::string> generate_token() {
    if (!sodium_ready()) {
        return make_error(ErrorCode::Unavailable, "libsodium could not initialise: no source of randomness");
    }
    std::array<unsigned char, kTokenBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::string token = to_hex(bytes.data(), bytes.size());
    sodium_memzero(bytes.data(), bytes.size());
    return token;
}

std::string sha256_hex(std::string_view text) {
    sodium_ready();  // hashing needs no randomness, but libsodium asks to be initialised first
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
    return to_hex(digest.data(), digest.size());
}

std::string hash_token(std::string_view token) { return sha256_hex(token); }

}  // namespace truthpoint::hub
