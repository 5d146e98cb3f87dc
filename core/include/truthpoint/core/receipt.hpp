// Receipt codes and sorry-card codes as keyed hashes under the chain's receipt key (docs/events.md,
// "Receipts and sorry cards"). A receipt code never leaves this file other than as its HMAC-SHA256;
// a sorry card's code is derived from its id, so the hub can check a code a till presents.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::core {

// The chain's receipt key: 32 random bytes, written as 64 hex digits wherever a person or a file holds it.
class ReceiptKey {
public:
    static constexpr std::size_t kBytes = 32;
    // 64 hex digits (either case); the reason says what is wrong otherwise.
    static Result<ReceiptKey> from_hex(std::string_view hex);
    // A fresh key from the operating system's random source (OpenSSL's RAND_bytes).
    static Result<ReceiptKey> generate();

    std::string hex() const;  // 64 lower-case hex digits
    const std::array<std::uint8_t, kBytes>& bytes() const { return bytes_; }

private:
    std::array<std::uint8_t, kBytes> bytes_{};
};

// The receipt code as it is hashed: surrounding spaces dropped, Persian (۰-۹) and Arabic-Indic (٠-٩)
// digits read as 0-9, so a code typed on any keypad or read by any scanner gives the same hash.
std::string normalise_receipt_code(std::string_view code);

// HMAC-SHA256(key, normalise_receipt_code(code)) as 64 lower-case hex digits: what the kiosk records and
// what the point of sale sends to the hub for the same receipt.
std::string receipt_hash(const ReceiptKey& key, std::string_view code);

// Whether `code` matches `pattern` (an ECMAScript regular expression matched against the whole code)
// after normalise_receipt_code. A pattern that does not compile matches nothing (the config check
// reports it, see app::load_config).
bool receipt_code_matches(std::string_view pattern, std::string_view code);

// A sorry card's single-use code: the first 60 bits of HMAC-SHA256(key, "truthpoint sorry card 1:" + card_id)
// as 12 characters of Crockford's base32 (0-9 and A-Z without I, L, O, U). The hub recomputes it from the
// card_id of the sorry.card event to check a code presented at a till.
inline constexpr std::size_t kSorryCodeLength = 12;
std::string sorry_card_code(const ReceiptKey& key, std::string_view card_id);

// A sorry card's code as a till types or scans it, in the form sorry_card_code writes: spaces and hyphens
// dropped (the card shows the code in groups), letters upper-cased, Persian and Arabic-Indic digits read as
// 0-9, and Crockford's look-alikes read as the digit they stand for (I and L as 1, O as 0). nullopt when what
// is left is not kSorryCodeLength characters of that alphabet.
std::optional<std::string> normalise_sorry_code(std::string_view typed);

}  // namespace truthpoint::core
