// The kiosk's subcommands as functions: `sync` against a real hub on loopback (and a hub that is away),
// `status`, and `set-pin`, which refuses a bad PIN and keeps the rest of the configuration file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "hub_fixture.hpp"
#include "support/sample_events.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/kiosk_runtime/commands.hpp"

using namespace truthpoint;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;

namespace {

void append_reactions(const std::string& db_path, int count) {
    auto ledger = app::Ledger::open(db_path).value();
    core::UuidV7Generator ids;
    for (int i = 0; i < count; ++i) REQUIRE(ledger.append(truthpoint::testing::sample_reaction(ids, "unhappy")));
}

// A kiosk's configuration in `dir` with its ledger at `ledger` there, and no hub at the address.
app::KioskConfig offline_config(const TempDir& dir, const std::string& ledger) {
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.db_path = dir.file(ledger);
    config.hub_url = "http://127.0.0.1:9";
    return config;
}

}  // namespace

TEST_CASE("sync delivers everything or says why and keeps the events", "[kiosk_runtime][commands]") {
    TempDir dir;
    LoopbackHub hub(dir);  // k-sync in s-1
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.kiosk_id = "k-sync";
    config.store_id = "s-1";
    config.db_path = dir.file("kiosk.db");
    config.hub_url = hub.endpoint().url;
    config.hub_token = hub.endpoint().token;
    append_reactions(config.db_path, 3);
    std::ostringstream out, err;

    SECTION("the hub answers") {
        CHECK(kiosk_runtime::sync_command(config, out, err) == 0);
        CHECK(out.str() == "delivered 3 events in 1 batches (0 already at the hub, 0 quarantined); 0 pending\n");
        CHECK(hub.stored_events() == 3);
        std::ostringstream status;
        CHECK(kiosk_runtime::status_command(config, true, status, err) == 0);
        CHECK(nlohmann::json::parse(status.str())["pending"] == 0);
    }
    SECTION("the hub is away") {
        hub.stop();
        CHECK(kiosk_runtime::sync_command(config, out, err) == 1);
        CHECK(err.str().find("sync failed: ") != std::string::npos);
        CHECK(err.str().find("3 events stay pending and will be sent at the next sync.") != std::string::npos);
        std::ostringstream status;
        CHECK(kiosk_runtime::status_command(config, true, status, err) == 1);  // the last sync failed
        CHECK(nlohmann::json::parse(status.str())["pending"] == 3);
    }
}

TEST_CASE("sync and status on a ledger that cannot be opened say so and exit 1",
          "[kiosk_runtime][commands]") {
    TempDir dir;
    app::KioskConfig config = offline_config(dir, "no-such-folder/kiosk.db");
    std::ostringstream out, err;
    SECTION("sync") { CHECK(kiosk_runtime::sync_command(config, out, err) == 1); }
    SECTION("status") { CHECK(kiosk_runtime::status_command(config, false, out, err) == 1); }
    CHECK(out.str().empty());
    CHECK_THAT(err.str(), Catch::StartsWith("truthpoint-kiosk: there is no ledger at") &&
                              Catch::Contains("no-such-folder/kiosk.db ([kiosk] db)"));
    CHECK_FALSE(std::filesystem::exists(dir.file("no-such-folder/kiosk.db")));
}

TEST_CASE("status and sync never make a ledger: a mistyped db path is named", "[kiosk_runtime][commands]") {
    TempDir dir;
    app::KioskConfig config = offline_config(dir, "kiosk.bd");
    std::ostringstream out, err;
    CHECK(kiosk_runtime::status_command(config, false, out, err) == 1);
    CHECK(kiosk_runtime::sync_command(config, out, err) == 1);
    CHECK_THAT(err.str(), Catch::Contains("there is no ledger at " + config.db_path));
    CHECK_FALSE(std::filesystem::exists(config.db_path));
}

