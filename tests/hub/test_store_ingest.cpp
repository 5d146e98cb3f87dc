// The storage suite shared by both engines: every test case runs once on SQLite and once on a real
// PostgreSQL server (postgres_server.hpp) — kiosks, events stored once, duplicates and conflicts, a
// batch as one transaction, received order, filters, counts with misuse left out, and the kiosk
// configuration documents.
#include <catch2/catch.hpp>

#include <algorithm>
#include <future>

#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;
using truthpoint::hub_test::incoming;
using truthpoint::hub_test::poison_inserts;

namespace {

std::vector<StoredEvent> read_all(Store& store, const EventFilter& filter = {}) {
    std::vector<StoredEvent> events;
    REQUIRE(store.for_each_event(filter, [&](const StoredEvent& event) {
        events.push_back(event);
        return true;
    }));
    return events;
}

// Every field, so that two engines' answers can be compared whole.
auto fields(const StoredEvent& e) {
    return std::tie(e.id, e.kiosk_id, e.store_id, e.type, e.occurred_at, e.received_at, e.session_id, e.locale, e.sku,
                    e.data, e.verified_purchase);
}

// The pages a client gets by following the cursor from the start; REQUIREs that cursors only grow.
std::vector<std::vector<StoredEvent>> read_pages(Store& store, std::int64_t limit,
                                                 std::optional<std::string> region = std::nullopt) {
    std::vector<std::vector<StoredEvent>> pages;
    std::int64_t after = 0;
    for (;;) {
        auto page = store.events_page({after, limit, region});
        REQUIRE(page);
        if (page->empty()) return pages;
        REQUIRE(static_cast<std::int64_t>(page->size()) <= limit);
        auto& events = pages.emplace_back();
        for (const PagedEvent& paged : *page) {
            REQUIRE(paged.cursor > after);
            after = paged.cursor;
            events.push_back(paged.event);
        }
    }
}

}  // namespace

TEST_CASE("kiosks are enrolled once, listed and revoked", "[hub][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-2", "s-1", "north");
    hub_test::enrol(*store, "k-1", "s-2");

    SECTION("a duplicate kiosk id is refused clearly") {
        auto again = store->add_kiosk({"k-1", "s-9", "", hash_token("other")}, core::now_utc());
        REQUIRE_FALSE(again);
        CHECK(again.error().code == ErrorCode::AlreadyExists);
        CHECK_THAT(again.error().message, Catch::Contains("k-1") && Catch::Contains("already enrolled"));
    }
    SECTION("list is ordered by id and shows revocation") {
        REQUIRE(store->revoke_kiosk("k-2", core::now_utc()));
        auto kiosks = store->list_kiosks();
        REQUIRE(kiosks);
        REQUIRE(kiosks->size() == 2);
        CHECK((*kiosks)[0].kiosk_id == "k-1");
        CHECK_FALSE((*kiosks)[0].revoked_at);
        CHECK((*kiosks)[1].kiosk_id == "k-2");
        CHECK((*kiosks)[1].region == "north");
        CHECK((*kiosks)[1].revoked_at);
    }
    SECTION("revoking twice keeps the first time") {
        const auto first = store->revoke_kiosk("k-1", core::now_utc() - std::chrono::hours(1)).value().revoked_at;
        const auto second = store->revoke_kiosk("k-1", core::now_utc()).value().revoked_at;
        CHECK(first == second);
    }
}

