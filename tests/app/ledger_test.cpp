// The ledger on a real SQLite file: migrations, durable appends, the outbox states.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <map>

#include "support/temp_dir.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;

namespace {

core::Event shelf_event(core::UuidV7Generator& ids, const std::string& observation = "picked_up") {
    core::Event event;
    event.id = ids.next();
    event.type = core::EventType::StaffShelf;
    event.occurred_at = core::now_utc();
    event.session_id = ids.next();
    event.locale = "en";
    event.sku = "sku-1";
    event.data = {{"observation", observation}};
    return event;
}

std::string pragma(const std::string& path, const char* name) {
    core::sqlite::Connection db(path);
    auto query = db.prepare(std::string("PRAGMA ") + name);
    query.step();
    return query.column_text(0);
}

}  // namespace

TEST_CASE("a new ledger is migrated, in WAL mode", "[ledger]") {
    TempDir dir;
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    CHECK(ledger.schema_version() == 1);
    CHECK(pragma(dir.file("kiosk.db"), "journal_mode") == "wal");
    auto reopened = app::Ledger::open(dir.file("kiosk.db")).value();  // migrations run once
    CHECK(reopened.schema_version() == 1);
}

TEST_CASE("appended events are pending, frozen and survive a reopen", "[ledger]") {
    TempDir dir;
    core::UuidV7Generator ids;
    const core::Event event = shelf_event(ids);
    {
        auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
        REQUIRE(ledger.append(event));
    }
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    CHECK(ledger.status()->pending == 1);
    const auto batch = ledger.next_batch(10, 1 << 20).value();
    REQUIRE(batch.size() == 1);
    CHECK(batch[0].id == event.id);
    CHECK(batch[0].payload == core::encode_event(event));

    SECTION("the same id cannot be recorded twice: an error, not an exception") {
        const auto again = ledger.append(event);
        REQUIRE_FALSE(again);
        CHECK(again.error().code == core::ErrorCode::Unavailable);
        CHECK_THAT(again.error().message, Catch::Contains("UNIQUE"));
        CHECK(ledger.status()->pending == 1);
    }
    SECTION("an invalid event is refused before it reaches the disk") {
        core::Event bad = shelf_event(ids, "danced");
        const auto refused = ledger.append(bad);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::ErrorCode::InvalidArgument);
        CHECK(ledger.status()->pending == 1);
    }
}

TEST_CASE("batches respect count and byte limits, in capture order", "[ledger]") {
    TempDir dir;
    core::UuidV7Generator ids;
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    std::vector<std::string> order;
    for (int i = 0; i < 10; ++i) {
        const auto event = shelf_event(ids);
        order.push_back(event.id);
        REQUIRE(ledger.append(event));
    }
    const auto first = ledger.next_batch(4, 1 << 20).value();
    REQUIRE(first.size() == 4);
    CHECK(first[0].id == order[0]);
    CHECK(first[3].id == order[3]);
    const std::size_t one = first[0].payload.size();
    CHECK(ledger.next_batch(10, one * 3 + 1).value().size() == 3);
    CHECK(ledger.next_batch(10, 1).value().size() == 1);  // always at least one, or a huge event would block the queue

    // Read ahead while a batch is in flight: the events after the last one taken, still oldest first.
    const auto second = ledger.next_batch(4, 1 << 20, first.back().seq).value();
    REQUIRE(second.size() == 4);
    CHECK(second[0].id == order[4]);
    CHECK(ledger.next_batch(10, 1 << 20, second.back().seq).value().size() == 2);
    CHECK(ledger.next_batch(10, 1 << 20, ledger.next_batch(10, 1 << 20).value().back().seq).value().empty());
}

TEST_CASE("settling records deliveries and quarantines in one go", "[ledger]") {
    TempDir dir;
    core::UuidV7Generator ids;
    auto ledger = app::Ledger::open(dir.file("kiosk.db")).value();
    std::vector<std::string> sent;
    for (int i = 0; i < 3; ++i) {
        const auto event = shelf_event(ids);
        sent.push_back(event.id);
        REQUIRE(ledger.append(event));
    }
    REQUIRE(ledger.record_failure("cannot reach the hub", core::now_utc()));
    CHECK(ledger.status()->last_error == "cannot reach the hub");

    REQUIRE(ledger.settle({sent[0], sent[1]}, {{sent[2], "conflict"}}, core::now_utc()));
    const auto status = ledger.status().value();
    CHECK(status.pending == 0);
    CHECK(status.delivered == 2);
    CHECK(status.quarantined == 1);
    CHECK_FALSE(status.last_error);
    CHECK(status.last_sync_at);
    REQUIRE(status.latest_quarantined.size() == 1);
    CHECK(status.latest_quarantined[0].reason == "conflict");
    CHECK(ledger.next_batch(10, 1 << 20).value().empty());
}

namespace {

// Every id in the ledger file with its state, read with plain SQL beside the Ledger's own connection.
std::map<std::string, std::string> states(const std::string& path) {
    core::sqlite::Connection db(path);
    std::map<std::string, std::string> out;
    auto query = db.prepare("SELECT id, state FROM events");
    while (query.step()) out[query.column_text(0)] = query.column_text(1);
    return out;
}

}  // namespace

