// `simulate` writes exactly N valid events, through the flow, into the ledger.
#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "truthpoint/app/simulate.hpp"
#include "truthpoint/core/wire.hpp"

#include <set>

using namespace truthpoint;
using truthpoint::testing::TempDir;

TEST_CASE("simulate writes exactly N valid events", "[simulate]") {
    TempDir dir;
    app::KioskConfig config;
    config.languages = {"en", "fa"};
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    const std::vector<app::Product> shelf{{"8710398500103", {{"en", "Granola"}}, ""},
                                          {"5000159407236", {{"en", "Chocolate"}}, ""}};
    app::simulate_shoppers(config, shelf, ledger, {.events = 257, .seed = 7, .post_purchase = {}});
    CHECK(ledger.status()->pending == 257);

    std::map<std::string, int> by_type;
    core::sqlite::Connection db(dir.file("kiosk.db"));
    auto query = db.prepare("SELECT type, count(*) FROM events GROUP BY type");
    while (query.step()) by_type[query.column_text(0)] = static_cast<int>(query.column_int(1));
    // Shoppers back after a purchase take a share of the events now (about 9 events a session).
    CHECK(by_type["session.start"] > 40);
    CHECK(by_type["fmot.reaction"] > 25);
    CHECK(by_type["smot.feedback"] > 3);
    CHECK(by_type["staff.shelf"] > 0);
    CHECK(by_type["fmot.driver"] > 10);
    CHECK(by_type["fmot.intent"] > 20);
    CHECK(by_type["session.end"] >= by_type["fmot.reaction"]);
}

TEST_CASE("simulate writes post-purchase sessions too, valid and in every language", "[simulate][post_purchase]") {
    TempDir dir;
    app::KioskConfig config;
    config.languages = {"en", "fa", "ar", "el", "tr"};
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    const std::vector<app::Product> shelf{{"5206142000310", {{"en", "Honey"}}, ""}, {"5905471003701", {{"en", "Jam"}}, ""}};
    app::SimulationOptions options{.events = 3000, .seed = 11, .post_purchase = {}};
    options.post_purchase.receipt_key = core::ReceiptKey::generate().value();
    options.post_purchase.offers = {{"5905471003701", "A free jar next time", "en"}};
    app::simulate_shoppers(config, shelf, ledger, options);
    CHECK(ledger.status()->pending == 3000);

    std::map<std::string, int> by_type;
    std::set<std::string> comment_locales;
    std::set<long long> scores;
    int with_receipt = 0;
    int offers = 0;
    const auto pending_events = ledger.next_batch(5000, 1 << 28);
    REQUIRE(pending_events);
    for (const auto& pending : pending_events.value()) {
        const auto event = core::decode_event_text(pending.payload);
        REQUIRE(event);  // decoding validates: every simulated event keeps the contract
        ++by_type[std::string(core::to_string(event.value().type))];
        const auto& data = event.value().data;
        if (event.value().type == core::EventType::SmotComment) comment_locales.insert(event.value().locale);
        if (event.value().type == core::EventType::SmotRecommend) scores.insert(data["score"].get<long long>());
        if (event.value().type == core::EventType::SmotFeedback && data.contains("receipt_hash")) ++with_receipt;
        if (event.value().type == core::EventType::SorryCard && data["offer"] == true) ++offers;
    }
    CHECK(by_type["smot.feedback"] > 50);
    CHECK(by_type["smot.recommend"] > 30);
    CHECK(by_type["smot.topics"] > 30);
    CHECK(by_type["pain.reported"] > 10);
    CHECK(by_type["umot.consent"] > 30);
    CHECK(by_type["umot.review"] > 10);
    CHECK(by_type["sorry.card"] > 10);
    CHECK(by_type["fmot.reaction"] > 100);
    CHECK(offers > 0);
    CHECK(with_receipt > 20);
    CHECK(scores.size() >= 8);
    CHECK(comment_locales == std::set<std::string>{"ar", "el", "en", "fa", "tr"});
}
