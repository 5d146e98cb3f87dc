// The storage suite shared by both engines: every test case runs once on SQLite and once on a real
// PostgreSQL server (postgres_server.hpp) — kiosks, events stored once, duplicates and conflicts, a
// batch as one transaction, received order, filters, counts with misuse left out, the kiosk
// configuration documents, rollups equal to counting the raw events, verified purchases in both orders,
// clock skew, and a group of batches as one transaction.
#include <catch2/catch.hpp>

#include <algorithm>
#include <future>
#include <map>
#include <random>

#include "../../hub/src/local_time.hpp"
#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;
using truthpoint::hub_test::feedback;
using truthpoint::hub_test::incoming;
using truthpoint::hub_test::kReceiptHashA;
using truthpoint::hub_test::kReceiptHashB;
using truthpoint::hub_test::poison_inserts;
using truthpoint::hub_test::verified_by_id;

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
    const std::string old_token = hub_test::enrol(*store, "k-2", "s-1", "north").token;
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
    SECTION("a new token replaces the old one and lifts a revocation; the kiosk stays itself") {
        const auto revoked_at = store->revoke_kiosk("k-2", core::now_utc()).value().revoked_at;
        REQUIRE(revoked_at);
        CHECK(store->find_kiosk_by_token_hash(hash_token(old_token)).value());  // until the new one is given
        auto before = store->rotate_kiosk_token("k-2", hash_token("the new token"));
        REQUIRE(before);
        CHECK(before->revoked_at == revoked_at);
        CHECK(before->store_id == "s-1");
        CHECK_FALSE(store->find_kiosk_by_token_hash(hash_token(old_token)).value());
        const auto found = store->find_kiosk_by_token_hash(hash_token("the new token")).value();
        REQUIRE(found);
        CHECK(found->kiosk_id == "k-2");
        CHECK(found->region == "north");
        CHECK_FALSE(found->revoked_at);
        CHECK(store->list_kiosks().value().size() == 2);

        auto unknown = store->rotate_kiosk_token("k-404", hash_token("x"));
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().code == ErrorCode::NotFound);
        CHECK_THAT(unknown.error().message, Catch::Contains("k-404"));
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

TEST_CASE("a rotated receipt key is kept, and kiosks hold it beside the new one for a while", "[hub][store][receipt_key]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    const auto t0 = core::now_utc() - std::chrono::hours(2);  // served_config reads the real clock
    const auto old_key = chain_receipt_key(*store, t0);
    REQUIRE(old_key);
    auto prepared = prepare_config(R"({"format": 1, "catalog": {"products": [{"sku": "5905471003701",
        "names": {"en": "Strawberry Jam"}}]}, "questions": {"drivers": ["price"], "why_not": ["price"]}})");
    REQUIRE(prepared);
    REQUIRE(store->put_config("s-1", prepared->canonical, prepared->etag, t0));
    const std::string etag_before = served_config(*store, "s-1").value()->etag;

    const auto rotation = rotate_chain_receipt_key(*store, t0, std::chrono::hours(24) * 90);
    REQUIRE(rotation);
    CHECK(rotation->fresh.hex() != old_key->hex());
    CHECK(rotation->kiosks_until == t0 + std::chrono::hours(24) * 90);
    CHECK(chain_receipt_key(*store, t0)->hex() == rotation->fresh.hex());
    const auto retired = store->retired_receipt_keys();
    REQUIRE(retired);
    REQUIRE(retired->size() == 1);
    CHECK(retired->front().key == old_key->hex());
    CHECK(retired->front().retired_at == t0);

    const auto served = served_config(*store, "s-1").value();
    REQUIRE(served);
    const auto document = core::decode_config_document(served->document).value();
    CHECK(document.receipt_key == rotation->fresh.hex());
    CHECK(document.earlier_receipt_key == old_key->hex());
    CHECK(served->etag != etag_before);  // kiosks polling with If-None-Match get the new keys

    const auto held = chain_receipt_keys_held(*store);
    REQUIRE(held);
    REQUIRE(held->size() == 2);
    CHECK(held->at(0).hex() == rotation->fresh.hex());
    CHECK(held->at(1).hex() == old_key->hex());

    SECTION("a rotation from a key no longer current changes nothing") {
        auto stale = store->rotate_receipt_key(old_key->hex(), std::string(64, '1'), t0, t0);
        REQUIRE_FALSE(stale);
        CHECK(stale.error().code == ErrorCode::Conflict);
        CHECK(chain_receipt_key(*store, t0)->hex() == rotation->fresh.hex());
        CHECK(store->retired_receipt_keys()->size() == 1);
    }
    SECTION("once the kiosks' time is over, only the current key is served, and every key is still held") {
        REQUIRE(rotate_chain_receipt_key(*store, t0 + std::chrono::seconds(1), std::chrono::seconds(0)));
        const auto later = core::decode_config_document(served_config(*store, "s-1").value()->document).value();
        CHECK(later.earlier_receipt_key.empty());
        CHECK(chain_receipt_keys_held(*store)->size() == 3);
        CHECK(store->retired_receipt_keys()->front().key == rotation->fresh.hex());  // newest first
    }
}