TEST_CASE("events are stored once and a different payload under a stored id is a conflict", "[hub][store][ingest]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const KioskIdentity kiosk1{"k-1", "s-1", ""};
    const KioskIdentity kiosk2{"k-2", "s-2", ""};
    const auto reaction = hub_test::make_event(core::EventType::FmotReaction);
    const auto start = hub_test::make_event(core::EventType::SessionStart);

    auto first = store->store_events(kiosk1, {incoming(reaction), incoming(start)}, core::now_utc());
    REQUIRE(first);
    CHECK(*first == std::vector{EventOutcome::Stored, EventOutcome::Stored});

    SECTION("the same events again are duplicates") {
        auto again = store->store_events(kiosk1, {incoming(start), incoming(reaction)}, core::now_utc());
        REQUIRE(again);
        CHECK(*again == std::vector{EventOutcome::Duplicate, EventOutcome::Duplicate});
        CHECK(store->stats().value().total_events == 2);
    }
    SECTION("another payload under the same id is a conflict, and the stored one stays") {
        auto changed = reaction;
        changed.data["reaction"] = "very_unhappy";
        auto outcome = store->store_events(kiosk1, {incoming(changed)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Conflict});
        CHECK(read_all(*store)[0].data == reaction.data.dump());
    }
    SECTION("the same event from another kiosk is a conflict") {
        auto outcome = store->store_events(kiosk2, {incoming(reaction)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Conflict});
    }
    SECTION("a repeated id inside one batch is stored once") {
        const auto end = hub_test::make_event(core::EventType::SessionEnd);
        auto outcome = store->store_events(kiosk1, {incoming(end), incoming(end)}, core::now_utc());
        REQUIRE(outcome);
        CHECK(*outcome == std::vector{EventOutcome::Stored, EventOutcome::Duplicate});
    }
    SECTION("a batch is one transaction: a failure part-way stores none of it") {
        poison_inserts(database);
        const auto a = hub_test::make_event(core::EventType::FmotIntent);
        const auto b = hub_test::make_event(core::EventType::StaffShelf);
        const auto poison = hub_test::make_event(core::EventType::FmotDriver, "poison");
        auto outcome = store->store_events(kiosk1, {incoming(a), incoming(b), incoming(poison)}, core::now_utc());
        REQUIRE_FALSE(outcome);
        CHECK(outcome.error().code == ErrorCode::Unavailable);
        CHECK(store->stats().value().total_events == 2);
        // ...and the store still works afterwards.
        auto retry = store->store_events(kiosk1, {incoming(a), incoming(b)}, core::now_utc());
        REQUIRE(retry);
        CHECK(store->stats().value().total_events == 4);
    }
}

TEST_CASE("events are read back in received order, filtered by received time and store", "[hub][store]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const core::Timestamp t0 = core::parse_rfc3339("2026-03-01T10:00:00.000Z").value();
    const auto hour = std::chrono::hours(1);
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        const auto event = hub_test::make_event(core::EventType::KioskHeartbeat);
        ids.push_back(event.id);
        const KioskIdentity sender = i % 2 == 0 ? KioskIdentity{"k-1", "s-1", ""} : KioskIdentity{"k-2", "s-2", ""};
        REQUIRE(store->store_events(sender, {incoming(event)}, t0 + i * hour));
    }

    SECTION("all, oldest first, with kiosk, store and received time") {
        auto events = read_all(*store);
        REQUIRE(events.size() == 4);
        for (int i = 0; i < 4; ++i) CHECK(events[i].id == ids[i]);
        CHECK(events[1].kiosk_id == "k-2");
        CHECK(events[1].store_id == "s-2");
        CHECK(events[1].received_at == "2026-03-01T11:00:00.000Z");
    }
    SECTION("from is inclusive, to exclusive") {
        EventFilter filter;
        filter.received_from = t0 + hour;
        filter.received_to = t0 + 3 * hour;
        auto events = read_all(*store, filter);
        REQUIRE(events.size() == 2);
        CHECK(events[0].id == ids[1]);
        CHECK(events[1].id == ids[2]);
    }
    SECTION("one store") {
        EventFilter filter;
        filter.store_id = "s-1";
        auto events = read_all(*store, filter);
        REQUIRE(events.size() == 2);
        CHECK(events[0].id == ids[0]);
        CHECK(events[1].id == ids[2]);
    }
    SECTION("the visitor can stop early") {
        int seen = 0;
        REQUIRE(store->for_each_event({}, [&](const StoredEvent&) { return ++seen < 2; }));
        CHECK(seen == 2);
    }
    SECTION("stats count per type and per store, zeros included") {
        auto stats = store->stats();
        REQUIRE(stats);
        CHECK(stats->total_events == 4);
        CHECK(stats->by_type[static_cast<std::size_t>(core::EventType::KioskHeartbeat)] == 4);
        CHECK(stats->by_type[static_cast<std::size_t>(core::EventType::SessionStart)] == 0);
        REQUIRE(stats->by_store.size() == 2);
        CHECK(stats->by_store[0].store_id == "s-1");
        CHECK(stats->by_store[0].total == 2);
        CHECK(stats->kiosks_total == 2);
        CHECK(stats->kiosks_active == 2);
    }
}

