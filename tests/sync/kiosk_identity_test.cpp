// A kiosk holding another kiosk's token sends nothing: push_pending and BackgroundSync ask the hub
// (GET /api/v1/kiosk) which kiosk the token is, against a real hub on loopback.
#include <catch2/catch.hpp>

#include <atomic>

#include "hub_fixture.hpp"
#include "support/eventually.hpp"
#include "support/sample_events.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/sync/background_sync.hpp"
#include "truthpoint/sync/kiosk_identity.hpp"
#include "truthpoint/sync/uploader.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;
using truthpoint::testing::eventually;

namespace {

const std::string kConfigPath = "/etc/truthpoint/kiosk.toml";

void add_reactions(app::Ledger& ledger, int count) {
    core::UuidV7Generator ids;
    for (int i = 0; i < count; ++i) REQUIRE(ledger.append(truthpoint::testing::sample_reaction(ids)));
}

// Enrols another kiosk at the hub and returns its token.
std::string enrol(LoopbackHub& hub, const std::string& kiosk_id, const std::string& store_id) {
    const std::string token = hub::generate_token().value();
    REQUIRE(hub.store().add_kiosk({kiosk_id, store_id, "north", hub::hash_token(token)}, core::now_utc()));
    return token;
}

}  // namespace

TEST_CASE("whoami names the token's kiosk, store and region", "[sync][identity]") {
    TempDir dir;
    LoopbackHub hub(dir, "k-002", "s-042");
    auto endpoint = hub.endpoint();
    endpoint.token = enrol(hub, "k-003", "s-043");
    sync::HubClient client(endpoint);

    const auto identity = client.whoami();
    REQUIRE(identity);
    CHECK(identity->kiosk_id == "k-003");
    CHECK(identity->store_id == "s-043");
    CHECK(identity->region == "north");

    SECTION("a token the hub does not know is Unauthorized, naming [hub] token") {
        endpoint.token = "not-a-token";
        sync::HubClient stranger(endpoint);
        const auto refused = stranger.whoami();
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::ErrorCode::Unauthorized);
        CHECK_THAT(refused.error().message, Catch::Contains("HTTP 401") && Catch::Contains("[hub] token"));
    }
}

TEST_CASE("identity_mismatch names both kiosks, both stores, the file and what to do", "[sync][identity]") {
    const sync::KioskIdentity hub_says{"k-002", "s-042", "north"};
    CHECK_FALSE(sync::identity_mismatch(hub_says, "k-002", "s-042", kConfigPath));

    const auto kiosk = sync::identity_mismatch(hub_says, "k-001", "s-042", kConfigPath);
    REQUIRE(kiosk);
    CHECK(*kiosk ==
          "the hub says this token belongs to kiosk k-002 in store s-042, but [kiosk] id is k-001 in "
          "/etc/truthpoint/kiosk.toml: put k-001's token in [hub] token (truthpoint-hub kiosk rotate-token --kiosk "
          "k-001) or fix [kiosk] id; nothing was sent");

    const auto store = sync::identity_mismatch(hub_says, "k-002", "s-043", kConfigPath);
    REQUIRE(store);
    CHECK_THAT(*store, Catch::Contains("kiosk k-002 in store s-042") && Catch::Contains("[kiosk] store is s-043") &&
                           Catch::Contains(kConfigPath) && Catch::Contains("fix [kiosk] store"));

    const auto both = sync::identity_mismatch(hub_says, "k-001", "s-043", "");
    REQUIRE(both);
    CHECK_THAT(*both, Catch::Contains("[kiosk] id is k-001 and [kiosk] store is s-043 in the kiosk's configuration"));
}