TEST_CASE("rollups equal counting the raw events after a random mix of batches", "[hub][store][rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");

    std::mt19937 random(42);
    const std::vector<core::EventType> types{core::EventType::FmotReaction, core::EventType::FmotIntent,
                                             core::EventType::SmotFeedback, core::EventType::SessionStart};
    std::vector<IncomingEvent> sent;
    std::vector<BatchToStore> groups;
    for (int batch = 0; batch < 12; ++batch) {
        BatchToStore next{{batch % 2 ? "k-2" : "k-1", batch % 2 ? "s-2" : "s-1", ""}, {}, core::now_utc()};
        for (int i = 0; i < 25; ++i) {
            core::Event event = hub_test::make_event(types[random() % types.size()], "sku-" + std::to_string(random() % 3));
            event.occurred_at -= std::chrono::hours(random() % 5);
            if (random() % 7 == 0) event.data["misuse"] = true;
            next.events.push_back(incoming(event));
        }
        // Resends of earlier events: duplicates, which must not count twice.
        for (int i = 0; i < 5 && !sent.empty(); ++i) next.events.push_back(sent[random() % sent.size()]);
        for (const auto& event : next.events) sent.push_back(event);
        if (batch % 2) {
            REQUIRE(store->store_events(next.sender, next.events, next.received_at));
        } else {
            groups.push_back(std::move(next));
        }
    }
    for (const auto& result : store->store_batches(groups)) REQUIRE(result);

    auto stats = store->stats();
    REQUIRE(stats);
    // The same counts straight from the events.
    const std::string misuse = database.is_postgresql() ? "misuse" : "misuse = 1";
    const std::string not_misuse = database.is_postgresql() ? "NOT misuse" : "misuse = 0";
    CHECK(std::to_string(stats->total_events) == database.execute("SELECT count(*) FROM events"));
    CHECK(std::to_string(stats->misuse_events) == database.execute("SELECT count(*) FROM events WHERE " + misuse));
    for (const StoreCounts& counts : stats->by_store) {
        CAPTURE(counts.store_id);
        CHECK(std::to_string(counts.total) ==
              database.execute("SELECT count(*) FROM events WHERE " + not_misuse + " AND store_id = '" +
                               counts.store_id + "'"));
        for (std::size_t t = 0; t < core::kAllEventTypes.size(); ++t) {
            const std::string type(core::to_string(core::kAllEventTypes[t]));
            CHECK(std::to_string(counts.by_type[t]) ==
                  database.execute("SELECT count(*) FROM events WHERE " + not_misuse + " AND store_id = '" +
                                   counts.store_id + "' AND type = '" + type + "'"));
        }
        for (std::size_t r = 0; r < core::kAllReactions.size(); ++r) {
            const std::string reaction(core::to_string(core::kAllReactions[r]));
            const std::string field = database.is_postgresql() ? "data->>'reaction'" : "json_extract(data, '$.reaction')";
            CHECK(std::to_string(counts.reactions[r]) ==
                  database.execute("SELECT count(*) FROM events WHERE " + not_misuse + " AND store_id = '" +
                                   counts.store_id + "' AND type = 'fmot.reaction' AND " + field + " = '" + reaction +
                                   "'"));
        }
    }
    // Rows `k` of `select` joined in order.
    const auto joined = [&](const std::string& select) {
        return database.execute(database.is_postgresql()
                                    ? "SELECT string_agg(k, '|' ORDER BY k) FROM (" + select + ") x"
                                    : "SELECT group_concat(k, '|') FROM (" + select + " ORDER BY 1)");
    };
    const std::string as_digit = "CASE WHEN misuse THEN 1 ELSE 0 END";
    // Per store, month (no store has a zone: UTC), type and misuse, as the stats' tier counts them.
    const std::string month = database.is_postgresql() ? "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM')"
                                                       : "substr(occurred_at, 1, 7)";
    const std::string types_from_events =
        joined("SELECT store_id || '/' || " + month + " || '/' || type || '/' || " + as_digit +
               " || '/' || count(*) AS k FROM events GROUP BY store_id, " + month + ", type, misuse");
    CHECK_FALSE(types_from_events.empty());
    CHECK(types_from_events == joined("SELECT place || '/' || period || '/' || answer || '/' || " + as_digit +
                                      " || '/' || sum(events) AS k FROM rollup_tiers WHERE tier = 'store_totals_month' "
                                      "AND question = 'type' GROUP BY place, period, answer, misuse"));
    // The region tiers hold rollup_answers' counts summed over stores (every kiosk here has region ''), and
    // over products in region_day.
    const std::string answers_by_day = joined(
        "SELECT local_date || '/' || question || '/' || answer || '/' || " + as_digit +
        " || '/' || sum(events) AS k FROM rollup_answers GROUP BY local_date, question, answer, misuse");
    CHECK_FALSE(answers_by_day.empty());
    CHECK(answers_by_day == joined("SELECT period || '/' || question || '/' || answer || '/' || " + as_digit +
                                   " || '/' || sum(events) AS k FROM rollup_tiers WHERE tier = 'region_day' "
                                   "GROUP BY period, question, answer, misuse"));
    CHECK(joined("SELECT sku || '/' || local_date || '/' || question || '/' || answer || '/' || " + as_digit +
                 " || '/' || sum(events) AS k FROM rollup_answers WHERE sku <> '' "
                 "GROUP BY sku, local_date, question, answer, misuse") ==
          joined("SELECT sku || '/' || period || '/' || question || '/' || answer || '/' || " + as_digit +
                 " || '/' || sum(events) AS k FROM rollup_tiers WHERE tier = 'region_product_day' "
                 "GROUP BY sku, period, question, answer, misuse"));
}

