// Sorry cards at the till, end to end: a kiosk's sorry.card event reaches the hub, a till (POS token)
// checks and redeems its code over real HTTP once, and racing tills on one code get exactly one success:
// on SQLite, and on PostgreSQL with two hub processes. The storage role runs on both engines.
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <thread>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;

namespace {

// A sorry card with an offer as a kiosk writes it: its code made from a fresh card id with `key`.
core::Event sorry_card(const core::ReceiptKey& key, const std::string& sku = "sku-1") {
    core::Event event = hub_test::make_event(core::EventType::SorryCard, sku);
    const std::string card_id = core::UuidV7Generator().next();
    event.data = {{"reason", "low_rating"},
                  {"offer", true},
                  {"card_id", card_id},
                  {"code", core::sorry_card_code(key, card_id)},
                  {"offer_text", "۲ به ۱ این هفته"}};
    REQUIRE_FALSE(core::validate_event(event).has_value());
    return event;
}

core::ReceiptKey key_of(Store& store) { return chain_receipt_key(store, core::now_utc()).value(); }

std::string redemptions(const TestDatabase& database) {
    return database.execute("SELECT count(*) FROM sorry_card_redemptions");
}

std::string counted_redemptions(const TestDatabase& database) {
    return database.execute("SELECT coalesce(sum(events), 0) FROM rollup_answers WHERE question = 'sorry' AND answer = 'redeemed'");
}

// The code as a till clerk might type it: lower case, in groups of four.
std::string typed_by_hand(const std::string& code) {
    std::string typed;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0) typed += '-';
        typed += static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    }
    return typed;
}

std::string code_body(const std::string& code) { return nlohmann::json{{"code", code}}.dump(); }

}  // namespace

TEST_CASE("a sorry card is found by its code and redeemed once, on both engines", "[hub][store][offers]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1", "north");
    const core::Event card = sorry_card(key_of(*store));
    const std::string code = card.data["code"];
    REQUIRE(store->store_events({"k-1", "s-1", "north"}, {hub_test::incoming(card)}, core::now_utc()));

    auto found = store->find_sorry_card(code);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->card_id == card.data["card_id"]);
    CHECK((*found)->store_id == "s-1");
    CHECK((*found)->region == "north");
    CHECK((*found)->sku == "sku-1");
    CHECK((*found)->offer_text == "۲ به ۱ این هفته");
    CHECK(core::format_rfc3339((*found)->issued_at) == core::format_rfc3339(card.occurred_at));
    CHECK_FALSE((*found)->redeemed_at);
    CHECK_FALSE(store->find_sorry_card("0000000000ZZ").value());

    const auto at = core::parse_rfc3339("2026-11-30T21:00:00.000Z").value();
    auto first = store->redeem_sorry_card(code, "till-1", at);
    REQUIRE(first);
    CHECK(first->redeemed_now);
    CHECK(first->card.redeemed_at == at);
    auto second = store->redeem_sorry_card(code, "till-2", at + std::chrono::minutes(5));
    REQUIRE(second);
    CHECK_FALSE(second->redeemed_now);
    CHECK(second->card.redeemed_at == at);  // as the first till redeemed it
    CHECK(second->card.redeemed_by == "till-1");
    CHECK(store->find_sorry_card(code).value()->redeemed_by == "till-1");

    auto unknown = store->redeem_sorry_card("0000000000ZZ", "till-1", at);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::NotFound);
    CHECK(redemptions(database) == "1");

    // Counted once, on the store's own day: 21:00 UTC is already 1 December in Tehran.
    CHECK(counted_redemptions(database) == "1");
    CHECK(database.execute("SELECT local_date FROM rollup_answers WHERE answer = 'redeemed'") == "2026-11-30");
    REQUIRE(store->set_store("s-1", "Asia/Tehran", std::nullopt, core::now_utc()));
    CHECK(counted_redemptions(database) == "1");
    CHECK(database.execute("SELECT local_date FROM rollup_answers WHERE answer = 'redeemed'") == "2026-12-01");
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE answer = 'redeemed' AND tier = 'region_day' "
                           "AND period = '2026-12-01'") == "1");
    CHECK(database.execute("SELECT count(*) FROM rollup_tiers WHERE answer = 'redeemed' AND tier = 'region_day' "
                           "AND period = '2026-11-30' AND events <> 0") == "0");
}

