// The config pull against a real hub on loopback: first pull saves the document and its ETag, a second
// gets 304 and leaves the file alone, a change arrives, a hub away or a bad document never replaces the
// last good copy, and a corrupt local copy is reported and the local catalog used instead.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "hub_fixture.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/sync/background_sync.hpp"
#include "truthpoint/sync/config_pull.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;
using Outcome = sync::ConfigPull::Outcome;

namespace {

nlohmann::json document_named(const std::string& honey_name) {
    return {
        {"format", 1},
        {"catalog",
         {{"products",
           {{{"sku", "5206142000310"}, {"names", {{"en", honey_name}, {"fa", "عسل"}}}, {"image", "honey.png"}},
            {{"sku", "5905471003701"}, {"names", {{"en", "Strawberry Jam"}}}, {"image", "not-here.png"}}}}}},
        {"questions", {{"drivers", {"price", "habit"}}, {"why_not", {"comparing"}}}},
        {"reviews", {{{"sku", "5905471003701"}, {"text", "Not too sweet"}, {"rating", 4}, {"locale", "en"}}}},
        {"offers", {{{"sku", "5206142000310"}, {"text", "2 for 1 this week"}, {"locale", "en"}}}},
    };
}

// Sets the chain-wide document at the hub the way `truthpoint-hub config set --all` does.
void set_hub_config(LoopbackHub& hub, const nlohmann::json& document) {
    auto prepared = hub::prepare_config(document.dump());
    REQUIRE(prepared);
    REQUIRE(hub.store().put_config(hub::kChainWideScope, prepared->canonical, prepared->etag, core::now_utc()));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

constexpr char kPngHead[] = "\x89PNG\r\n\x1a\n and not much of a picture";

// A kiosk config with a one-product local catalog beside an images directory holding honey.png.
app::KioskConfig kiosk_config(const TempDir& dir) {
    std::filesystem::create_directories(dir.path() / "catalog" / "images");
    write_file(dir.file("catalog/images/honey.png"), kPngHead);
    write_file(dir.file("catalog/catalog.json"),
               R"({"products": [{"sku": "4006381333931", "names": {"en": "Local pen"}}]})");
    app::KioskConfig config;
    config.path = dir.file("kiosk.toml");
    config.db_path = dir.file("kiosk.db");
    config.catalog_path = dir.file("catalog/catalog.json");
    return config;
}

template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = 10s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

}  // namespace

TEST_CASE("the kiosk pulls its configuration with the ETag and keeps the last good one", "[sync][config]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const app::KioskConfig config = kiosk_config(dir);
    const std::string path = app::hub_config_path(config);
    const std::string images = app::hub_config_images_dir(config);
    CHECK(path == dir.file("kiosk.db.hub-config.json"));
    sync::HubClient client(hub.endpoint());

    SECTION("no document at the hub yet: not configured, and the local catalog is used") {
        const auto pull = sync::pull_config(client, "");
        CHECK(pull.outcome == Outcome::NotConfigured);
        CHECK_THAT(pull.error, Catch::Contains("config set"));
        const auto shelf = app::choose_shelf(config);
        REQUIRE(shelf);
        CHECK_FALSE(shelf.value().hub.has_value());
        CHECK(shelf.value().warning.empty());
        REQUIRE(shelf.value().products.size() == 1);
        CHECK(shelf.value().products[0].sku == "4006381333931");
    }

    set_hub_config(hub, document_named("Honey v1"));
    const auto first = sync::pull_config(client, "");
    REQUIRE(first.outcome == Outcome::Updated);
    CHECK_THAT(first.etag, Catch::StartsWith("\"sha256-"));
    const auto saved = app::save_hub_config(path, first.document, first.etag, images);
    REQUIRE(saved);
    {
        const auto loaded = app::load_hub_config(path, images);
        REQUIRE(loaded);
        REQUIRE(loaded.value().has_value());
        const app::HubConfig& copy = *loaded.value();
        CHECK(copy.etag == first.etag);
        REQUIRE(copy.products.size() == 2);
        CHECK(copy.products[0].name("en") == "Honey v1");
        CHECK(copy.products[0].image_path == (dir.path() / "catalog" / "images" / "honey.png").string());
        CHECK(copy.products[1].image_path.empty());  // not in the local images directory: no picture
        CHECK(copy.missing_images == std::vector<std::string>{"not-here.png"});
        CHECK(copy.drivers == std::vector<app::Driver>{app::Driver::Price, app::Driver::Habit});
        CHECK(copy.why_not == std::vector<app::WhyNot>{app::WhyNot::Comparing});
        REQUIRE(copy.reviews.size() == 1);
        CHECK(copy.reviews[0].rating == 4);
        REQUIRE(copy.offers.size() == 1);
        CHECK(copy.offers[0].text == "2 for 1 this week");
    }
    const std::string first_file = read_file(path);
    const auto first_time = std::filesystem::last_write_time(path);

    SECTION("the shelf comes from the hub's copy, narrowed by [kiosk] products") {
        auto narrowed = config;
        narrowed.shelf_skus = {"5905471003701"};
        const auto shelf = app::choose_shelf(narrowed);
        REQUIRE(shelf);
        REQUIRE(shelf.value().hub.has_value());
        REQUIRE(shelf.value().products.size() == 1);
        CHECK(shelf.value().products[0].name("en") == "Strawberry Jam");

        narrowed.shelf_skus = {"4006381333931"};  // only in the local catalog
        const auto fallback = app::choose_shelf(narrowed);
        REQUIRE(fallback);
        CHECK_FALSE(fallback.value().hub.has_value());
        CHECK_THAT(fallback.value().warning, Catch::Contains("not in the hub's catalog"));
        CHECK(fallback.value().products[0].sku == "4006381333931");
    }

    SECTION("a second pull gets 304 and the file is untouched") {
        const auto second = sync::pull_config(client, first.etag);
        CHECK(second.outcome == Outcome::Unchanged);
        CHECK(second.etag == first.etag);
        CHECK(read_file(path) == first_file);
        CHECK(std::filesystem::last_write_time(path) == first_time);
    }

    SECTION("a change at the hub arrives as a new document") {
        set_hub_config(hub, document_named("Honey v2"));
        const auto second = sync::pull_config(client, first.etag);
        REQUIRE(second.outcome == Outcome::Updated);
        CHECK(second.etag != first.etag);
        REQUIRE(app::save_hub_config(path, second.document, second.etag, images));
        const auto loaded = app::load_hub_config(path, images);
        REQUIRE(loaded);
        CHECK(loaded.value()->etag == second.etag);
        CHECK(loaded.value()->products[0].name("en") == "Honey v2");
    }

    SECTION("the hub away: an error, and the last good copy still loads") {
        hub.stop();
        const auto away = sync::pull_config(client, first.etag);
        CHECK(away.outcome == Outcome::Failed);
        CHECK_THAT(away.error, Catch::Contains("cannot reach the hub"));
        const auto loaded = app::load_hub_config(path, images);
        REQUIRE(loaded);
        CHECK(loaded.value()->etag == first.etag);
        const auto shelf = app::choose_shelf(config);
        REQUIRE(shelf);
        CHECK(shelf.value().hub.has_value());
        CHECK(shelf.value().products.size() == 2);
    }

    SECTION("a bad document cannot be stored at the hub, nor replace the kiosk's copy") {
        auto bad = document_named("Honey bad");
        bad["questions"]["drivers"] = {"price", "vibes"};
        auto refused = hub::prepare_config(bad.dump());
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message, Catch::StartsWith("questions.drivers[1]: \"vibes\" is not a driver"));

        // Served anyway (say, by a hub of another version): the pull refuses it, the file stays.
        const std::string text = bad.dump();
        REQUIRE(hub.store().put_config(hub::kChainWideScope, text, hub::config_etag(text), core::now_utc()));
        const auto pulled = sync::pull_config(client, first.etag);
        CHECK(pulled.outcome == Outcome::Failed);
        CHECK_THAT(pulled.error, Catch::Contains("cannot use") && Catch::Contains("vibes"));

        const auto not_saved = app::save_hub_config(path, text, hub::config_etag(text), images);
        REQUIRE_FALSE(not_saved);
        CHECK_THAT(not_saved.error().message, Catch::Contains("keeps the last good one") && Catch::Contains("vibes"));
        CHECK(read_file(path) == first_file);
        CHECK_FALSE(app::save_hub_config(path, "{\"format\": 1, \"catalog\":", "\"x\"", images));
        CHECK(read_file(path) == first_file);
    }

