// PostgresStore only: numbered migrations under an advisory lock, clear connection errors that keep the
// password out, and two real truthpoint-hub processes on one database receiving the same batches.
// (The storage and HTTP suites shared with SQLite run on both engines elsewhere.)
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "postgres_server.hpp"
#include "support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/postgres_store.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using namespace truthpoint::hub_test;

TEST_CASE("a PostgreSQL database gets the numbered migrations once", "[hub][postgresql][migrations]") {
    TestDatabase database(kPostgresql);
    const std::string latest = std::to_string(PostgresStore::latest_schema_version());

    SECTION("a new database gets every migration, recorded in schema_migrations") {
        { REQUIRE(PostgresStore::open(database.url())); }
        CHECK(database.execute("SELECT max(version) FROM schema_migrations") == latest);
        CHECK(database.execute("SELECT count(*) FROM schema_migrations") == latest);
        for (const char* column : {"received_seq", "id", "kiosk_id", "store_id", "type", "occurred_at", "received_at",
                                   "session_id", "locale", "sku", "data", "payload_hash", "misuse"}) {
            INFO(column);
            CHECK(database.execute(std::string("SELECT count(*) FROM information_schema.columns WHERE "
                                               "table_name = 'events' AND column_name = '") + column + "'") == "1");
        }
    }
    SECTION("reopening keeps the data and does not migrate again") {
        {
            auto store = PostgresStore::open(database.url()).value();
            enrol(*store, "k-1", "s-1");
        }
        auto store = PostgresStore::open(database.url());
        REQUIRE(store);
        CHECK((*store)->list_kiosks().value().size() == 1);
        CHECK(database.execute("SELECT count(*) FROM schema_migrations") == latest);
    }
    SECTION("hubs starting together migrate once") {
        std::vector<std::thread> starters;
        std::atomic<int> opened{0};
        for (int i = 0; i < 4; ++i) {
            starters.emplace_back([&] {
                if (PostgresStore::open(database.url())) ++opened;
            });
        }
        for (auto& starter : starters) starter.join();
        CHECK(opened == 4);
        CHECK(database.execute("SELECT count(*) FROM schema_migrations") == latest);
    }
    SECTION("a database from a newer hub is refused, not touched") {
        { REQUIRE(PostgresStore::open(database.url())); }
        database.execute("INSERT INTO schema_migrations (version) VALUES (99)");
        auto store = open_store(database.url());
        REQUIRE_FALSE(store);
        CHECK(store.error().code == ErrorCode::Unsupported);
        CHECK_THAT(store.error().message,
                   Catch::Contains("schema version 99") && Catch::Contains("newer truthpoint-hub"));
    }
}

TEST_CASE("an unreachable PostgreSQL server is named in the error, without the password", "[hub][postgresql]") {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    auto store = open_store("postgresql://hub:s3cret-pw@127.0.0.1:1/truthpoint");
    REQUIRE_FALSE(store);
    CHECK(store.error().code == ErrorCode::Unavailable);
    CHECK_THAT(store.error().message,
               Catch::Contains("cannot connect to PostgreSQL at 127.0.0.1:1/truthpoint as hub") &&
                   Catch::Contains("is the server running", Catch::CaseSensitive::No));
    CHECK_THAT(store.error().message, !Catch::Contains("s3cret-pw"));

    SECTION("a URL libpq cannot parse") {
        auto opened = open_store("postgresql://hub:s3cret-pw@[::1/truthpoint");
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(opened.error().message, Catch::Contains("cannot be parsed") && !Catch::Contains("s3cret-pw"));
    }
    SECTION("a database that does not exist") {
        const std::string missing = PostgresServer::shared().url("no_such_database");
        auto opened = open_store(missing);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == ErrorCode::Unavailable);
        CHECK_THAT(opened.error().message, Catch::Contains("no_such_database") && Catch::Contains("does not exist"));
    }
}