TEST_CASE("tills racing on one code: exactly one redeems it, on both engines", "[hub][store][offers]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto first_hub = database.open();
    auto second_hub = database.open();  // a second hub on the same database
    hub_test::enrol(*first_hub, "k-1", "s-1");
    const core::Event card = sorry_card(key_of(*first_hub));
    const std::string code = card.data["code"];
    REQUIRE(first_hub->store_events({"k-1", "s-1", ""}, {hub_test::incoming(card)}, core::now_utc()));

    // No Catch2 assertions on these threads (Catch2 2.x is not thread-safe): they record, the test checks.
    constexpr int kTills = 8;
    std::vector<int> outcome(kTills, -1);  // 1 redeemed now, 0 refused, -1 an error
    std::atomic<int> ready{0};
    std::vector<std::thread> tills;
    for (int till = 0; till < kTills; ++till) {
        tills.emplace_back([&, till] {
            Store& hub = till % 2 == 0 ? *first_hub : *second_hub;
            ++ready;
            while (ready < kTills) std::this_thread::yield();
            auto redeemed = hub.redeem_sorry_card(code, "till-" + std::to_string(till), core::now_utc());
            if (redeemed) outcome[static_cast<std::size_t>(till)] = redeemed->redeemed_now ? 1 : 0;
        });
    }
    for (auto& till : tills) till.join();
    CHECK(std::count(outcome.begin(), outcome.end(), 1) == 1);
    CHECK(std::count(outcome.begin(), outcome.end(), 0) == kTills - 1);
    CHECK(redemptions(database) == "1");
    CHECK(counted_redemptions(database) == "1");
}

TEST_CASE("a till checks and redeems a sorry card over HTTP", "[hub][server][offers]") {
    hub_test::RunningHub hub;
    Store& store = hub.store();
    const std::string till_token = "till-token-s1";
    REQUIRE(store.add_pos({"till-1", "s-1", hash_token(till_token)}, core::now_utc()));
    REQUIRE(store.add_pos({"till-9", "s-2", hash_token("till-token-s2")}, core::now_utc()));
    const core::Event card = sorry_card(key_of(store));
    const std::string code = card.data["code"];
    // The card reaches the hub as kiosks send it.
    auto sent = hub.post_batch(hub_test::batch_body({card}));
    REQUIRE(sent);
    REQUIRE(sent->status == 200);

    const auto post = [&](const std::string& route, const std::string& body, const std::string& token = "till-token-s1",
                          const char* type = "application/json") {
        auto response = hub.client()->Post(route, {{"Authorization", "Bearer " + token}}, body, type);
        REQUIRE(response);
        INFO(response->body);
        auto json = nlohmann::json::parse(response->body, nullptr, false);
        return std::make_pair(response->status, json);
    };

    SECTION("checked, redeemed once, then refused with the time it was redeemed") {
        const auto [checked_status, checked] = post("/api/v1/offers/check", code_body(code));
        CHECK(checked_status == 200);
        CHECK(checked["redeemable"] == true);
        CHECK(checked["offer_text"] == "۲ به ۱ این هفته");
        CHECK(checked["sku"] == "sku-1");
        CHECK(redemptions(hub.database()) == "0");  // checking redeems nothing

        const auto [status, redeemed] = post("/api/v1/offers/redeem", code_body(typed_by_hand(code)));
        CHECK(status == 200);
        CHECK(redeemed["redeemed"] == true);
        CHECK(redeemed["code"] == code);
        CHECK(redeemed["redeemed_by"] == "till-1");
        const std::string redeemed_at = redeemed["redeemed_at"];

        const auto [again_status, again] = post("/api/v1/offers/redeem", code_body(code));
        CHECK(again_status == 409);
        CHECK(again["redeemed_at"] == redeemed_at);
        CHECK_THAT(again["error"].get<std::string>(), Catch::Contains("already redeemed") && Catch::Contains(redeemed_at));
        const auto [after_status, after] = post("/api/v1/offers/check", code_body(code));
        CHECK(after_status == 200);
        CHECK(after["redeemable"] == false);
        CHECK(redemptions(hub.database()) == "1");

        // Issued and redeemed reach the dashboard.
        auto summary = hub.client()->Get("/api/v1/dashboard/summary?period=30d", hub.admin_headers());
        REQUIRE(summary);
        const auto figures = nlohmann::json::parse(summary->body)["current"]["smot"];
        CHECK(figures["sorry_cards"] == 1);
        CHECK(figures["sorry_cards_redeemed"] == 1);
    }
    SECTION("a code the hub never issued, or one not made with the chain's key, is refused and nothing stored") {
        const auto [status, body] = post("/api/v1/offers/redeem", code_body("7K3M9X2PQ8RT"));
        CHECK(status == 404);
        CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("7K3M9X2PQ8RT"));
        core::Event forged = sorry_card(core::ReceiptKey::from_hex(std::string(64, '1')).value());
        REQUIRE(hub.post_batch(hub_test::batch_body({forged}, "batch-2"))->status == 200);
        CHECK(post("/api/v1/offers/redeem", code_body(forged.data["code"])).first == 404);
        CHECK(redemptions(hub.database()) == "0");
    }
    SECTION("a card made before the receipt key was rotated is still redeemed after, as is one made after") {
        const auto rotation = rotate_chain_receipt_key(store, core::now_utc(), std::chrono::seconds(0));
        REQUIRE(rotation);
        const core::Event newer = sorry_card(rotation->fresh);
        REQUIRE(hub.post_batch(hub_test::batch_body({newer}, "batch-2"))->status == 200);
        CHECK(post("/api/v1/offers/redeem", code_body(code)).first == 200);
        CHECK(post("/api/v1/offers/redeem", code_body(newer.data["code"])).first == 200);
        CHECK(redemptions(hub.database()) == "2");
    }
    SECTION("another store's till is refused, and the card stays redeemable at its own") {
        const auto [status, body] = post("/api/v1/offers/redeem", code_body(code), "till-token-s2");
        CHECK(status == 403);
        CHECK_THAT(body["error"].get<std::string>(), Catch::Contains("s-1") && Catch::Contains("s-2"));
        CHECK(post("/api/v1/offers/redeem", code_body(code)).first == 200);
    }
    SECTION("bad requests are a clear 4xx and store nothing") {
        CHECK(post("/api/v1/offers/redeem", code_body("12345")).first == 400);
        CHECK(post("/api/v1/offers/redeem", code_body(code.substr(0, 11) + "U")).first == 400);
        CHECK(post("/api/v1/offers/redeem", R"({"card": "x"})").first == 400);
        CHECK(post("/api/v1/offers/redeem", "not json").first == 400);
        CHECK(post("/api/v1/offers/redeem", code_body(code), hub.kiosk().token).first == 401);  // a kiosk is no till
        CHECK(post("/api/v1/offers/redeem", code_body(code), "unknown").first == 401);
        CHECK(post("/api/v1/offers/redeem", code_body(code), till_token, "text/plain").first == 415);
        REQUIRE(store.revoke_pos("till-1", core::now_utc()));
        CHECK(post("/api/v1/offers/redeem", code_body(code)).first == 401);
        CHECK(redemptions(hub.database()) == "0");
    }
}

