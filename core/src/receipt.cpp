// HMAC-SHA256 through OpenSSL's libcrypto (EVP_MAC would do too; HMAC() is one call and present in 3.0).
#include "truthpoint/core/receipt.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <regex>

namespace truthpoint::core {
namespace {

std::array<std::uint8_t, 32> hmac_sha256(const ReceiptKey& key, std::string_view message) {
    std::array<std::uint8_t, 32> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.bytes().data(), static_cast<int>(key.bytes().size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
    return digest;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        hex += kDigits[bytes[i] >> 4];
        hex += kDigits[bytes[i] & 0x0f];
    }
    return hex;
}

}  // namespace

Result<ReceiptKey> ReceiptKey::from_hex(std::string_view hex) {
    if (hex.size() != kBytes * 2) {
        return make_error(ErrorCode::InvalidArgument, "a receipt key is 64 hex digits; this one has " +
                                                                      std::to_string(hex.size()) + " characters");
    }
    ReceiptKey key;
    for (std::size_t i = 0; i < kBytes; ++i) {
        const int high = hex_value(hex[2 * i]);
        const int low = hex_value(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            return make_error(ErrorCode::InvalidArgument,
                                    "a receipt key holds only hex digits 0-9 and a-f");
        }
        key.bytes_[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return key;
}

Result<ReceiptKey> ReceiptKey::generate() {
    ReceiptKey key;
    if (RAND_bytes(key.bytes_.data(), static_cast<int>(kBytes)) != 1) {
        return make_error(ErrorCode::Unavailable,
                                "the system's random source gave no bytes for a receipt key");
    }
    return key;
}

std::string ReceiptKey::hex() const { return to_hex(bytes_.data(), bytes_.size()); }

std::string normalise_receipt_code(std::string_view code) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!code.empty() && space(code.front())) code.remove_prefix(1);
    while (!code.empty() && space(code.back())) code.remove_suffix(1);
    std::string out;
    out.reserve(code.size());
    for (std::size_t i = 0; i < code.size(); ++i) {
        const auto byte = static_cast<unsigned char>(code[i]);
        if (i + 1 < code.size() && (byte == 0xD9 || byte == 0xDB)) {
            const auto next = static_cast<unsigned char>(code[i + 1]);
            if (byte == 0xD9 && next >= 0xA0 && next <= 0xA9) {  // U+0660..0669 Arabic-Indic
                out += static_cast<char>('0' + (next - 0xA0));
                ++i;
                continue;
            }
            if (byte == 0xDB && next >= 0xB0 && next <= 0xB9) {  // U+06F0..06F9 Persian
                out += static_cast<char>('0' + (next - 0xB0));
                ++i;
                continue;
            }
        }
        out += code[i];
    }
    return out;
}

std::string receipt_hash(const ReceiptKey& key, std::string_view code) {
    const auto digest = hmac_sha256(key, normalise_receipt_code(code));
    return to_hex(digest.data(), digest.size());
}

bool receipt_code_matches(std::string_view pattern, std::string_view code) {
    if (pattern.empty()) return false;
    try {
        const std::regex expression{std::string(pattern), std::regex::ECMAScript};
        return std::regex_match(normalise_receipt_code(code), expression);
    } catch (const std::regex_error&) {
        return false;
    }
}

std::string sorry_card_code(const ReceiptKey& key, std::string_view card_id) {
    static constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const auto digest = hmac_sha256(key, "truthpoint sorry card 1:" + std::string(card_id));
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | digest[static_cast<std::size_t>(i)];
    std::string code;
    for (std::size_t i = 0; i < kSorryCodeLength; ++i) code += kCrockford[(bits >> (59 - 5 * i)) & 0x1f];
    return code;
}

std::optional<std::string> normalise_sorry_code(std::string_view typed) {
    std::string code;
    for (const char c : normalise_receipt_code(typed)) {
        if (c == ' ' || c == '-') continue;
        char upper = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
        if (upper == 'I' || upper == 'L') upper = '1';
        if (upper == 'O') upper = '0';
        const bool digit = upper >= '0' && upper <= '9';
        const bool letter = upper >= 'A' && upper <= 'Z' && upper != 'U';
        if (!digit && !letter) return std::nullopt;
        code += upper;
    }
    if (code.size() != kSorryCodeLength) return std::nullopt;
    return code;
}

}  // namespace truthpoint::core