TEST_CASE("both engines page the same events alike, and a page holds what the export holds",
          "[hub][store][events][postgresql]") {
    TestDatabase sqlite(hub_test::kSqlite);
    TestDatabase postgresql(hub_test::kPostgresql);
    auto first = sqlite.open();
    auto second = postgresql.open();
    const std::string hash(64, 'c');
    const core::Timestamp t0 = core::parse_rfc3339("2026-03-01T10:00:00.250Z").value();
    // The same events, batches and times into each: kiosks of two regions, a heartbeat without a sku, and
    // feedback that a receipt verifies.
    std::vector<std::pair<KioskIdentity, std::vector<IncomingEvent>>> batches;
    for (int i = 0; i < 7; ++i) {
        const KioskIdentity sender =
            i % 3 == 0 ? KioskIdentity{"k-s", "s-2", "south"} : KioskIdentity{"k-n", "s-1", "north"};
        std::vector<IncomingEvent> batch;
        batch.push_back(incoming(hub_test::make_event(core::EventType::FmotReaction)));
        batch.push_back(incoming(hub_test::make_event(core::EventType::KioskHeartbeat)));
        core::Event answer = hub_test::make_event(core::EventType::SmotFeedback);
        answer.sku = "sku-" + std::to_string(i % 2);
        answer.data["receipt_hash"] = hash;
        batch.push_back(incoming(answer));
        batches.emplace_back(sender, std::move(batch));
    }
    for (Store* store : {first.get(), second.get()}) {
        hub_test::enrol(*store, "k-n", "s-1", "north");
        hub_test::enrol(*store, "k-s", "s-2", "south");
        for (std::size_t i = 0; i < batches.size(); ++i) {
            REQUIRE(store->store_events(batches[i].first, batches[i].second, t0 + i * std::chrono::minutes(1)));
        }
        REQUIRE(store->store_receipts("s-1", {{hash, t0, {"sku-1"}}}, t0)->verified_events == 2);
    }

    const auto all = read_all(*first);
    REQUIRE(all.size() == 21);
    for (const auto& region : {std::optional<std::string>{}, std::optional<std::string>("north")}) {
        CAPTURE(region.value_or("every region"));
        const auto pages = read_pages(*first, 4, region);
        const auto same = read_pages(*second, 4, region);
        REQUIRE(pages.size() == same.size());
        std::vector<StoredEvent> paged;
        for (std::size_t p = 0; p < pages.size(); ++p) {
            REQUIRE(pages[p].size() == same[p].size());
            for (std::size_t e = 0; e < pages[p].size(); ++e) {
                CHECK(fields(pages[p][e]) == fields(same[p][e]));
                paged.push_back(pages[p][e]);
            }
        }
        // Pages hold the export's events, in its order; a region keeps only its kiosks'.
        std::vector<StoredEvent> exported;
        for (const StoredEvent& event : all) {
            if (!region || event.kiosk_id == "k-n") exported.push_back(event);
        }
        REQUIRE(paged.size() == exported.size());
        for (std::size_t e = 0; e < paged.size(); ++e) CHECK(fields(paged[e]) == fields(exported[e]));
        CHECK(pages.size() == (exported.size() + 3) / 4);
    }
    const auto exported = read_all(*second);
    REQUIRE(exported.size() == all.size());
    for (std::size_t e = 0; e < all.size(); ++e) CHECK(fields(all[e]) == fields(exported[e]));
    CHECK(std::count_if(all.begin(), all.end(), [](const StoredEvent& e) { return e.verified_purchase; }) == 2);
    CHECK(all[1].sku.empty());
    CHECK(all[0].occurred_at == core::format_rfc3339(batches[0].second[0].event.occurred_at));
    CHECK(all[3].received_at == "2026-03-01T10:01:00.250Z");
    CHECK(read_pages(*second, 4, std::string("nowhere")).empty());
}

TEST_CASE("an export under way holds up no ingest, and sees the events as they were when it began",
          "[hub][store][export]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    const KioskIdentity kiosk{"k-1", "s-1", ""};
    std::vector<IncomingEvent> before;
    for (int i = 0; i < 3; ++i) before.push_back(incoming(hub_test::make_event(core::EventType::KioskHeartbeat)));
    REQUIRE(store->store_events(kiosk, before, core::now_utc()));

    const auto late = hub_test::make_event(core::EventType::KioskHeartbeat);
    std::future<Result<std::vector<EventOutcome>>> stored;
    bool stored_during_export = false;
    std::vector<std::string> exported;
    REQUIRE(store->for_each_event({}, [&](const StoredEvent& event) {
        if (exported.empty()) {
            // Mid-export, with the export's read still open: a batch must go through.
            stored = std::async(std::launch::async,
                                [&] { return store->store_events(kiosk, {incoming(late)}, core::now_utc()); });
            stored_during_export = stored.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
        }
        exported.push_back(event.id);
        return stored_during_export;  // else end the export, so the batch can finish
    }));
    CHECK(stored_during_export);
    REQUIRE(stored.get());
    CHECK(exported.size() == 3);  // not the late one
    CHECK(read_all(*store).size() == 4);
}

