// The kiosk runtime against a real hub on loopback: the uploader delivers the ledger's events, the hub's
// configuration reaches the session's mailbox, and staff mode's view of the uploader arrives off the
// caller's thread with a wake-up.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "hub_fixture.hpp"
#include "support/eventually.hpp"
#include "support/sample_events.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;
using truthpoint::testing::eventually;


TEST_CASE("the runtime delivers, brings the hub's shelf, and shows staff the uploader", "[kiosk_runtime]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const nlohmann::json document{
        {"format", 1},
        {"catalog", {{"products", {{{"sku", "5905471003701"}, {"names", {{"en", "Strawberry Jam"}}}}}}}},
        {"questions", {{"drivers", {"price"}}, {"why_not", {"comparing"}}}},
    };
    auto prepared = hub::prepare_config(document.dump());
    REQUIRE(prepared);
    REQUIRE(hub.store().put_config(hub::kChainWideScope, prepared->canonical, prepared->etag, core::now_utc()));

    std::filesystem::create_directories(dir.path() / "catalog" / "images");
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.kiosk_id = "k-sync";
    config.store_id = "s-1";
    config.db_path = dir.file("kiosk.db");
    config.catalog_path = dir.file("catalog/catalog.json");
    config.hub_url = hub.endpoint().url;
    config.hub_token = hub.endpoint().token;
    {
        auto ledger = app::Ledger::open(config.db_path).value();
        core::UuidV7Generator ids;
        for (int i = 0; i < 3; ++i) REQUIRE(ledger.append(truthpoint::testing::sample_reaction(ids)));
    }

    kiosk_runtime::KioskRuntime runtime(config, "test");
    app::KioskServices services = runtime.services();
    REQUIRE(services.sync);
    REQUIRE(services.shelf_updates);
    std::atomic<int> wakes{0};
    services.sync->set_wake([&] { ++wakes; });

    // The first push at start delivers the backlog; a heartbeat goes with it.
    CHECK(eventually([&] { return hub.stored_events() >= 4; }));
    // Then the configuration pull: stored beside the ledger and posted for the session.
    std::optional<app::HubConfig> shelf;
    CHECK(eventually([&] { return (shelf = services.shelf_updates->take_latest()).has_value(); }));
    REQUIRE(shelf);
    CHECK(shelf->products.at(0).name("en") == "Strawberry Jam");
    CHECK(std::filesystem::exists(app::hub_config_path(config)));

    // Staff mode's view: asked for, put together off this thread, announced by the wake-up.
    services.sync->request_view();
    std::optional<app::SyncView> view;
    CHECK(eventually([&] { return (view = services.sync->take_view()).has_value(); }));
    REQUIRE(view);
    CHECK(wakes.load() >= 1);
    CHECK(view->pending == 0);
    CHECK(view->last_success.has_value());
    CHECK(view->last_error.empty());
}

TEST_CASE("staff mode's view says what is wrong when the hub refuses the kiosk", "[kiosk_runtime]") {
    TempDir dir;
    LoopbackHub hub(dir);
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.db_path = dir.file("kiosk.db");
    config.catalog_path = dir.file("catalog.json");
    config.hub_url = hub.endpoint().url;
    config.hub_token = "not-a-token";
    {
        auto ledger = app::Ledger::open(config.db_path).value();
        core::UuidV7Generator ids;
        REQUIRE(ledger.append(truthpoint::testing::sample_reaction(ids)));
    }
    kiosk_runtime::KioskRuntime runtime(config, "test");
    app::SyncControl& control = *runtime.services().sync;
    std::optional<app::SyncView> view;
    CHECK(eventually([&] {
        control.request_view();
        std::this_thread::sleep_for(50ms);
        view = control.take_view();
        return view && !view->last_error.empty();
    }));
    REQUIRE(view);
    CHECK(view->pending >= 1);  // nothing is lost: the events wait
    CHECK(hub.stored_events() == 0);
}
