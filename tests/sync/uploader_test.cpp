// push_pending against a real hub over loopback: delivered once, refused loudly, nothing lost.
#include <catch2/catch.hpp>

#include <fstream>

#include "hub_fixture.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/sync/uploader.hpp"

using namespace truthpoint;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;

namespace {

void fill(app::Ledger& ledger, int count) {
    core::UuidV7Generator ids;
    for (int i = 0; i < count; ++i) {
        core::Event event;
        event.id = ids.next();
        event.type = core::EventType::FmotReaction;
        event.occurred_at = core::now_utc();
        event.session_id = ids.next();
        event.locale = "tr";
        event.sku = "sku-" + std::to_string(i % 7);
        event.data = {{"reaction", i % 2 ? "happy" : "unhappy"}, {"ms_to_react", 1000 + i}};
        REQUIRE(ledger.append(event));
    }
}

}  // namespace

TEST_CASE("pending events reach the hub once, in batches", "[sync]") {
    TempDir dir;
    LoopbackHub hub(dir);
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    fill(ledger, 1234);
    sync::HubClient client(hub.endpoint());

    const auto report = sync::push_pending(ledger, client, {.max_events = 500, .max_bytes = 256 * 1024});
    REQUIRE(report.ok());
    CHECK(report.batches == 3);
    CHECK(report.delivered == 1234);
    CHECK(report.duplicates == 0);
    CHECK(hub.stored_events() == 1234);
    CHECK(ledger.status()->pending == 0);
    CHECK(ledger.status()->delivered == 1234);
    CHECK(report.wire_bytes < 1234 * 150);  // gzip: far below the ~220 bytes of JSON per event

    SECTION("a resend of delivered events is counted as duplicates, stored once") {
        core::sqlite::Connection db(dir.file("kiosk.db"));
        db.execute("UPDATE events SET state = 'pending'");
        const auto again = sync::push_pending(ledger, client);
        REQUIRE(again.ok());
        CHECK(again.duplicates == 1234);
        CHECK(hub.stored_events() == 1234);
    }
}

TEST_CASE("a hub that cannot be reached leaves every event pending, with the reason", "[sync]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const auto endpoint = hub.endpoint();
    hub.stop();
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    fill(ledger, 10);
    sync::TransportOptions quick;
    quick.connect_timeout = std::chrono::milliseconds(500);
    sync::HubClient client(endpoint, quick);

    const auto report = sync::push_pending(ledger, client);
    CHECK_FALSE(report.ok());
    CHECK_THAT(report.error.message, Catch::StartsWith("cannot reach the hub at " + endpoint.url));
    CHECK(ledger.status()->pending == 10);
    CHECK(ledger.status()->last_error == report.error.message);

    hub.start();  // same port
    REQUIRE(sync::push_pending(ledger, client).ok());
    CHECK(ledger.status()->pending == 0);
    CHECK_FALSE(ledger.status()->last_error);
}

TEST_CASE("a failing ledger: the failure is returned, recorded where the ledger still can, never thrown", "[sync]") {
    TempDir dir;
    LoopbackHub hub(dir);
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    fill(ledger, 10);
    sync::HubClient client(hub.endpoint());

    SECTION("the events cannot be marked delivered: they stay pending, the failure is recorded") {
        // Another connection makes every change of an event's state fail, as a failing disk would;
        // sync_meta, where failures are recorded, stays writable.
        core::sqlite::Connection other(dir.file("kiosk.db"));
        other.execute("CREATE TRIGGER refuse BEFORE UPDATE ON events BEGIN SELECT RAISE(FAIL, 'the disk refused'); END");

        sync::SyncReport report;
        REQUIRE_NOTHROW(report = sync::push_pending(ledger, client));
        CHECK(report.stop == sync::StopReason::Retryable);
        CHECK(report.error.code == core::ErrorCode::Unavailable);
        CHECK_THAT(report.error.message, Catch::Contains("the kiosk's ledger failed") && Catch::Contains("the disk refused"));
        CHECK(ledger.status()->last_error == report.error.message);
        CHECK(ledger.status()->pending == 10);
        CHECK(hub.stored_events() == 10);  // the hub holds them: a resend counts duplicates

        other.execute("DROP TRIGGER refuse");
        const auto again = sync::push_pending(ledger, client);
        REQUIRE(again.ok());
        CHECK(again.duplicates == 10);
        CHECK(ledger.status()->pending == 0);
        CHECK_FALSE(ledger.status()->last_error);
    }
    SECTION("the ledger file is replaced by garbage: the failure is returned, nothing is sent") {
        for (const char* name : {"kiosk.db", "kiosk.db-wal"}) {
            std::ofstream garbage(dir.file(name), std::ios::binary | std::ios::trunc);  // the same inode
            garbage << std::string(64 * 1024, 'Z');
        }
        {  // the open connection's WAL index, zeroed in place (it is mapped: same size), forces a fresh read
            std::fstream index(dir.file("kiosk.db-shm"), std::ios::binary | std::ios::in | std::ios::out);
            index << std::string(136, '\0');
        }
        sync::SyncReport report;
        REQUIRE_NOTHROW(report = sync::push_pending(ledger, client));
        CHECK(report.stop == sync::StopReason::Retryable);
        CHECK(report.error.code == core::ErrorCode::Unavailable);
        CHECK_THAT(report.error.message, Catch::StartsWith("the kiosk's ledger failed"));
        CHECK(hub.stored_events() == 0);
    }
}

TEST_CASE("a wrong token is refused and nothing is marked delivered", "[sync]") {
    TempDir dir;
    LoopbackHub hub(dir);
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    fill(ledger, 5);
    auto endpoint = hub.endpoint();
    endpoint.token = "not-the-token";
    sync::HubClient client(endpoint);

    const auto report = sync::push_pending(ledger, client);
    CHECK_FALSE(report.ok());
    CHECK_THAT(report.error.message, Catch::Contains("HTTP 401") && Catch::Contains("check [hub] token"));
    CHECK(ledger.status()->pending == 5);
    CHECK(hub.stored_events() == 0);
}

TEST_CASE("gzip shrinks batches and round-trips", "[sync]") {
    const std::string text(10000, 'a');
    const std::string packed = sync::gzip_compress(text);
    CHECK(packed.size() < 200);
    CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // the gzip magic
    CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
}