TEST_CASE("the retention purge deletes only delivered events settled before the cutoff", "[ledger][purge]") {
    using namespace std::chrono_literals;
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    core::UuidV7Generator ids;
    auto ledger = app::Ledger::open(path).value();
    const auto now = core::now_utc();
    const auto long_ago = now - std::chrono::hours(24 * 400);

    // Captured long ago, each of them: age alone must never decide.
    auto old_event = [&] {
        core::Event event = shelf_event(ids);
        event.occurred_at = long_ago;
        event.id = ids.next_at(long_ago);
        REQUIRE(ledger.append(event));
        return event.id;
    };
    const std::string delivered_long_ago = old_event();
    const std::string delivered_at_cutoff = old_event();
    const std::string delivered_yesterday = old_event();
    const std::string quarantined = old_event();
    const std::string pending = old_event();
    const auto cutoff = now - std::chrono::hours(24 * 30);
    REQUIRE(ledger.settle({delivered_long_ago}, {{quarantined, "the hub refused it"}}, long_ago));
    REQUIRE(ledger.settle({delivered_at_cutoff}, {}, cutoff));
    REQUIRE(ledger.settle({delivered_yesterday}, {}, now - 24h));

    SECTION("delivered before the cutoff: gone; at or after it, pending or quarantined: kept") {
        CHECK(ledger.purge_delivered_before(cutoff).value() == 1);
        const auto left = states(path);
        CHECK(left.count(delivered_long_ago) == 0);
        CHECK(left.at(delivered_at_cutoff) == "delivered");  // strictly before
        CHECK(left.at(delivered_yesterday) == "delivered");
        CHECK(left.at(quarantined) == "quarantined");
        CHECK(left.at(pending) == "pending");
        const auto status = ledger.status().value();
        REQUIRE(status.latest_quarantined.size() == 1);
        CHECK(status.latest_quarantined[0].reason == "the hub refused it");  // and its reason with it
        const auto batch = ledger.next_batch(10, 1 << 20).value();
        REQUIRE(batch.size() == 1);
        CHECK(batch[0].id == pending);  // still sent
        CHECK(ledger.purge_delivered_before(cutoff).value() == 0);  // nothing twice
    }
    SECTION("a cutoff in the future takes every delivered event and nothing else") {
        CHECK(ledger.purge_delivered_before(now + std::chrono::hours(24 * 365)).value() == 3);
        const auto left = states(path);
        CHECK(left == std::map<std::string, std::string>{{quarantined, "quarantined"}, {pending, "pending"}});
    }
    SECTION("a cutoff before everything takes nothing") {
        CHECK(ledger.purge_delivered_before(long_ago).value() == 0);
        CHECK(states(path).size() == 5);
    }
    SECTION("the purge survives a reopen: it was committed") {
        REQUIRE(ledger.purge_delivered_before(cutoff));
        auto reopened = app::Ledger::open(path).value();
        CHECK(reopened.status()->delivered == 2);
        CHECK(reopened.status()->quarantined == 1);
        CHECK(reopened.status()->pending == 1);
    }
}

TEST_CASE("a ledger that cannot be opened comes back as an error naming the file", "[ledger]") {
    TempDir dir;
    SECTION("written by a newer Truthpoint") {
        const std::string path = dir.file("kiosk.db");
        { (void)app::Ledger::open(path).value(); }
        { core::sqlite::Connection(path).execute("PRAGMA user_version = 99"); }
        const auto opened = app::Ledger::open(path);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == core::ErrorCode::Unavailable);
        CHECK_THAT(opened.error().message, Catch::Contains(path) && Catch::Contains("newer Truthpoint") &&
                                               Catch::Contains("upgrade this kiosk"));
    }
    SECTION("in a folder that does not exist") {
        const std::string path = dir.file("missing/kiosk.db");
        const auto opened = app::Ledger::open(path);
        REQUIRE_FALSE(opened);
        CHECK_THAT(opened.error().message, Catch::StartsWith("the kiosk's ledger failed") && Catch::Contains("missing"));
    }
}

TEST_CASE("a ledger held by another writer past the busy timeout answers Busy, and the event is not lost",
          "[ledger][busy]") {
    TempDir dir;
    const std::string path = dir.file("kiosk.db");
    core::UuidV7Generator ids;
    auto ledger = app::Ledger::open(path).value();
    const core::Event event = shelf_event(ids);
    {
        core::sqlite::Connection other(path);
        core::sqlite::Transaction holding(other);  // BEGIN IMMEDIATE: the write lock, held past the timeout
        const auto refused = ledger.append(event);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == core::ErrorCode::Busy);
        CHECK(refused.error().retry_after == std::chrono::seconds(1));
        CHECK_THAT(refused.error().message, Catch::StartsWith("the kiosk's ledger failed"));
    }
    REQUIRE(ledger.append(event));  // the caller's retry, once the other writer is gone
    CHECK(ledger.status()->pending == 1);
}