TEST_CASE("status exits 0 when all is well and 1 when something needs attention", "[kiosk_runtime][commands]") {
    TempDir dir;
    app::KioskConfig config = offline_config(dir, "kiosk.db");
    config.backlog_warning = 100;
    auto ledger = app::Ledger::open(config.db_path);
    REQUIRE(ledger);
    std::ostringstream out, err;
    CHECK(kiosk_runtime::status_command(config, true, out, err) == 0);
    CHECK_THAT(out.str(), Catch::Contains("\"needs_attention\": false"));

    SECTION("the last sync failed") {
        REQUIRE(ledger->record_failure("the hub refused the token (401)", core::now_utc()));
        std::ostringstream text;
        CHECK(kiosk_runtime::status_command(config, false, text, err) == 1);
        CHECK_THAT(text.str(), Catch::Contains("last error:  the hub refused the token (401)"));
    }
    SECTION("a backlog past [kiosk] backlog_warning") {
        core::UuidV7Generator ids;
        for (int i = 0; i < 100; ++i) REQUIRE(ledger->append(testing::sample_reaction(ids)));
        std::ostringstream json;
        CHECK(kiosk_runtime::status_command(config, true, json, err) == 1);
        CHECK_THAT(json.str(), Catch::Contains("\"needs_attention\": true") && Catch::Contains("events wait for the hub"));
    }
}

TEST_CASE("run's check of the ledger: one that cannot take a write is refused before a window opens",
          "[kiosk_runtime][commands]") {
    TempDir dir;
    app::KioskConfig config = offline_config(dir, "kiosk.db");
    CHECK(kiosk_runtime::prove_ledger_writable(config));  // and makes the ledger on a first start

    SECTION("its directory is missing") {
        config.db_path = dir.file("missing/kiosk.db");
        const auto refused = kiosk_runtime::prove_ledger_writable(config);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message,
                   Catch::Contains("the ledger " + config.db_path + " ([kiosk] db in " + config.path + ") cannot be written") &&
                       Catch::Contains("shoppers' answers could not be saved"));
    }
    SECTION("the path is a directory, or the file is read-only for the kiosk's user") {
        if (geteuid() == 0) {
            config.db_path = dir.path().string();  // root writes through file modes
        } else {
            std::filesystem::permissions(config.db_path, std::filesystem::perms::owner_read);
        }
        const auto refused = kiosk_runtime::prove_ledger_writable(config);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message, Catch::Contains("the ledger " + config.db_path) &&
                                                Catch::Contains("cannot be written"));
    }
}

TEST_CASE("set-pin refuses a bad or mistyped PIN and changes nothing", "[kiosk_runtime][commands]") {
    TempDir dir;
    const std::string path = dir.file("kiosk.toml");
    std::ofstream(path) << "[kiosk]\nid = \"k-1\"\n";
    std::ostringstream out, err;
    CHECK(kiosk_runtime::set_pin_command(path, "12", "12", out, err) == 2);
    CHECK(kiosk_runtime::set_pin_command(path, "2468", "2469", out, err) == 2);
    CHECK(err.str().find("the two PINs differ; the PIN was not changed") != std::string::npos);
    CHECK(kiosk_runtime::set_pin_command(path, "1234", "1234", out, err) == 2);
    CHECK(err.str().find("must not be a straight run of digits (like 1234 or 9876)") != std::string::npos);
    CHECK(kiosk_runtime::set_pin_command(path, "5555", "5555", out, err) == 2);
    CHECK(err.str().find("must not be one digit repeated") != std::string::npos);
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    CHECK(text.str() == "[kiosk]\nid = \"k-1\"\n");
    CHECK(kiosk_runtime::set_pin_command(path, "2468", "2468", out, err) == 0);
    std::stringstream changed;
    changed << std::ifstream(path).rdbuf();
    CHECK(changed.str().find("pin_hash = \"$argon2id$") != std::string::npos);
    CHECK(changed.str().rfind("[kiosk]\nid = \"k-1\"\n", 0) == 0);
}
