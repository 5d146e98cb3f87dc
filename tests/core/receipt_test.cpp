// Receipt hashes and sorry-card codes: HMAC-SHA256 under the chain's receipt key.
#include <catch2/catch.hpp>

#include <set>

#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint::core;

TEST_CASE("a receipt hash is HMAC-SHA256 of the code under the key", "[receipt]") {
    // The expected value is what the point of sale computes with OpenSSL's command line:
    // printf '4006381333931' | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102...1f
    const auto key = ReceiptKey::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    REQUIRE(key);
    const std::string hash = receipt_hash(key.value(), "4006381333931");
    CHECK(hash == "69dabe56183e7a3ac0efdbabd73399b571e92bb3a9755917e8e54dcf8752768a");
    CHECK(hash == receipt_hash(key.value(), "  4006381333931\n"));
    CHECK(hash == receipt_hash(key.value(), "۴۰۰۶۳۸۱۳۳۳۹۳۱"));  // Persian digits
    CHECK(hash == receipt_hash(key.value(), "٤٠٠٦٣٨١٣٣٣٩٣١"));  // Arabic-Indic digits
    CHECK(hash != receipt_hash(key.value(), "4006381333932"));
    CHECK(hash.find("4006381333931") == std::string::npos);

    const auto other = ReceiptKey::generate();
    REQUIRE(other);
    CHECK(receipt_hash(other.value(), "4006381333931") != hash);
}

TEST_CASE("receipt keys are 64 hex digits", "[receipt]") {
    CHECK(ReceiptKey::from_hex(std::string(64, 'F')));
    CHECK(ReceiptKey::from_hex(std::string(63, 'a')).error().message ==
          "a receipt key is 64 hex digits; this one has 63 characters");
    CHECK(ReceiptKey::from_hex(std::string(63, 'a') + "g").error().message ==
          "a receipt key holds only hex digits 0-9 and a-f");
    const auto key = ReceiptKey::generate();
    REQUIRE(key);
    CHECK(ReceiptKey::from_hex(key.value().hex()).value().bytes() == key.value().bytes());
    CHECK(ReceiptKey::generate().value().hex() != key.value().hex());
}

TEST_CASE("receipt codes are told apart from product barcodes by a pattern", "[receipt]") {
    CHECK(receipt_code_matches("R[0-9]{10}", "R0123456789"));
    CHECK_FALSE(receipt_code_matches("R[0-9]{10}", "5201234567891"));
    CHECK_FALSE(receipt_code_matches("R[0-9]{10}", "xR0123456789"));  // the whole code
    CHECK_FALSE(receipt_code_matches("", "R0123456789"));
    CHECK_FALSE(receipt_code_matches("R[0-9", "R0"));  // does not compile: matches nothing
}

TEST_CASE("sorry-card codes are derived from the card id, 12 characters of Crockford base32", "[receipt]") {
    const auto key = ReceiptKey::from_hex(std::string(64, '7')).value();
    UuidV7Generator ids;
    std::set<std::string> codes;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = ids.next();
        const std::string code = sorry_card_code(key, id);
        REQUIRE(code.size() == kSorryCodeLength);
        REQUIRE(code.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ") == std::string::npos);
        CHECK(sorry_card_code(key, id) == code);  // the hub recomputes the same code
        codes.insert(code);
    }
    CHECK(codes.size() == 1000);
    const std::string id = ids.next();
    CHECK(sorry_card_code(key, id) != sorry_card_code(ReceiptKey::from_hex(std::string(64, '8')).value(), id));
}

TEST_CASE("a sorry-card code typed at a till is read as the card wrote it", "[receipt]") {
    const auto key = ReceiptKey::from_hex(std::string(64, '7')).value();
    const std::string code = sorry_card_code(key, "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    CHECK(normalise_sorry_code(code) == code);
    CHECK(normalise_sorry_code(" 7k3m-9x2p-q8rt ") == "7K3M9X2PQ8RT");  // groups, lower case, spaces
    CHECK(normalise_sorry_code("ILO0-0000-0000") == "110000000000");    // Crockford's look-alikes
    CHECK(normalise_sorry_code("۷K3M ٩X2P Q8RT") == "7K3M9X2PQ8RT");    // Persian and Arabic-Indic digits
    CHECK_FALSE(normalise_sorry_code("7K3M9X2PQ8R"));     // one short
    CHECK_FALSE(normalise_sorry_code("7K3M9X2PQ8RTT"));   // one long
    CHECK_FALSE(normalise_sorry_code("7K3M9X2PQ8RU"));    // U is not in the alphabet
    CHECK_FALSE(normalise_sorry_code("7K3M9X2PQ8R!"));
    CHECK_FALSE(normalise_sorry_code(""));
}