TEST_CASE("feedback is a verified purchase whichever arrives first", "[hub][store][receipts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const KioskIdentity kiosk{"k-1", "s-1", ""};
    const Receipt receipt{kReceiptHashA, core::now_utc(), {"sku-1", "sku-2"}};

    SECTION("feedback first, receipt later") {
        const core::Event bought = feedback("sku-1", kReceiptHashA);
        const core::Event not_on_receipt = feedback("sku-9", kReceiptHashA);
        const core::Event other_receipt = feedback("sku-1", kReceiptHashB);
        REQUIRE(store->store_events(kiosk, {incoming(bought), incoming(not_on_receipt), incoming(other_receipt)},
                                    core::now_utc()));
        CHECK_FALSE(verified_by_id(*store)[bought.id]);
        auto stored = store->store_receipts("s-1", {receipt}, core::now_utc());
        REQUIRE(stored);
        CHECK(stored->stored == 1);
        CHECK(stored->verified_events == 1);
        auto verified = verified_by_id(*store);
        CHECK(verified[bought.id]);
        CHECK_FALSE(verified[not_on_receipt.id]);
        CHECK_FALSE(verified[other_receipt.id]);

        SECTION("the same receipt again is a duplicate and changes nothing") {
            auto again = store->store_receipts("s-1", {receipt}, core::now_utc());
            REQUIRE(again);
            CHECK(again->stored == 0);
            CHECK(again->duplicates == 1);
        }
    }
    SECTION("receipt first, feedback later") {
        REQUIRE(store->store_receipts("s-1", {receipt}, core::now_utc()));
        const core::Event bought = feedback("sku-2", kReceiptHashA);
        core::Event review = hub_test::make_event(core::EventType::UmotReview, "sku-1");
        review.sku = "sku-1";
        review.data["receipt_hash"] = std::string(64, 'A');  // hex case does not matter
        const core::Event other_store = feedback("sku-2", kReceiptHashA);
        REQUIRE(store->store_events(kiosk, {incoming(bought), incoming(review)}, core::now_utc()));
        REQUIRE(store->store_events({"k-2", "s-2", ""}, {incoming(other_store)}, core::now_utc()));
        auto verified = verified_by_id(*store);
        CHECK(verified[bought.id]);
        CHECK(verified[review.id]);
        CHECK_FALSE(verified[other_store.id]);  // a receipt of another store verifies nothing
    }
    SECTION("every post-purchase answer with the receipt's hash is verified, a sorry card is not an answer") {
        std::vector<core::Event> answers;
        for (const auto type : {core::EventType::SmotExpectations, core::EventType::SmotRecommend,
                                core::EventType::SmotTopics, core::EventType::SmotComment, core::EventType::UmotConsent}) {
            core::Event answer = hub_test::make_event(type, "sku-2");
            answer.data["receipt_hash"] = kReceiptHashA;
            answers.push_back(answer);
        }
        const core::Event unverified = hub_test::make_event(core::EventType::SmotRecommend, "sku-2");  // no receipt given
        std::vector<IncomingEvent> batch;
        for (const auto& answer : answers) batch.push_back(incoming(answer));
        batch.push_back(incoming(unverified));
        REQUIRE(store->store_events(kiosk, batch, core::now_utc()));
        auto stored = store->store_receipts("s-1", {receipt}, core::now_utc());
        REQUIRE(stored);
        CHECK(stored->verified_events == static_cast<std::int64_t>(answers.size()));
        auto verified = verified_by_id(*store);
        for (const auto& answer : answers) {
            INFO(core::to_string(answer.type));
            CHECK(verified[answer.id]);
        }
        CHECK_FALSE(verified[unverified.id]);
    }
    SECTION("after a rotation, a receipt the till sent under the earlier key verifies feedback hashed under both") {
        REQUIRE(store->store_receipts("s-1", {receipt}, core::now_utc()));  // kReceiptHashA: under the earlier key
        core::Event both = feedback("sku-1", kReceiptHashB);                 // kReceiptHashB: under the new key
        both.data["earlier_receipt_hash"] = kReceiptHashA;
        core::Event new_only = feedback("sku-2", kReceiptHashB);
        REQUIRE(store->store_events(kiosk, {incoming(both), incoming(new_only)}, core::now_utc()));
        auto verified = verified_by_id(*store);
        CHECK(verified[both.id]);
        CHECK_FALSE(verified[new_only.id]);
        SECTION("and a receipt sent under the new key verifies the feedback hashed under it alone") {
            REQUIRE(store->store_receipts("s-1", {{kReceiptHashB, core::now_utc(), {"sku-2"}}}, core::now_utc()));
            CHECK(verified_by_id(*store)[new_only.id]);
        }
    }
    SECTION("feedback hashed under both keys is filed under the new key when the store holds neither receipt yet") {
        core::Event both = feedback("sku-1", kReceiptHashB);
        both.data["earlier_receipt_hash"] = kReceiptHashA;
        REQUIRE(store->store_events(kiosk, {incoming(both)}, core::now_utc()));
        CHECK_FALSE(verified_by_id(*store)[both.id]);
        auto stored = store->store_receipts("s-1", {{kReceiptHashB, core::now_utc(), {"sku-1"}}}, core::now_utc());
        REQUIRE(stored);
        CHECK(stored->verified_events == 1);
        CHECK(verified_by_id(*store)[both.id]);
    }
}