    SECTION("a number past a double (1e400) is refused, not thrown: the poller goes on, the file stays") {
        std::string text = document_named("Honey").dump();
        text.replace(text.find("\"rating\":4"), 10, "\"rating\":1e400");
        REQUIRE(hub.store().put_config(hub::kChainWideScope, text, hub::config_etag(text), core::now_utc()));
        const auto pulled = sync::pull_config(client, first.etag);
        CHECK(pulled.outcome == Outcome::Failed);
        CHECK_THAT(pulled.error, Catch::Contains("cannot use") && Catch::Contains("not valid JSON"));

        std::vector<Outcome> seen;
        sync::ConfigPoller poller(first.etag, [&](const sync::ConfigPull& pull) {
            seen.push_back(pull.outcome);
            return false;
        });
        REQUIRE_NOTHROW(poller(client));
        CHECK(seen == std::vector<Outcome>{Outcome::Failed});
        CHECK(poller.etag() == first.etag);
        CHECK(read_file(path) == first_file);
    }

    SECTION("a corrupt local copy is reported, and the kiosk falls back to the local catalog") {
        write_file(path, first_file.substr(0, first_file.size() / 2));  // cut short
        const auto loaded = app::load_hub_config(path, images);
        REQUIRE_FALSE(loaded);
        CHECK_THAT(loaded.error().message, Catch::StartsWith(path) && Catch::Contains("damaged"));

        const auto shelf = app::choose_shelf(config);
        REQUIRE(shelf);
        CHECK_FALSE(shelf.value().hub.has_value());
        CHECK_THAT(shelf.value().warning, Catch::Contains(path) && Catch::Contains("using the local catalog"));
        REQUIRE(shelf.value().products.size() == 1);
        CHECK(shelf.value().products[0].sku == "4006381333931");

        // The next good pull (unconditional: the kiosk has no usable ETag) repairs it.
        const auto repaired = sync::pull_config(client, "");
        REQUIRE(repaired.outcome == Outcome::Updated);
        REQUIRE(app::save_hub_config(path, repaired.document, repaired.etag, images));
        CHECK(app::load_hub_config(path, images));
    }
}