TEST_CASE("a kiosk holding another kiosk's token sends nothing, says why, and delivers once the token is its own",
          "[sync][identity]") {
    TempDir dir;
    LoopbackHub hub(dir, "k-002", "s-042");  // the token the kiosk holds is k-002's
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    add_reactions(ledger, 12);

    SECTION("the configured kiosk and store are the token's: delivered") {
        sync::HubClient client(hub.endpoint());
        sync::IdentityCheck identity({"k-002", "s-042", kConfigPath});
        const auto report = sync::push_pending(ledger, client, {}, nullptr, &identity);
        REQUIRE(report.ok());
        CHECK(report.delivered == 12);
        CHECK(identity.confirmed());
        CHECK(hub.stored_events() == 12);
    }
    SECTION("another kiosk id: nothing sent, events pending, the message names both ids and the file") {
        sync::HubClient client(hub.endpoint());
        sync::IdentityCheck identity({"k-001", "s-042", kConfigPath});
        const auto report = sync::push_pending(ledger, client, {}, nullptr, &identity);
        CHECK(report.stop == sync::StopReason::Refused);
        CHECK(report.problem == core::SyncProblem::WrongKiosk);
        CHECK_THAT(report.error.message, Catch::StartsWith("the hub says this token belongs to kiosk k-002 in store s-042, "
                                                           "but [kiosk] id is k-001 in " + kConfigPath));
        CHECK(report.delivered == 0);
        CHECK(hub.stored_events() == 0);
        CHECK(ledger.status()->pending == 12);
        CHECK(ledger.status()->last_error == report.error.message);
        CHECK_FALSE(identity.confirmed());

        // IT puts k-001's token in [hub] token: the next pass asks again and delivers.
        auto fixed = hub.endpoint();
        fixed.token = enrol(hub, "k-001", "s-042");
        sync::HubClient own(fixed);
        const auto again = sync::push_pending(ledger, own, {}, nullptr, &identity);
        REQUIRE(again.ok());
        CHECK(again.delivered == 12);
        CHECK(hub.stored_events() == 12);
        CHECK_FALSE(ledger.status()->last_error);
    }
    SECTION("another store: nothing sent, the message names both stores") {
        sync::HubClient client(hub.endpoint());
        sync::IdentityCheck identity({"k-002", "s-043", kConfigPath});
        const auto report = sync::push_pending(ledger, client, {}, nullptr, &identity);
        CHECK(report.stop == sync::StopReason::Refused);
        CHECK(report.problem == core::SyncProblem::WrongKiosk);
        CHECK_THAT(report.error.message,
                   Catch::Contains("store s-042") && Catch::Contains("[kiosk] store is s-043 in " + kConfigPath));
        CHECK(hub.stored_events() == 0);
        CHECK(ledger.status()->pending == 12);
    }
    SECTION("a 401 after the hub confirmed the kiosk has it asked again before the next send") {
        sync::HubClient client(hub.endpoint());
        sync::IdentityCheck identity({"k-002", "s-042", kConfigPath});
        REQUIRE_FALSE(identity.check(client));
        REQUIRE(identity.confirmed());
        auto replaced = hub.endpoint();
        replaced.token = "a-token-the-hub-never-gave";
        sync::HubClient stranger(replaced);
        const auto report = sync::push_pending(ledger, stranger, {}, nullptr, &identity);
        CHECK(report.problem == core::SyncProblem::TokenRefused);
        CHECK_FALSE(identity.confirmed());
        CHECK(hub.stored_events() == 0);
    }
}

TEST_CASE("BackgroundSync with another kiosk's token sends nothing and pulls no configuration", "[sync][identity][background]") {
    TempDir dir;
    LoopbackHub hub(dir, "k-002", "s-042");
    const std::string db = dir.file("kiosk.db");
    auto ledger = app::Ledger::open(db).value();
    add_reactions(ledger, 5);

    std::atomic<int> pulls{0};
    sync::BackgroundSyncOptions options;
    options.interval = 1h;
    options.expected_kiosk = sync::ExpectedKiosk{"k-001", "s-042", kConfigPath};
    options.after_push = [&pulls](sync::HubClient&) { ++pulls; };
    {
        sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, hub.endpoint(), {}, options);
        REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::Refused; }));
        const auto snapshot = uploader.snapshot();
        CHECK(snapshot.problem == core::SyncProblem::WrongKiosk);
        CHECK_THAT(snapshot.last_error, Catch::Contains("kiosk k-002") && Catch::Contains("[kiosk] id is k-001"));
        CHECK(pulls == 0);  // another kiosk's configuration is not even fetched
        CHECK(hub.stored_events() == 0);
        CHECK(ledger.status()->pending == 6);  // with the heartbeat
    }

    options.expected_kiosk = sync::ExpectedKiosk{"k-002", "s-042", kConfigPath};
    sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, hub.endpoint(), {}, options);
    REQUIRE(eventually([&] { return ledger.status()->pending == 0; }));
    CHECK(hub.stored_events() == 7);  // and the second uploader's heartbeat
    REQUIRE(eventually([&] { return pulls.load() == 1; }));
}
