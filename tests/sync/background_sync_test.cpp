// BackgroundSync against a real hub: delivers on request, writes a heartbeat, reports a refusal, and
// purges only what its retention allows.
#include <catch2/catch.hpp>

#include <map>

#include "hub_fixture.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/sync/background_sync.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using truthpoint::testing::LoopbackHub;
using truthpoint::testing::TempDir;

namespace {

void add_reactions(app::Ledger& ledger, int count) {
    core::UuidV7Generator ids;
    for (int i = 0; i < count; ++i) {
        core::Event event;
        event.id = ids.next();
        event.type = core::EventType::FmotReaction;
        event.occurred_at = core::now_utc();
        event.session_id = ids.next();
        event.locale = "el";
        event.sku = "8710398500103";
        event.data = {{"reaction", "very_happy"}, {"ms_to_react", 2000}};
        REQUIRE(ledger.append(event));
    }
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

TEST_CASE("the background uploader delivers, heartbeats, and syncs again on request", "[sync][background]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const std::string db = dir.file("kiosk.db");
    auto ledger = app::Ledger::open(db).value();
    add_reactions(ledger, 40);

    sync::BackgroundSyncOptions options;
    options.interval = 1h;  // only the start-up push and explicit requests
    options.version = "test-1";
    sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, hub.endpoint(), {}, options);

    REQUIRE(eventually([&] { return ledger.status()->pending == 0 && ledger.status()->delivered >= 41; }));
    CHECK(hub.stored_events() == 41);  // 40 reactions and one heartbeat
    CHECK(hub.store().stats().value().by_type[static_cast<std::size_t>(core::EventType::KioskHeartbeat)] == 1);
    REQUIRE(eventually([&] { return uploader.snapshot().last_success.has_value(); }));

    add_reactions(ledger, 5);
    uploader.sync_now();
    REQUIRE(eventually([&] { return hub.stored_events() == 46; }));
    CHECK(uploader.snapshot().last_error.empty());
}

TEST_CASE("a refused token is reported and nothing leaves the ledger", "[sync][background]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const std::string db = dir.file("kiosk.db");
    auto ledger = app::Ledger::open(db).value();
    add_reactions(ledger, 3);
    auto endpoint = hub.endpoint();
    endpoint.token = "wrong";
    sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, endpoint, {}, {});

    REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::Refused; }));
    CHECK_THAT(uploader.snapshot().last_error, Catch::Contains("HTTP 401"));
    CHECK(ledger.status()->pending == 4);  // with the heartbeat
    CHECK(ledger.status()->quarantined == 0);
    CHECK(hub.stored_events() == 0);
}

TEST_CASE("the uploader's retention purge deletes only delivered events older than the limit", "[sync][background][purge]") {
    TempDir dir;
    LoopbackHub hub(dir);
    const std::string db = dir.file("kiosk.db");
    core::UuidV7Generator ids;
    const auto now = core::now_utc();
    const auto long_ago = now - std::chrono::hours(24 * 90);
    std::map<std::string, std::string> expected;  // id → state after the uploader's pass; absent: purged
    std::string purged;
    {
        auto ledger = app::Ledger::open(db).value();
        auto add = [&](core::Timestamp captured) {
            core::Event event;
            event.id = ids.next_at(captured);
            event.type = core::EventType::FmotReaction;
            event.occurred_at = captured;
            event.session_id = ids.next_at(captured);
            event.locale = "tr";
            event.sku = "8690504012345";
            event.data = {{"reaction", "unhappy"}, {"ms_to_react", 3100}};
            REQUIRE(ledger.append(event));
            return event.id;
        };
        purged = add(long_ago);
        const std::string kept_recent = add(long_ago);
        const std::string quarantined = add(long_ago);
        const std::string pending = add(long_ago);  // old, never sent: delivered by this pass, then kept
        REQUIRE(ledger.settle({purged}, {{quarantined, "the hub refused it"}}, long_ago));
        REQUIRE(ledger.settle({kept_recent}, {}, now - std::chrono::hours(24 * 29)));
        expected = {{kept_recent, "delivered"}, {quarantined, "quarantined"}, {pending, "delivered"}};
    }

    const auto states = [&] {
        core::sqlite::Connection file(db);
        std::map<std::string, std::string> out;
        auto query = file.prepare("SELECT id, state FROM events WHERE type <> 'kiosk.heartbeat'");
        while (query.step()) out[query.column_text(0)] = query.column_text(1);
        return out;
    };

    SECTION("after a clean push, with the default 30 days") {
        sync::BackgroundSyncOptions options;
        options.interval = 1h;
        REQUIRE(options.retention == std::chrono::hours(24 * 30));
        sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, hub.endpoint(), {}, options);
        REQUIRE(eventually([&] { return uploader.snapshot().last_success.has_value(); }));
        CHECK(states() == expected);
        CHECK(hub.stored_events() == 2);  // the pending one and the heartbeat
    }
    SECTION("not while pushes fail: nothing is deleted then") {
        auto endpoint = hub.endpoint();
        endpoint.token = "wrong";
        sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(db); }, endpoint, {}, {});
        REQUIRE(eventually([&] { return uploader.snapshot().last_stop == sync::StopReason::Refused; }));
        CHECK(states().count(purged) == 1);
        CHECK(states().size() == 4);
    }
}
