// A receipt code typed at the kiosk never rests anywhere in clear: not in the kiosk's database file, not
// in its -wal file, not in the kiosk's log, not in the hub's database (nor its -wal). The whole path is real: the hub hands out its
// receipt key with the configuration, the kiosk pulls and saves it, a shopper types the code on the keypad
// through KioskSession (the recorder's thread commits to SQLite), the uploader delivers, and a till's
// receipt with the same keyed hash makes the answers a verified purchase.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "hub_fixture.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/kiosk_session.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/sync/config_pull.hpp"
#include "truthpoint/sync/uploader.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;

namespace {

// The code as printed on the receipt, and as it would appear in a file in clear: digits, and the same
// digits as UTF-16 (a file could hold either).
const std::string kReceiptCode = "739184265031";

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool holds_code(const std::string& path) {
    const std::string bytes = file_bytes(path);
    std::string utf16;
    for (const char c : kReceiptCode) utf16 += std::string{c, '\0'};
    return bytes.find(kReceiptCode) != std::string::npos || bytes.find(utf16) != std::string::npos;
}

}  // namespace

TEST_CASE("a receipt code typed at the kiosk is in no database file, only its keyed hash", "[sync][receipt][privacy]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto key = hub::chain_receipt_key(hub.store(), core::now_utc());
    REQUIRE(key);
    auto prepared = hub::prepare_config(R"({"format": 1,
        "catalog": {"products": [{"sku": "5206142000310", "names": {"en": "Honey"}},
                                 {"sku": "5905471003701", "names": {"en": "Jam"}}]},
        "questions": {"drivers": ["price"], "why_not": ["price"]},
        "offers": [{"sku": "5905471003701", "text": "A free jar next time", "locale": "en"}]})");
    REQUIRE(prepared);
    REQUIRE(hub.store().put_config(hub::kChainWideScope, prepared->canonical, prepared->etag, core::now_utc()));

    // The kiosk pulls its configuration, with the key, and saves it beside its ledger.
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.kiosk_id = "k-sync";
    config.store_id = "s-1";
    config.db_path = dir.file("kiosk.db");
    config.catalog_path = dir.file("no-local-catalog.json");
    config.receipt_pattern = "[0-9]{12}";
    sync::HubClient client(hub.endpoint());
    const auto pull = sync::pull_config(client, "");
    REQUIRE(pull.outcome == sync::ConfigPull::Outcome::Updated);
    REQUIRE(app::save_hub_config(app::hub_config_path(config), pull.document, pull.etag,
                                 app::hub_config_images_dir(config)));
    auto shelf = app::choose_shelf(config);
    REQUIRE(shelf);
    REQUIRE(shelf.value().hub);
    REQUIRE(shelf.value().hub->receipt_key);
    CHECK(shelf.value().hub->receipt_key->hex() == key->hex());

    core::Timestamp now = core::now_utc();
    std::vector<std::string> kiosk_log;
    {
        app::KioskSessionOptions options;
        options.log = [&](const std::string& line) { kiosk_log.push_back(line); };
        app::KioskSession session(config, shelf.value(), {}, options);
        app::PostPurchaseFlow& flow = session.post_purchase();
        session.start_post_purchase(now);
        REQUIRE(flow.step() == app::PostPurchaseStep::Receipt);
        for (const char digit : kReceiptCode) flow.press_digit(digit, now += 300ms);
        flow.receipt_done(now += 500ms);
        flow.pick_product("5905471003701", now += 1s);
        flow.rate(2, now += 1s);
        flow.choose_expectations(app::Expectations::Below, now += 1s);
        flow.choose_recommend(3, now += 1s);
        flow.toggle_pain("freshness", now += 1s);
        flow.topics_done(now += 1s);
        flow.edit_comment("The jar was open; my receipt is " + kReceiptCode, now += 5s);  // typed in a comment too
        flow.comment_done(now += 1s);
        flow.choose_consent(true, now += 1s);
        for (int i = 0; i < 500 && flow.step() != app::PostPurchaseStep::Sorry; ++i) {
            session.poll(now);
            std::this_thread::sleep_for(10ms);
        }
        REQUIRE(flow.step() == app::PostPurchaseStep::Sorry);
        session.poll(now += 31s);
        CHECK_FALSE(flow.active());
    }  // the recorder commits everything and stops

    auto ledger = app::Ledger::open(config.db_path).value();
    const auto report = sync::push_pending(ledger, client);
    REQUIRE(report.ok());
    CHECK(report.delivered >= 10);
    CHECK(ledger.status()->pending == 0);

    // A till reports the same receipt, hashed with the key `truthpoint-hub receipt-key show` prints.
    const hub::Receipt receipt{core::receipt_hash(key.value(), kReceiptCode), core::now_utc(), {"5905471003701"}};
    const auto stored = hub.store().store_receipts("s-1", {receipt}, core::now_utc());
    REQUIRE(stored);
    CHECK(stored->verified_events >= 6);  // rating, expectations, recommend, topics, comment, consent, review

    std::size_t answers = 0;
    REQUIRE(hub.store().for_each_event({}, [&](const hub::StoredEvent& event) {
        const auto type = core::parse_event_type(event.type);
        if (type && core::may_carry_receipt_hash(*type)) {
            ++answers;
            CHECK(event.verified_purchase);
        }
        CHECK(event.data.find(kReceiptCode) == std::string::npos);
        return true;
    }));
    CHECK(answers >= 6);

    const std::vector<std::string> files{config.db_path, config.db_path + "-wal", dir.file("hub.db"),
                                         dir.file("hub.db") + "-wal", app::hub_config_path(config)};
    bool some_wal = false;
    for (const std::string& path : files) {
        INFO(path);
        if (!std::filesystem::exists(path)) continue;
        some_wal = some_wal || (path.ends_with("-wal") && std::filesystem::file_size(path) > 0);
        CHECK_FALSE(holds_code(path));
    }
    CHECK(some_wal);
    for (const std::string& line : kiosk_log) CHECK(line.find(kReceiptCode) == std::string::npos);  // the WAL files were there to search (the test would be empty otherwise)
    // The search itself finds what is there: the keyed hash is in the kiosk's database.
    CHECK((file_bytes(config.db_path) + file_bytes(config.db_path + "-wal"))
              .find(core::receipt_hash(key.value(), kReceiptCode)) != std::string::npos);
}
