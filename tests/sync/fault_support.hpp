// Helpers shared by the fault-injection and quarantine tests: fill a kiosk ledger fast, drain it the
// way a kiosk would (push, back off, push again), and check the hub holds each event exactly once.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "hub_fixture.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/sync/backoff.hpp"
#include "truthpoint/sync/uploader.hpp"

namespace truthpoint::testing {

// Appends `count` valid FMOT reactions to the ledger at `path` in one transaction, frozen with
// core::encode_event exactly as Ledger::append does (append commits each event with synchronous=FULL:
// ~20,000 fsyncs would dominate the suite). Returns the ids in capture order.
inline std::vector<std::string> fill_ledger(const std::string& path, int count) {
    auto migrated = app::Ledger::open(path).value();  // creates the schema
    core::sqlite::Connection db(path);
    core::UuidV7Generator ids;
    std::vector<std::string> written;
    written.reserve(static_cast<std::size_t>(count));
    core::sqlite::Transaction transaction(db);
    auto insert = db.prepare("INSERT INTO events (id, type, occurred_at, payload) VALUES (?1, ?2, ?3, ?4)");
    for (int i = 0; i < count; ++i) {
        core::Event event;
        event.id = ids.next();
        event.type = core::EventType::FmotReaction;
        event.occurred_at = core::now_utc();
        event.session_id = ids.next();
        event.locale = i % 3 ? "fa" : "el";
        event.sku = "sku-" + std::to_string(i % 11);
        event.data = {{"reaction", i % 2 ? "happy" : "unhappy"}, {"ms_to_react", 900 + i % 5000}};
        if (const auto invalid = core::validate_event(event)) FAIL("fill_ledger wrote an invalid event: " << *invalid);
        insert.bind(1, event.id)
            .bind(2, core::to_string(event.type))
            .bind(3, core::format_rfc3339(event.occurred_at))
            .bind(4, core::encode_event(event))
            .run();
        insert.reset();
        written.push_back(event.id);
    }
    transaction.commit();
    return written;
}

struct DrainTotals {
    int pushes = 0;
    int failures = 0;  // pushes that stopped early (Retryable): the kiosk saw a fault
    std::int64_t delivered = 0;
    std::int64_t duplicates = 0;
    std::int64_t quarantined = 0;
    std::vector<std::string> errors;  // the first few, for the report
};

// Short timeouts so that a stalled answer costs seconds, not minutes.
inline sync::TransportOptions quick_transport() {
    sync::TransportOptions options;
    options.connect_timeout = std::chrono::milliseconds(500);
    options.total_timeout = std::chrono::milliseconds(2000);
    return options;
}

// What a kiosk does: push until the ledger is empty, backing off with jitter between failures and
// never sooner than a Retry-After. Any refusal (a person must act) ends the test.
inline DrainTotals drain(app::Ledger& ledger, const sync::HubEndpoint& endpoint,
                         std::chrono::seconds limit = std::chrono::seconds(90)) {
    DrainTotals totals;
    sync::HubClient client(endpoint, quick_transport());
    sync::Backoff backoff(std::chrono::milliseconds(10), std::chrono::milliseconds(200), 42);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const sync::SyncReport report = sync::push_pending(ledger, client);
        ++totals.pushes;
        totals.delivered += report.delivered;
        totals.duplicates += report.duplicates;
        totals.quarantined += report.quarantined;
        if (report.ok()) break;
        ++totals.failures;
        if (totals.errors.size() < 5) totals.errors.push_back(report.error.message);
        INFO("push " << totals.pushes << ": " << report.error.message);
        REQUIRE(report.stop == sync::StopReason::Retryable);
        REQUIRE(std::chrono::steady_clock::now() < deadline);
        std::this_thread::sleep_for(backoff.next_delay(report.error.retry_after));
    }
    return totals;
}

// The hub holds every event of `expected` exactly once, and the ledger has every one delivered.
inline void require_exactly_once(hub::Store& store, const std::string& ledger_path,
                                 const std::vector<std::string>& expected) {
    const auto stats = store.stats();
    REQUIRE(stats);
    CHECK(stats.value().total_events == static_cast<std::int64_t>(expected.size()));

    std::int64_t rows = 0;
    std::set<std::string> at_hub;
    REQUIRE(store.for_each_event({}, [&](const hub::StoredEvent& event) {
        ++rows;
        at_hub.insert(event.id);
        return true;
    }));
    CHECK(rows == static_cast<std::int64_t>(expected.size()));
    CHECK(at_hub.size() == expected.size());  // 0 duplicated
    CHECK(at_hub == std::set<std::string>(expected.begin(), expected.end()));  // 0 lost, nothing foreign

    auto ledger = app::Ledger::open(ledger_path).value();
    const auto status = ledger.status().value();
    CHECK(status.pending == 0);
    CHECK(status.quarantined == 0);
    CHECK(status.delivered == static_cast<std::int64_t>(expected.size()));
    CHECK_FALSE(status.last_error);
}

// Every id in the ledger, in capture order (heartbeats included).
inline std::vector<std::string> ledger_ids(const std::string& path) {
    core::sqlite::Connection db(path);
    std::vector<std::string> ids;
    auto query = db.prepare("SELECT id FROM events ORDER BY seq");
    while (query.step()) ids.push_back(query.column_text(0));
    return ids;
}

}  // namespace truthpoint::testing
