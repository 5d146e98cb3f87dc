// KioskTokenCache alone (explicit clock), and through the server: a revoked kiosk is refused within the
// cache's ttl, an unknown token is never remembered.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "support.hpp"
#include "truthpoint/hub/token_cache.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;
using hub::KioskTokenCache;
using namespace std::chrono_literals;

TEST_CASE("the token cache remembers a kiosk for its ttl only", "[hub][tokens]") {
    const auto t0 = KioskTokenCache::Clock::time_point{} + 1h;
    const hub::KioskIdentity kiosk{"k-1", "s-1", "north"};

    SECTION("found within the ttl, forgotten at it") {
        KioskTokenCache cache(5s);
        CHECK_FALSE(cache.find("h1", t0));
        cache.remember("h1", kiosk, t0);
        const auto found = cache.find("h1", t0 + 4999ms);
        REQUIRE(found);
        CHECK(found->kiosk_id == "k-1");
        CHECK(found->store_id == "s-1");
        CHECK(found->region == "north");
        CHECK_FALSE(cache.find("h1", t0 + 5s));
        CHECK_FALSE(cache.find("h1", t0 + 1s));  // an expired entry is gone, not revived
    }
    SECTION("a ttl of 0 turns it off") {
        KioskTokenCache cache(0s);
        cache.remember("h1", kiosk, t0);
        CHECK_FALSE(cache.find("h1", t0));
    }
    SECTION("a full cache drops expired entries first, then everything") {
        KioskTokenCache cache(5s, 2);
        cache.remember("old", kiosk, t0);
        cache.remember("new", kiosk, t0 + 4s);
        cache.remember("newer", kiosk, t0 + 6s);  // "old" has expired: it makes room
        CHECK(cache.find("new", t0 + 6s));
        CHECK(cache.find("newer", t0 + 6s));
        cache.remember("newest", kiosk, t0 + 7s);  // nothing expired: all go, the newest stays
        CHECK(cache.find("newest", t0 + 7s));
        CHECK_FALSE(cache.find("new", t0 + 7s));
    }
}

TEST_CASE("through the server, a revoked kiosk is refused within the token cache's ttl", "[hub][tokens]") {
    hub::ServerOptions options;
    options.token_cache_ttl = 1s;
    RunningHub hub(options);
    const std::string body = batch_body({make_event(core::EventType::SessionStart)});
    auto first = hub.post_batch(body);
    REQUIRE(first);
    REQUIRE(first->status == 200);  // the token is now cached

    REQUIRE(hub.store().revoke_kiosk("k-1", core::now_utc()));
    const auto revoked = std::chrono::steady_clock::now();
    int status = 0;
    while (std::chrono::steady_clock::now() - revoked < 3s) {
        auto result = hub.post_batch(body);  // the same batch: a duplicate while still let in
        REQUIRE(result);
        status = result->status;
        if (status == 401) break;
        std::this_thread::sleep_for(50ms);
    }
    CHECK(status == 401);
    CHECK(std::chrono::steady_clock::now() - revoked < 1s + 500ms);
}

TEST_CASE("an unknown token is not remembered: a kiosk enrolled after a refusal is let in at once",
          "[hub][tokens]") {
    RunningHub hub;  // the default ttl
    const std::string body = batch_body({make_event(core::EventType::SessionStart)});
    const std::string token = "k2-token-" + std::string(55, 'x');
    auto refused = hub.post_batch(body, {{"Authorization", "Bearer " + token}});
    REQUIRE(refused);
    CHECK(refused->status == 401);
    REQUIRE(hub.store().add_kiosk({"k-2", "s-2", "", hub::hash_token(token)}, core::now_utc()));
    auto accepted = hub.post_batch(body, {{"Authorization", "Bearer " + token}});
    REQUIRE(accepted);
    CHECK(accepted->status == 200);
}