TEST_CASE("BackgroundSync pulls the configuration through its after_push hook", "[sync][config][background]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const app::KioskConfig config = kiosk_config(dir);
    const std::string path = app::hub_config_path(config);
    const std::string images = app::hub_config_images_dir(config);
    set_hub_config(hub, document_named("Honey hooked"));

    std::mutex mutex;
    std::vector<Outcome> outcomes;  // guarded by mutex
    sync::BackgroundSyncOptions options;
    options.interval = 50ms;
    options.after_push = sync::ConfigPoller(
        "",
        [&](const sync::ConfigPull& pull) {
            std::lock_guard lock(mutex);
            outcomes.push_back(pull.outcome);
            return pull.outcome == Outcome::Updated && app::save_hub_config(path, pull.document, pull.etag, images).ok();
        },
        /*every=*/100ms);
    {
        sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(config.db_path); }, hub.endpoint(), {},
                                      options);
        REQUIRE(eventually([&] {
            std::lock_guard lock(mutex);
            return outcomes.size() >= 3;
        }));
    }
    std::lock_guard lock(mutex);
    CHECK(outcomes[0] == Outcome::Updated);
    CHECK(outcomes[1] == Outcome::Unchanged);  // the saved ETag was sent
    const auto loaded = app::load_hub_config(path, images);
    REQUIRE(loaded);
    REQUIRE(loaded.value().has_value());
    CHECK(loaded.value()->products[0].name("en") == "Honey hooked");
}