TEST_CASE("a kiosk's clock skew is recorded with every batch", "[hub][store][skew]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    CHECK_FALSE(store->list_kiosks().value()[0].last_seen_at);
    const auto received = core::now_utc();
    core::Event older = hub_test::make_event(core::EventType::SessionStart);
    core::Event newest = hub_test::make_event(core::EventType::SessionStart);
    older.occurred_at = received - std::chrono::minutes(10);
    newest.occurred_at = received + std::chrono::seconds(90);  // the kiosk's clock runs 90 s ahead
    REQUIRE(store->store_events({"k-1", "s-1", ""}, {incoming(older), incoming(newest)}, received));
    const KioskRecord kiosk = store->list_kiosks().value()[0];
    REQUIRE(kiosk.last_seen_at);
    CHECK(*kiosk.last_seen_at == received);
    CHECK(kiosk.clock_skew_ms == -90'000);
    // Both times are kept on the event.
    REQUIRE(store->for_each_event({}, [&](const StoredEvent& event) {
        CHECK(event.received_at == core::format_rfc3339(received));
        return true;
    }));
}

TEST_CASE("a group of batches is one transaction, yet a failing batch fails alone", "[hub][store][group]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::poison_inserts(database);  // a failure part-way through one batch
    std::vector<BatchToStore> group;
    for (const char* last_sku : {"sku-1", "poison", "sku-2"}) {
        group.push_back({{"k-1", "s-1", ""},
                         {incoming(hub_test::make_event(core::EventType::FmotReaction)),
                          incoming(hub_test::make_event(core::EventType::FmotReaction, last_sku))},
                         core::now_utc()});
    }
    auto results = store->store_batches(group);
    REQUIRE(results.size() == 3);
    CHECK(results[0]);
    CHECK_FALSE(results[1]);
    CHECK(results[2]);
    auto stats = store->stats();
    REQUIRE(stats);
    CHECK(stats->total_events == 4);  // nothing of the failed batch, in the events or in the rollups
    CHECK(database.execute("SELECT count(*) FROM events") == "4");
}

TEST_CASE("an export by the dashboard's filter holds exactly the events an independent count selects",
          "[hub][store][export]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    // Tehran is UTC+03:30 all year; New York changes its clocks on 2026-03-08; s-utc has no row: UTC.
    database.execute("INSERT INTO stores (store_id, time_zone, name, updated_at) VALUES "
                     "('s-teh', 'Asia/Tehran', 'Tehran', '2026-01-01T00:00:00.000Z'), "
                     "('s-ny', 'America/New_York', 'New York', '2026-01-01T00:00:00.000Z')");
    hub_test::enrol(*store, "k-teh", "s-teh", "east");
    hub_test::enrol(*store, "k-ny", "s-ny", "west");
    hub_test::enrol(*store, "k-utc", "s-utc", "west");
    const std::map<std::string, std::string> zone_of = {{"s-teh", "Asia/Tehran"}, {"s-ny", "America/New_York"},
                                                        {"s-utc", "UTC"}};
    const std::map<std::string, std::string> region_of = {{"s-teh", "east"}, {"s-ny", "west"}, {"s-utc", "west"}};
    const std::map<std::string, KioskIdentity> sender_of = {{"s-teh", {"k-teh", "s-teh", "east"}},
                                                            {"s-ny", {"k-ny", "s-ny", "west"}},
                                                            {"s-utc", {"k-utc", "s-utc", "west"}}};

    struct Sent {
        std::string id, store_id, sku;
        core::Timestamp occurred_at;
        bool misuse = false;
    };
    std::vector<Sent> sent;
    const auto send = [&](const std::string& store_id, core::Timestamp occurred_at, const std::string& sku, bool misuse,
                          core::EventType type = core::EventType::FmotReaction) {
        core::Event event = hub_test::make_event(type, sku);
        event.occurred_at = occurred_at;
        if (misuse) event.data["misuse"] = true;
        REQUIRE(store->store_events(sender_of.at(store_id), {incoming(event)}, core::now_utc()));
        sent.push_back({event.id, store_id, event.sku, occurred_at, misuse});
    };
    // Tehran's day 03-10 ends at 20:30Z: one event a moment before, one at it.
    const auto at = [](const char* text) { return core::parse_rfc3339(text).value(); };
    send("s-teh", at("2026-03-10T20:29:59.999Z"), "sku-1", false);
    send("s-teh", at("2026-03-10T20:30:00.000Z"), "sku-1", false);
    // New York's day 03-10 starts at 04:00Z (EDT since 03-08); a UTC store's at 00:00Z.
    send("s-ny", at("2026-03-10T03:59:59.999Z"), "sku-2", false);
    send("s-ny", at("2026-03-10T04:00:00.000Z"), "sku-2", false);
    send("s-utc", at("2026-03-09T23:59:59.999Z"), "sku-1", true);
    send("s-utc", at("2026-03-10T00:00:00.000Z"), "sku-1", false);
    std::mt19937 random(15);
    const std::vector<std::string> stores = {"s-teh", "s-ny", "s-utc"};
    const core::Timestamp start = at("2026-03-06T00:00:00.000Z");
    for (int i = 0; i < 300; ++i) {
        const auto offset = std::chrono::minutes(random() % (9 * 24 * 60));
        const bool heartbeat = random() % 6 == 0;  // no sku
        send(stores[random() % 3], start + offset, random() % 2 ? "sku-1" : "sku-2", random() % 5 == 0,
             heartbeat ? core::EventType::KioskHeartbeat : core::EventType::FmotReaction);
    }

    const auto exported = [&](const EventFilter& filter) {
        std::vector<std::string> ids;
        REQUIRE(store->for_each_event(filter, [&](const StoredEvent& event) {
            ids.push_back(event.id);
            return true;
        }));
        return ids;
    };
    // The independent selection: each event's local day from its own time, on its store's clock.
    const auto selected = [&](const EventFilter& filter) {
        std::vector<std::string> ids;
        for (const Sent& event : sent) {
            const std::string day = TimeZone::named(zone_of.at(event.store_id)).value().local(event.occurred_at).date;
            if (filter.region && region_of.at(event.store_id) != *filter.region) continue;
            if (filter.store_id && event.store_id != *filter.store_id) continue;
            if (filter.sku && event.sku != *filter.sku) continue;
            if (filter.from_day && day < *filter.from_day) continue;
            if (filter.to_day && day > *filter.to_day) continue;
            if (!filter.include_misuse && event.misuse) continue;
            ids.push_back(event.id);
        }
        return ids;
    };

    EventFilter filter;
    SECTION("everything") {}
    SECTION("one region") { filter.region = "west"; }
    SECTION("a region nobody is in") { filter.region = "south"; }
    SECTION("one store") { filter.store_id = "s-ny"; }
    SECTION("one product") { filter.sku = "sku-2"; }
    SECTION("misuse left out") { filter.include_misuse = false; }
    SECTION("one local day") {
        filter.from_day = "2026-03-10";
        filter.to_day = "2026-03-10";
    }
    SECTION("days from, open-ended") { filter.from_day = "2026-03-11"; }
    SECTION("days to, open-ended") { filter.to_day = "2026-03-09"; }
    SECTION("every term at once, as the dashboard sends them") {
        filter.region = "west";
        filter.sku = "sku-1";
        filter.from_day = "2026-03-08";
        filter.to_day = "2026-03-12";
        filter.include_misuse = false;
    }
    const auto expected = selected(filter);
    CHECK(exported(filter) == expected);  // in the order received, which is the order sent here

    SECTION("Tehran's half hour: 20:29:59Z is still the 10th, 20:30Z already the 11th") {
        EventFilter day;
        day.store_id = "s-teh";
        day.from_day = day.to_day = "2026-03-10";
        const auto ids = exported(day);
        CHECK(std::find(ids.begin(), ids.end(), sent[0].id) != ids.end());
        CHECK(std::find(ids.begin(), ids.end(), sent[1].id) == ids.end());
        day.from_day = day.to_day = "2026-03-11";
        const auto next = exported(day);
        CHECK(std::find(next.begin(), next.end(), sent[1].id) != next.end());
    }
    SECTION("a day that does not exist is refused") {
        EventFilter bad;
        bad.from_day = "2026-02-30";
        auto status = store->for_each_event(bad, [](const StoredEvent&) { return true; });
        REQUIRE_FALSE(status);
        CHECK(status.error().code == ErrorCode::InvalidArgument);
    }
}