TEST_CASE("events flagged as misuse are stored and counted apart", "[hub][store][misuse]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    auto hammered = hub_test::make_event(core::EventType::FmotReaction);
    hammered.data["misuse"] = true;
    const auto honest = hub_test::make_event(core::EventType::FmotReaction);
    REQUIRE(store->store_events({"k-1", "s-1", ""}, {incoming(hammered), incoming(honest)}, core::now_utc()));

    auto stats = store->stats();
    REQUIRE(stats);
    CHECK(stats->total_events == 2);
    CHECK(stats->misuse_events == 1);
    CHECK(stats->by_type[static_cast<std::size_t>(core::EventType::FmotReaction)] == 1);
    REQUIRE(stats->by_store.size() == 1);
    CHECK(stats->by_store[0].total == 1);
    CHECK(read_all(*store).size() == 2);  // kept for export
}

TEST_CASE("a large batch is stored in one go and read back in the order sent", "[hub][store][ingest]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    std::vector<IncomingEvent> batch;
    for (int i = 0; i < 6000; ++i) batch.push_back(incoming(hub_test::make_event(core::EventType::KioskHeartbeat)));
    // Sent newest first: the export follows the order received, not the ids.
    std::reverse(batch.begin(), batch.end());
    auto outcome = store->store_events({"k-1", "s-1", ""}, batch, core::now_utc());
    REQUIRE(outcome);
    CHECK(std::count(outcome->begin(), outcome->end(), EventOutcome::Stored) == 6000);
    const auto events = read_all(*store);
    REQUIRE(events.size() == 6000);
    bool in_order = true;
    for (std::size_t i = 0; i < events.size(); ++i) in_order = in_order && events[i].id == batch[i].event.id;
    CHECK(in_order);
}

TEST_CASE("kiosk configuration documents are versioned per scope", "[hub][store][config]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    const core::Timestamp t0 = core::parse_rfc3339("2026-05-01T08:00:00.000Z").value();
    const std::string first = R"({"format":1,"products":[]})";
    const std::string second = R"({"format":1,"products":[{"sku":"a"}]})";

    CHECK_FALSE(store->get_config(kChainWideScope).value());
    auto put = store->put_config(kChainWideScope, first, "\"sha256-1\"", t0);
    REQUIRE(put);
    CHECK(put->changed);
    CHECK(put->record.version == 1);

    SECTION("the same etag again changes nothing") {
        auto again = store->put_config(kChainWideScope, first, "\"sha256-1\"", t0 + std::chrono::hours(1));
        REQUIRE(again);
        CHECK_FALSE(again->changed);
        CHECK(again->record.version == 1);
        CHECK(again->record.updated_at == t0);
    }
    SECTION("a new document bumps the version and is read back as stored") {
        auto changed = store->put_config(kChainWideScope, second, "\"sha256-2\"", t0 + std::chrono::hours(1));
        REQUIRE(changed);
        CHECK(changed->changed);
        CHECK(changed->record.version == 2);
        auto read = store->get_config(kChainWideScope).value();
        REQUIRE(read);
        CHECK(read->scope == "*");
        CHECK(read->document == second);
        CHECK(read->etag == "\"sha256-2\"");
        CHECK(read->updated_at == t0 + std::chrono::hours(1));
    }
    SECTION("scopes are apart: no fallback at this level") {
        CHECK_FALSE(store->get_config("s-1").value());
        auto own = store->put_config("s-1", second, "\"sha256-2\"", t0);
        REQUIRE(own);
        CHECK(own->record.version == 1);
        CHECK(store->get_config(kChainWideScope).value()->document == first);
    }
}

TEST_CASE("the chain's receipt key is kept once and served with the configuration", "[hub][store][receipt_key]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    CHECK_FALSE(store->get_secret(kReceiptKeySecret).value());

    const auto first = chain_receipt_key(*store, core::now_utc());
    REQUIRE(first);
    CHECK(store->get_secret(kReceiptKeySecret).value() == first->hex());
    CHECK(chain_receipt_key(*store, core::now_utc())->hex() == first->hex());  // kept, not made anew
    CHECK(store->keep_secret(kReceiptKeySecret, std::string(64, '0'), core::now_utc()).value() == first->hex());

    SECTION("a store's kiosks get the key inside their document, and the ETag covers it") {
        auto prepared = prepare_config(R"({"format": 1, "catalog": {"products": [{"sku": "5905471003701",
            "names": {"en": "Strawberry Jam"}}]}, "questions": {"drivers": ["price"], "why_not": ["price"]}})");
        REQUIRE(prepared);
        REQUIRE(store->put_config("s-1", prepared->canonical, prepared->etag, core::now_utc()));
        auto served = served_config(*store, "s-1");
        REQUIRE(served);
        REQUIRE(served->has_value());
        const auto document = core::decode_config_document((*served)->document);
        REQUIRE(document);
        CHECK(document.value().receipt_key == first->hex());
        CHECK((*served)->etag == config_etag((*served)->document));
        CHECK((*served)->etag != prepared->etag);
        CHECK_FALSE(served_config(*store, "s-without-document").value());
    }
}