TEST_CASE("two hub processes on one PostgreSQL database store the same batches once", "[hub][postgresql][cluster]") {
    TestDatabase database(kPostgresql);
    auto added = run_hub_cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, database.url());
    INFO(added.err);
    REQUIRE(added.exit_code == 0);
    const std::string token = split_lines(added.out).back();

    ServeProcess first(database.url());
    ServeProcess second(database.url());
    const int ports[2] = {first.wait_for_port(), second.wait_for_port()};

    constexpr int kBatches = 20;
    constexpr int kEventsPerBatch = 500;
    std::vector<std::string> bodies;
    for (int b = 0; b < kBatches; ++b) {
        std::vector<core::Event> events;
        for (int i = 0; i < kEventsPerBatch; ++i) {
            const auto type = core::kAllEventTypes[static_cast<std::size_t>(i) % core::kAllEventTypes.size()];
            events.push_back(make_event(type));
        }
        bodies.push_back(batch_body(events, "batch-" + std::to_string(b)));
    }

    // Both hubs get every batch at the same time. No Catch2 assertions on these
    // threads (Catch2 2.x is not thread-safe): they record, the test checks afterwards.
    struct Answer {
        int status = 0;
        std::string body;
    };
    std::vector<Answer> answers[2] = {std::vector<Answer>(kBatches), std::vector<Answer>(kBatches)};
    std::atomic<int> ready{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> senders;
    for (int hub = 0; hub < 2; ++hub) {
        senders.emplace_back([&, hub] {
            httplib::Client client("127.0.0.1", ports[hub]);
            client.set_read_timeout(60);
            ++ready;
            while (ready < 2) std::this_thread::yield();
            // The second hub takes them newest first, so that the two meet half-way and each stores some.
            for (int i = 0; i < kBatches; ++i) {
                const int b = hub == 0 ? i : kBatches - 1 - i;
                auto result = client.Post("/api/v1/batches", {{"Authorization", "Bearer " + token}}, bodies[b],
                                          "application/json");
                if (result) answers[hub][b] = {result->status, result->body};
            }
        });
    }
    for (auto& sender : senders) sender.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    int accepted[2] = {0, 0};
    int duplicates[2] = {0, 0};
    for (int b = 0; b < kBatches; ++b) {
        int batch_accepted = 0;
        int batch_duplicates = 0;
        for (int hub = 0; hub < 2; ++hub) {
            INFO("hub " << hub << ", batch " << b << ": " << answers[hub][b].body);
            REQUIRE(answers[hub][b].status == 200);
            auto decoded = core::decode_batch_reply(answers[hub][b].body);
            REQUIRE(decoded);
            const core::BatchReply* reply = &decoded.value();
            CHECK(reply->rejected.empty());  // nothing conflicts
            CHECK(reply->accepted + reply->duplicates == kEventsPerBatch);
            batch_accepted += reply->accepted;
            batch_duplicates += reply->duplicates;
            accepted[hub] += reply->accepted;
            duplicates[hub] += reply->duplicates;
        }
        // Each event accepted by exactly one hub and a duplicate at the other.
        CHECK(batch_accepted == kEventsPerBatch);
        CHECK(batch_duplicates == kEventsPerBatch);
    }
    CHECK(accepted[0] + accepted[1] == kBatches * kEventsPerBatch);

    // Both hubs' rollup workers fold, with no reader asking: within seconds every event is counted, once.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (database.execute("SELECT folded_through FROM rollup_progress") !=
               database.execute("SELECT max(received_seq) FROM events") &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(database.execute("SELECT folded_through FROM rollup_progress") ==
          database.execute("SELECT max(received_seq) FROM events"));
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE tier = 'store_totals_month' AND question = 'type'") ==
          std::to_string(kBatches * kEventsPerBatch));

    auto store = database.open();
    CHECK(store->stats().value().total_events == kBatches * kEventsPerBatch);
    CHECK(database.execute("SELECT count(DISTINCT id) FROM events") == std::to_string(kBatches * kEventsPerBatch));

    std::printf("two hubs on one PostgreSQL: %d batches x %d events sent to both in %.2f s "
                "(%.0f events/s offered, %.0f stored/s); accepted %d + %d, duplicates %d + %d\n",
                kBatches, kEventsPerBatch, seconds, 2.0 * kBatches * kEventsPerBatch / seconds,
                kBatches * kEventsPerBatch / seconds, accepted[0], accepted[1], duplicates[0], duplicates[1]);

    CHECK(first.stop(SIGTERM).first == 0);
    CHECK(second.stop(SIGTERM).first == 0);
}
