// Kiosk tokens: random, hex, stored only as a hash; issue, verify and revoke through the store.
#include <catch2/catch.hpp>

#include <set>

#include <sqlite3.h>

#include "support.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TempDir;

TEST_CASE("tokens are 256 random bits in lowercase hex", "[hub][tokens]") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto token = generate_token();
        REQUIRE(token);
        CHECK(token->size() == 64);
        CHECK(token->find_first_not_of("0123456789abcdef") == std::string::npos);
        seen.insert(*token);
    }
    CHECK(seen.size() == 100);
}

TEST_CASE("a token hash is SHA-256 and differs from the token", "[hub][tokens]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string token = generate_token().value();
    CHECK(hash_token(token) == sha256_hex(token));
    CHECK(hash_token(token) != token);
}

TEST_CASE("tokens are issued, verified and revoked", "[hub][tokens]") {
    TempDir dir;
    auto store = SqliteStore::open(dir.file("hub.db")).value();
    const auto kiosk = hub_test::enrol(*store, "k-7", "s-3", "north");

    SECTION("the database holds the hash, never the token") {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.file("hub.db").c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* statement = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT token_hash FROM kiosks WHERE id = 'k-7'", -1, &statement, nullptr) ==
                SQLITE_OK);
        REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
        const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        sqlite3_finalize(statement);
        sqlite3_close(db);
        CHECK(stored == hash_token(kiosk.token));
        CHECK(stored.find(kiosk.token) == std::string::npos);
    }
    SECTION("the right token identifies the kiosk and its store") {
        auto identity = authenticate(*store, "Bearer " + kiosk.token);
        REQUIRE(identity);
        CHECK(identity->kiosk_id == "k-7");
        CHECK(identity->store_id == "s-3");
        CHECK(identity->region == "north");
        CHECK(authenticate(*store, "bearer   " + kiosk.token + "  "));  // scheme is case-insensitive
    }
    SECTION("missing, malformed and wrong tokens are refused") {
        for (const std::string& header : {std::string(""), std::string("Bearer"), std::string("Basic abc"),
                                         "Bearer " + kiosk.token + "0", "Bearer " + hash_token(kiosk.token)}) {
            INFO(header);
            auto identity = authenticate(*store, header);
            REQUIRE_FALSE(identity);
            CHECK(identity.error().code == ErrorCode::Unauthorized);
            CHECK_FALSE(identity.error().message.empty());
        }
    }
    SECTION("a revoked kiosk's token is refused, and says so") {
        auto revoked = store->revoke_kiosk("k-7", core::now_utc());
        REQUIRE(revoked);
        REQUIRE(revoked->revoked_at);
        auto identity = authenticate(*store, "Bearer " + kiosk.token);
        REQUIRE_FALSE(identity);
        CHECK(identity.error().code == ErrorCode::Unauthorized);
        CHECK_THAT(identity.error().message, Catch::Contains("revoked"));
    }
    SECTION("revoking an unknown kiosk is NotFound") {
        auto revoked = store->revoke_kiosk("k-404", core::now_utc());
        REQUIRE_FALSE(revoked);
        CHECK(revoked.error().code == ErrorCode::NotFound);
    }
}