TEST_CASE("two hub processes on one PostgreSQL: tills racing on one code, one succeeds", "[hub][postgresql][cluster][offers]") {
    TestDatabase database(hub_test::kPostgresql);
    const auto cli = [&](const std::vector<std::string>& arguments) {
        auto ran = hub_test::run_hub_cli(arguments, database.url());
        INFO(ran.err);
        REQUIRE(ran.exit_code == 0);
        return hub_test::split_lines(ran.out).back();
    };
    const std::string kiosk_token = cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"});
    const std::string till_token = cli({"pos", "add", "--pos", "till-1", "--store", "s-1"});
    hub_test::ServeProcess first(database.url());
    hub_test::ServeProcess second(database.url());
    const int ports[2] = {first.wait_for_port(), second.wait_for_port()};
    const core::Event card = sorry_card(key_of(*database.open()));  // the key the hubs made at start
    {
        httplib::Client client("127.0.0.1", ports[0]);
        auto sent = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + kiosk_token}},
                                hub_test::batch_body({card}), "application/json");
        REQUIRE(sent);
        REQUIRE(sent->status == 200);
    }

    constexpr int kTills = 8;
    std::vector<int> status(kTills, 0);
    std::atomic<int> ready{0};
    std::vector<std::thread> tills;
    for (int till = 0; till < kTills; ++till) {
        tills.emplace_back([&, till] {
            httplib::Client client("127.0.0.1", ports[till % 2]);
            client.set_read_timeout(20);
            ++ready;
            while (ready < kTills) std::this_thread::yield();
            auto answer = client.Post("/api/v1/offers/redeem", {{"Authorization", "Bearer " + till_token}},
                                      code_body(card.data["code"]), "application/json");
            if (answer) status[static_cast<std::size_t>(till)] = answer->status;
        });
    }
    for (auto& till : tills) till.join();
    CHECK(std::count(status.begin(), status.end(), 200) == 1);
    CHECK(std::count(status.begin(), status.end(), 409) == kTills - 1);
    CHECK(redemptions(database) == "1");
    CHECK(counted_redemptions(database) == "1");
    CHECK(first.stop(SIGTERM).first == 0);
    CHECK(second.stop(SIGTERM).first == 0);
}
