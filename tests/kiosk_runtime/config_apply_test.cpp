// apply_config_pull: what the kiosk does with each outcome of a configuration pull — stored then posted,
// or the last good configuration kept with the reason logged.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/kiosk_runtime/config_apply.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;
using Outcome = sync::ConfigPull::Outcome;

namespace {

std::string document(const std::string& jam_name) {
    return nlohmann::json{
        {"format", 1},
        {"catalog", {{"products", {{{"sku", "5905471003701"}, {"names", {{"en", jam_name}}}}}}}},
        {"questions", {{"drivers", {"price"}}, {"why_not", {"comparing"}}}},
    }.dump();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Fixture {
    Fixture() {
        config.path = dir.file("kiosk.toml");
        config.db_path = dir.file("kiosk.db");
        config.catalog_path = dir.file("catalog/catalog.json");
        std::filesystem::create_directories(dir.path() / "catalog" / "images");
    }
    bool apply(Outcome outcome, std::string body = {}, std::string etag = {}) {
        sync::ConfigPull pull;
        pull.outcome = outcome;
        pull.document = std::move(body);
        pull.etag = std::move(etag);
        pull.error = outcome == Outcome::Failed ? "the hub did not answer" : "";
        return kiosk_runtime::apply_config_pull(pull, config, inbox, [this](const std::string& line) { log.push_back(line); });
    }
    TempDir dir;
    app::KioskConfig config;
    app::ShelfInbox inbox;
    std::vector<std::string> log;
};

}  // namespace

TEST_CASE("a new configuration is stored beside the ledger, then handed to the session", "[kiosk_runtime][config]") {
    Fixture kiosk;
    REQUIRE(kiosk.apply(Outcome::Updated, document("Strawberry Jam"), "\"v1\""));
    const auto posted = kiosk.inbox.take_latest();
    REQUIRE(posted);
    REQUIRE(posted->products.size() == 1);
    CHECK(posted->products[0].name("en") == "Strawberry Jam");
    CHECK(posted->etag == "\"v1\"");
    // Stored first: a kiosk restarted now starts with it.
    const auto saved = app::load_hub_config(app::hub_config_path(kiosk.config), app::hub_config_images_dir(kiosk.config));
    REQUIRE(saved);
    REQUIRE(saved.value());
    CHECK(saved.value()->etag == "\"v1\"");
    CHECK(kiosk.log.empty());
}

TEST_CASE("a configuration that cannot be used leaves the last good one, and says why", "[kiosk_runtime][config]") {
    Fixture kiosk;
    REQUIRE(kiosk.apply(Outcome::Updated, document("Strawberry Jam"), "\"v1\""));
    kiosk.inbox.take_latest();
    const std::string path = app::hub_config_path(kiosk.config);
    const std::string good = read_file(path);

    SECTION("a document that does not decode") {
        CHECK_FALSE(kiosk.apply(Outcome::Updated, R"({"format": 1, "catalog": {"products": "none"}})", "\"v2\""));
        CHECK_FALSE(kiosk.inbox.take_latest());
        CHECK(read_file(path) == good);
        REQUIRE(kiosk.log.size() == 1);
        CHECK(kiosk.log[0].rfind("kept the last good configuration: ", 0) == 0);
    }
    SECTION("a failed pull: nothing to store, the poller retries sooner; the uploader reports the error") {
        CHECK_FALSE(kiosk.apply(Outcome::Failed));
        CHECK_FALSE(kiosk.inbox.take_latest());
        CHECK(read_file(path) == good);
        CHECK(kiosk.log.empty());
    }
    SECTION("unchanged, or no document at the hub: nothing to do") {
        CHECK(kiosk.apply(Outcome::Unchanged, {}, "\"v1\""));
        CHECK(kiosk.apply(Outcome::NotConfigured));
        CHECK_FALSE(kiosk.inbox.take_latest());
        CHECK(read_file(path) == good);
    }
}

TEST_CASE("the store's alerts in a pulled document reach the session's inbox and the saved copy", "[kiosk_runtime][config][alerts]") {
    Fixture kiosk;
    auto served = nlohmann::json::parse(document("Strawberry Jam"));
    served["alerts"] = {{{"id", "018f0000-0000-7000-8000-000000000001"},
                         {"rule", "kiosk_backlog"},
                         {"state", "acknowledged"},
                         {"kiosk", "k-7"},
                         {"summary", "kiosk k-7: 40 events pending, growing over 3 heartbeats"},
                         {"opened_at", "2026-03-02T10:00:00.000Z"},
                         {"last_fired_at", "2026-03-02T10:05:00.000Z"},
                         {"times_fired", 2}}};
    REQUIRE(kiosk.apply(Outcome::Updated, served.dump(), "\"v5\""));
    const auto posted = kiosk.inbox.take_latest();
    REQUIRE(posted);
    REQUIRE(posted->alerts.size() == 1);
    CHECK(posted->alerts[0].rule == "kiosk_backlog");
    CHECK(posted->alerts[0].kiosk_id == "k-7");
    CHECK(posted->alerts[0].state == "acknowledged");
    CHECK(kiosk.log.empty());  // a field this kiosk knows: nothing skipped
    const auto saved = app::load_hub_config(app::hub_config_path(kiosk.config), app::hub_config_images_dir(kiosk.config));
    REQUIRE(saved);
    REQUIRE(saved.value());
    REQUIRE(saved.value()->alerts.size() == 1);
    CHECK(saved.value()->alerts[0].times_fired == 2);
}

TEST_CASE("a newer hub's document is used without the fields this kiosk does not know, and the log says so",
          "[kiosk_runtime][config]") {
    Fixture kiosk;
    auto newer = nlohmann::json::parse(document("Strawberry Jam"));
    newer["opening_hours"] = {{"mon", "08:00-20:00"}};
    newer["banners"] = nlohmann::json::array();
    REQUIRE(kiosk.apply(Outcome::Updated, newer.dump(), "\"v3\""));
    const auto posted = kiosk.inbox.take_latest();
    REQUIRE(posted);
    CHECK(posted->products[0].name("en") == "Strawberry Jam");
    REQUIRE(kiosk.log.size() == 1);
    CHECK(kiosk.log[0] == "the hub's configuration has fields this kiosk does not know (banners, opening_hours): "
                         "used without them; upgrade the kiosk to use them");
    // The saved copy reads back at the next start the same way.
    const auto saved = app::load_hub_config(app::hub_config_path(kiosk.config), app::hub_config_images_dir(kiosk.config));
    REQUIRE(saved);
    REQUIRE(saved.value());
    CHECK(saved.value()->skipped_fields == std::vector<std::string>{"banners", "opening_hours"});

    SECTION("inside a known field the kiosk is as strict as the hub") {
        auto typo = nlohmann::json::parse(document("Strawberry Jam"));
        typo["questions"]["drivers_v2"] = nlohmann::json::array();
        CHECK_FALSE(kiosk.apply(Outcome::Updated, typo.dump(), "\"v4\""));
        CHECK(kiosk.log.back().find("questions: unknown field \"drivers_v2\"") != std::string::npos);
    }
    SECTION("the hub itself still refuses an unknown field: an operator's typo does not pass") {
        const auto refused = core::decode_config_document(newer.dump());
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("unknown field") != std::string::npos);
    }
}
