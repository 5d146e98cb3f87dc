// Issue 5 on both engines where storage is concerned: rollups equal to counting the raw events, verified
// purchases in both orders, receipts, clock skew; and on SQLite the group commit (one transaction, a
// savepoint per batch), the bounded queue's 503 + Retry-After, GET /metrics and the JSON request log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>

#include "support.hpp"
#include "truthpoint/hub/export.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/ingest_queue.hpp"
#include "truthpoint/hub/sqlite_store.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::RunningHub;
using truthpoint::hub_test::TestDatabase;
using truthpoint::hub_test::incoming;
using truthpoint::hub_test::TempDir;
using Args = std::vector<std::string>;

namespace {

const std::string kHashA(64, 'a');
const std::string kHashB = std::string(63, 'b') + "1";

core::Event feedback(const std::string& sku, const std::string& receipt_hash) {
    core::Event event = hub_test::make_event(core::EventType::SmotFeedback, sku);
    event.sku = sku;
    event.data["receipt_hash"] = receipt_hash;
    return event;
}

std::map<std::string, bool> verified_by_id(Store& store) {
    std::map<std::string, bool> verified;
    REQUIRE(store.for_each_event({}, [&](const StoredEvent& event) {
        verified[event.id] = event.verified_purchase;
        return true;
    }));
    return verified;
}

std::int64_t metric(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(series + " ", 0) == 0) return std::stoll(line.substr(series.size() + 1));
    }
    return -1;
}

std::string pos_token(Store& store, const std::string& pos_id, const std::string& store_id) {
    const std::string token = generate_token().value();
    REQUIRE(store.add_pos({pos_id, store_id, hash_token(token)}, core::now_utc()));
    return token;
}

}  // namespace

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
    // Per hour and product too.
    const std::string hour = database.is_postgresql()
                                 ? "to_char(date_trunc('hour', occurred_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24')"
                                 : "substr(occurred_at, 1, 13)";
    const std::string rollup_hour =
        database.is_postgresql() ? "to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')" : "substr(hour, 1, 13)";
    if (!database.is_postgresql()) {
        CHECK(database.execute("SELECT group_concat(k, '|') FROM (SELECT store_id || ifnull(sku, '') || " + hour +
                               " || type || count(*) AS k FROM events GROUP BY store_id, sku, " + hour + ", type ORDER BY 1)") ==
              database.execute("SELECT group_concat(k, '|') FROM (SELECT store_id || sku || " + rollup_hour +
                               " || type || sum(events) AS k FROM rollup_hourly GROUP BY store_id, sku, hour, type "
                               "ORDER BY 1)"));
    } else {
        CHECK(database.execute("SELECT string_agg(k, '|' ORDER BY k) FROM (SELECT store_id || coalesce(sku, '') || " +
                               hour + " || type || count(*) AS k FROM events GROUP BY store_id, sku, " + hour +
                               ", type) x") ==
              database.execute("SELECT string_agg(k, '|' ORDER BY k) FROM (SELECT store_id || sku || " + rollup_hour +
                               " || type || sum(events) AS k FROM rollup_hourly GROUP BY store_id, sku, hour, type) x"));
    }
    // And the reactions per hour and product: rows `k` of `select` joined in order.
    const auto joined = [&](const std::string& select) {
        return database.execute(database.is_postgresql()
                                    ? "SELECT string_agg(k, '|' ORDER BY k) FROM (" + select + ") x"
                                    : "SELECT group_concat(k, '|') FROM (" + select + " ORDER BY 1)");
    };
    const std::string reaction = database.is_postgresql() ? "(data->>'reaction')" : "json_extract(data, '$.reaction')";
    const std::string reactions_from_events = joined(
        "SELECT store_id || coalesce(sku, '') || " + hour + " || " + reaction + " || count(*) AS k FROM events "
        "WHERE type = 'fmot.reaction' AND " + not_misuse + " AND " + reaction + " IS NOT NULL "
        "GROUP BY store_id, sku, " + hour + ", " + reaction);
    CHECK_FALSE(reactions_from_events.empty());
    CHECK(reactions_from_events ==
          joined("SELECT store_id || sku || " + rollup_hour + " || reaction || sum(events) AS k FROM rollup_reactions "
                 "GROUP BY store_id, sku, hour, reaction"));
}

TEST_CASE("feedback is a verified purchase whichever arrives first", "[hub][store][receipts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    hub_test::enrol(*store, "k-2", "s-2");
    const KioskIdentity kiosk{"k-1", "s-1", ""};
    const Receipt receipt{kHashA, core::now_utc(), {"sku-1", "sku-2"}};

    SECTION("feedback first, receipt later") {
        const core::Event bought = feedback("sku-1", kHashA);
        const core::Event not_on_receipt = feedback("sku-9", kHashA);
        const core::Event other_receipt = feedback("sku-1", kHashB);
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
        const core::Event bought = feedback("sku-2", kHashA);
        core::Event review = hub_test::make_event(core::EventType::UmotReview, "sku-1");
        review.sku = "sku-1";
        review.data["receipt_hash"] = std::string(64, 'A');  // hex case does not matter
        const core::Event other_store = feedback("sku-2", kHashA);
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
            answer.data["receipt_hash"] = kHashA;
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

TEST_CASE("receipts over HTTP: POS tokens, bad input, verified purchases", "[hub][http][receipts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const std::string token = pos_token(hub.store(), "till-1", "s-1");
    auto client = hub.client();
    const auto post = [&](const std::string& body, const std::string& bearer) {
        return client->Post("/api/v1/receipts", {{"Authorization", "Bearer " + bearer}}, body, "application/json");
    };
    const std::string good = R"({"receipts": [{"receipt_hash": ")" + kHashA +
                             R"(", "store": "s-elsewhere", "time": "2026-01-31T10:15:00Z", "skus": ["sku-1"]}]})";

    SECTION("a POS token stores the receipts for its own store, whatever the body says") {
        auto response = post(good, token);
        REQUIRE(response);
        CHECK(response->status == 200);
        const auto body = nlohmann::json::parse(response->body);
        CHECK(body["store"] == "s-1");
        CHECK(body["stored"] == 1);
        // A kiosk of s-1 now sends feedback about it: verified.
        core::Event event = feedback("sku-1", kHashA);
        REQUIRE(hub.post_batch(hub_test::batch_body({event}))->status == 200);
        CHECK(verified_by_id(hub.store())[event.id]);
        // As a BI client and an export see it.
        auto page = client->Get("/api/v1/events", hub.admin_headers());
        REQUIRE(page);
        REQUIRE(page->status == 200);
        const auto events = nlohmann::json::parse(page->body)["events"];
        REQUIRE(events.size() == 1);
        CHECK(events[0]["id"] == event.id);
        CHECK(events[0]["verified_purchase"] == true);
        std::ostringstream exported;
        REQUIRE(hub::export_events(hub.store(), hub::ExportFormat::Ndjson, {}, exported));
        CHECK(nlohmann::json::parse(exported.str())["verified_purchase"] == true);
        auto again = post(good, token);
        CHECK(nlohmann::json::parse(again->body)["duplicates"] == 1);
    }
    SECTION("a revoked till is refused from then on; what it sent stays") {
        REQUIRE(post(good, token)->status == 200);
        auto revoked = hub.store().revoke_pos("till-1", core::now_utc());
        REQUIRE(revoked);
        REQUIRE(revoked->revoked_at);
        auto refused = post(good, token);
        REQUIRE(refused);
        CHECK(refused->status == 401);
        CHECK_THAT(refused->body, Catch::Contains("till-1") && Catch::Contains("revoked"));
        const auto first = *revoked->revoked_at;
        CHECK(hub.store().revoke_pos("till-1", first + std::chrono::hours(1))->revoked_at == first);  // the first time stays
        CHECK(hub.store().revoke_pos("till-404", core::now_utc()).error().code == ErrorCode::NotFound);
    }
    SECTION("a bad or kiosk token is 401") {
        CHECK(post(good, "nope")->status == 401);
        CHECK(post(good, hub.kiosk().token)->status == 401);
        CHECK(client->Post("/api/v1/receipts", good, "application/json")->status == 401);
    }
    SECTION("bad bodies are 400 with a reason, and nothing is stored") {
        for (const std::string& body :
             {std::string(R"({"receipts": [{"receipt_hash": "1234", "time": "2026-01-31T10:15:00Z", "skus": ["a"]}]})"),
              R"({"receipts": [{"receipt_hash": ")" + std::string(64, 'z') +
                  R"(", "time": "2026-01-31T10:15:00Z", "skus": ["a"]}]})",
              R"({"receipts": [{"receipt_hash": ")" + kHashA + R"(", "time": "yesterday", "skus": ["a"]}]})",
              R"({"receipts": [{"receipt_hash": ")" + kHashA + R"(", "time": "2026-01-31T10:15:00Z", "skus": []}]})",
              std::string(R"({"receipts": []})"), std::string("not json")}) {
            CAPTURE(body);
            auto response = post(body, token);
            REQUIRE(response);
            CHECK(response->status == 400);
            CHECK(nlohmann::json::parse(response->body).contains("error"));
        }
        CHECK(hub.stored_events() == 0);
    }
    SECTION("a wrong content type is 415") {
        CHECK(client->Post("/api/v1/receipts", {{"Authorization", "Bearer " + token}}, good, "text/plain")->status ==
              415);
    }
}

TEST_CASE("a full ingest queue answers 503 with Retry-After and stores nothing of the batch", "[hub][http][overload]") {
    ServerOptions options;
    options.ingest.max_queued_batches = 1;
    options.ingest.max_group_batches = 1;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> groups{0};
    options.ingest.before_group = [&](std::size_t) {
        if (groups.fetch_add(1) == 0) released.wait();  // the writer holds its first group until told
    };
    RunningHub hub(options);

    // The first batch is taken by the (stalled) writer, the second fills the one-batch queue.
    auto first = std::async(std::launch::async, [&] {
        auto answer = hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::SessionStart)}));
        return answer ? answer->status : -1;
    });
    while (groups.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto second = std::async(std::launch::async, [&] {
        auto answer = hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::SessionStart)}));
        return answer ? answer->status : -1;
    });
    auto client = hub.client();
    for (int i = 0; i < 10000; ++i) {
        auto metrics = client->Get("/metrics");
        if (metrics && metric(metrics->body, "truthpoint_ingest_queue_batches") == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const core::Event refused_event = hub_test::make_event(core::EventType::SessionStart);
    auto refused = hub.post_batch(hub_test::batch_body({refused_event}));
    REQUIRE(refused);
    CHECK(refused->status == 503);
    CHECK(refused->get_header_value("Retry-After") == "1");
    CHECK(nlohmann::json::parse(refused->body)["error"].get<std::string>().find("busy") != std::string::npos);

    release.set_value();
    CHECK(first.get() == 200);
    CHECK(second.get() == 200);
    CHECK(hub.stored_events() == 2);  // nothing of the refused batch
    CHECK(metric(client->Get("/metrics")->body, "truthpoint_ingest_overloaded_total") == 1);
    // Sent again once the queue drained, it is stored.
    CHECK(hub.post_batch(hub_test::batch_body({refused_event}))->status == 200);
    CHECK(hub.stored_events() == 3);
}

TEST_CASE("concurrent batches are group-committed", "[hub][http][group]") {
    ServerOptions options;
    options.log_requests = false;
    options.worker_threads = 32;  // the waiting requests each hold a worker; /metrics needs one more
    // The writer holds its first group until the other requests have queued up behind it, so that the
    // grouping does not depend on how the threads happen to be scheduled.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> groups{0};
    options.ingest.before_group = [&](std::size_t) {
        if (groups.fetch_add(1) == 0) released.wait();
    };
    RunningHub hub(options);
    constexpr int kRequests = 16;
    std::vector<std::future<int>> posts;
    for (int i = 0; i < kRequests; ++i) {
        posts.push_back(std::async(std::launch::async, [&] {
            std::vector<core::Event> events;
            for (int e = 0; e < 20; ++e) events.push_back(hub_test::make_event(core::EventType::FmotReaction));
            // A connect that fails under load (a busy CI machine) is sent again, as a kiosk would:
            // the batch is idempotent.
            const std::string body = hub_test::batch_body(events);
            for (int attempt = 0; attempt < 3; ++attempt) {
                if (auto answer = hub.post_batch(body)) return answer->status;
            }
            return -1;
        }));
    }
    auto client = hub.client();
    for (int i = 0; i < 5000; ++i) {
        auto scraped = client->Get("/metrics");
        if (scraped && groups.load() > 0 && metric(scraped->body, "truthpoint_ingest_queue_batches") >= 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    release.set_value();
    for (auto& post : posts) CHECK(post.get() == 200);
    CHECK(hub.stored_events() == kRequests * 20);
    auto scraped = hub.client()->Get("/metrics");
    REQUIRE(scraped);
    const std::string text = scraped->body;
    const auto transactions = metric(text, "truthpoint_group_commit_batches_count");
    CAPTURE(text);
    CHECK(metric(text, "truthpoint_group_commit_batches_sum") == kRequests);
    CHECK(transactions < kRequests);  // some transaction held more than one batch
    // The dashboard's JSON reads the rollups: every face counted once.
    auto stats_answer = hub.client()->Get("/api/v1/stats", hub.admin_headers());
    REQUIRE(stats_answer);
    const auto stats = nlohmann::json::parse(stats_answer->body);
    std::int64_t faces = 0;
    for (const auto& [name, count] : stats["by_store"][0]["reactions"].items()) faces += count.get<std::int64_t>();
    CHECK(faces == kRequests * 20);
}

TEST_CASE("GET /metrics is Prometheus text and moves after a batch", "[hub][http][metrics]") {
    RunningHub hub;
    auto client = hub.client();
    const auto scrape = [&] {
        auto response = client->Get("/metrics");
        REQUIRE(response);
        CHECK(response->status == 200);
        CHECK(response->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
        return response->body;
    };
    const std::string before = scrape();
    // Every line is a comment (# HELP / # TYPE) or `name{labels} value`.
    const std::regex sample(R"(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]+="[^"]*"(,[a-zA-Z_]+="[^"]*")*\})? -?[0-9.e+Inf]+$)");
    const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::istringstream lines(before);
    std::string line;
    int types = 0;
    while (std::getline(lines, line)) {
        CAPTURE(line);
        CHECK((std::regex_match(line, sample) || std::regex_match(line, comment)));
        if (line.rfind("# TYPE", 0) == 0) ++types;
    }
    CHECK(types >= 8);
    CHECK(metric(before, "truthpoint_events_total{outcome=\"accepted\"}") == 0);

    const core::Event event = hub_test::make_event(core::EventType::SessionStart);
    REQUIRE(hub.post_batch(hub_test::batch_body({event}))->status == 200);
    REQUIRE(hub.post_batch(hub_test::batch_body({event}))->status == 200);
    REQUIRE(hub.post_batch("{}", {{"Authorization", "Bearer wrong"}})->status == 401);
    // Requests are counted when logged, just after their answer is sent: scrape until the last one shows.
    std::string after;
    for (int i = 0; i < 200; ++i) {
        after = scrape();
        if (metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"401\"}") == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(metric(after, "truthpoint_events_total{outcome=\"accepted\"}") == 1);
    CHECK(metric(after, "truthpoint_events_total{outcome=\"duplicate\"}") == 1);
    CHECK(metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"200\"}") == 2);
    CHECK(metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"401\"}") == 1);
    CHECK(metric(after, "truthpoint_batch_duration_seconds_count") == 2);
    CHECK(metric(after, "truthpoint_batch_duration_seconds_bucket{le=\"+Inf\"}") == 2);
}

// The hub's request threads write the log while the test thread polls it: a buffer behind a lock.
class LockedBuffer : public std::stringbuf {
public:
    std::string text() {
        std::lock_guard lock(mutex_);
        return str();
    }

protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
        std::lock_guard lock(mutex_);
        return std::stringbuf::xsputn(s, n);
    }
    int_type overflow(int_type c) override {
        std::lock_guard lock(mutex_);
        return std::stringbuf::overflow(c);
    }

private:
    std::recursive_mutex mutex_;  // xsputn may call overflow
};

TEST_CASE("each request is one JSON line on stderr", "[hub][http][logs]") {
    LockedBuffer captured;  // outlives the hub, whose threads may still be writing to it
    RunningHub hub;
    // httplib logs a request after its answer is sent: wait for both lines, in whichever order.
    auto* previous = std::cerr.rdbuf(&captured);
    auto posted = hub.post_batch(hub_test::batch_body({hub_test::make_event(core::EventType::SessionStart)}));
    hub.client()->Get("/no/such/path");
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        lines = hub_test::split_lines(captured.text());
        lines.erase(std::remove(lines.begin(), lines.end(), std::string()), lines.end());
        if (lines.size() >= 2) break;
    }
    std::cerr.rdbuf(previous);
    REQUIRE(posted);
    CHECK(posted->status == 200);
    std::map<std::string, nlohmann::json> by_route;
    for (const std::string& line : lines) {
        auto entry = nlohmann::json::parse(line, nullptr, false);
        CAPTURE(line);
        REQUIRE_FALSE(entry.is_discarded());
        by_route[entry.value("route", "")] = entry;
    }
    REQUIRE(lines.size() == 2);
    const auto& batch = by_route["/api/v1/batches"];
    CHECK(batch["status"] == 200);
    CHECK(batch["method"] == "POST");
    CHECK(batch["kiosk"] == "k-1");
    CHECK(batch["events"] == 1);
    CHECK(batch["ms"].is_number());
    CHECK(batch.contains("time"));
    CHECK(by_route["other"]["status"] == 404);  // raw paths never reach the logs' or metrics' labels
}

TEST_CASE("pos add and receipts import", "[hub][cli][receipts]") {
    TempDir dir;
    const std::string url = "sqlite:" + (dir.path() / "hub.db").string();
    REQUIRE(hub_test::run_hub_cli(Args{"kiosk", "add", "--kiosk", "k-1", "--store", "s-1"}, url).exit_code == 0);

    SECTION("pos add prints the token once, on the last line, and keeps only its hash") {
        auto added = hub_test::run_hub_cli(Args{"pos", "add", "--pos", "till-1", "--store", "s-1"}, url);
        REQUIRE(added.exit_code == 0);
        const auto lines = hub_test::split_lines(added.out);
        const std::string token = lines.back();
        CHECK(token.size() >= 43);
        auto store = open_store(url);
        REQUIRE(store);
        auto found = (*store)->find_pos_by_token_hash(hash_token(token));
        REQUIRE(found);
        REQUIRE(found->has_value());
        CHECK((*found)->store_id == "s-1");
        CHECK(hub_test::run_hub_cli(Args{"pos", "add", "--pos", "till-1", "--store", "s-1"}, url).exit_code == 1);
    }
    SECTION("a good CSV is imported") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kHashA << ",2026-01-31T10:15:00Z,sku-1;sku-2\n"
                           << kHashB << ",2026-01-31T11:00:00Z,\"sku-3\"\n";
        auto imported = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-1"}, url);
        CAPTURE(imported.err);
        REQUIRE(imported.exit_code == 0);
        CHECK(imported.out.find("imported 2 receipts") != std::string::npos);
    }
    SECTION("a bad row names its line and nothing is imported") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kHashA << ",2026-01-31T10:15:00Z,sku-1\n"
                           << "code-in-clear,2026-01-31T11:00:00Z,sku-3\n";
        auto imported = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-1"}, url);
        CHECK(imported.exit_code == 2);
        CHECK(imported.err.find("line 3") != std::string::npos);
        CHECK(imported.err.find("64 hex") != std::string::npos);
        auto store = open_store(url);
        auto again = (*store)->store_receipts("s-1", {Receipt{kHashA, core::now_utc(), {"sku-1"}}}, core::now_utc());
        CHECK(again->stored == 1);  // the good row was not imported either
    }
    SECTION("an unknown store or a missing column is refused") {
        const auto csv = dir.path() / "receipts.csv";
        std::ofstream(csv) << "receipt_hash,time,skus\n" << kHashA << ",2026-01-31T10:15:00Z,sku-1\n";
        auto unknown = hub_test::run_hub_cli(Args{"receipts", "import", csv.string(), "--store", "s-404"}, url);
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.err.find("s-404") != std::string::npos);
        auto no_store = hub_test::run_hub_cli(Args{"receipts", "import", csv.string()}, url);
        CHECK(no_store.exit_code == 2);
        const auto bad_header = dir.path() / "bad.csv";
        std::ofstream(bad_header) << "hash,time\n";
        CHECK(hub_test::run_hub_cli(Args{"receipts", "import", bad_header.string(), "--store", "s-1"}, url).exit_code == 2);
    }
    SECTION("kiosk list shows last seen and clock skew") {
        auto store = open_store(url);
        core::Event event = hub_test::make_event(core::EventType::SessionStart);
        const auto received = core::now_utc();
        event.occurred_at = received - std::chrono::milliseconds(1500);
        REQUIRE((*store)->store_events({"k-1", "s-1", ""}, {incoming(event)}, received));
        auto listed = hub_test::run_hub_cli(Args{"kiosk", "list"}, url);
        const auto rows = hub_test::split_lines(listed.out);
        REQUIRE(rows.size() >= 2);
        CHECK(std::regex_search(rows[1], std::regex(R"(\S+Z +1500$)")));
    }
}

TEST_CASE("feedback with a bad receipt hash is rejected with a reason", "[hub][http][receipts]") {
    RunningHub hub;
    core::Event clear_code = feedback("sku-1", "RECEIPT-0042");
    core::Event no_sku = feedback("sku-1", kHashA);
    no_sku.sku.clear();
    core::Event wrong_type = hub_test::make_event(core::EventType::SessionStart);
    wrong_type.data["receipt_hash"] = kHashA;
    core::Event good = feedback("sku-1", kHashA);
    auto response = hub.post_batch(hub_test::batch_body({clear_code, no_sku, wrong_type, good}));
    REQUIRE(response);
    REQUIRE(response->status == 200);
    const auto reply = core::decode_batch_reply(response->body);
    REQUIRE(reply.ok());
    CHECK(reply.value().accepted == 1);
    std::map<std::string, std::string> reasons;
    for (const auto& rejection : reply.value().rejected) reasons[rejection.id] = rejection.reason;
    CHECK(reasons[clear_code.id].find("64 hex digits") != std::string::npos);
    CHECK(reasons[no_sku.id].find("sku") != std::string::npos);
    // core's validation knows every type's fields now: a receipt hash on a session start is not one of them.
    CHECK(reasons[wrong_type.id] == "data.receipt_hash is not a field of this event type (see docs/events.md)");
}

TEST_CASE("migration 4 backfills the rollups from the events already stored", "[hub][store][rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    {
        auto store = database.open();
        hub_test::enrol(*store, "k-1", "s-1");
        std::vector<IncomingEvent> events;
        for (int i = 0; i < 30; ++i) {
            core::Event event = hub_test::make_event(i % 2 ? core::EventType::FmotReaction : core::EventType::FmotIntent);
            if (i % 5 == 0) event.data["misuse"] = true;
            events.push_back(incoming(event));
        }
        REQUIRE(store->store_events({"k-1", "s-1", ""}, events, core::now_utc()));
    }
    // Back to schema 3, as a database written by the previous hub would be (its events, no rollups).
    database.execute("DROP INDEX kiosks_by_region");  // migration 5's
    for (const char* table : {"hub_secrets", "sign_in_failures", "sessions", "users", "rollup_hourly", "rollup_reactions",
                              "receipt_items", "receipts", "pos_terminals"}) {
        database.execute(std::string("DROP TABLE ") + table);
    }
    database.execute("DROP INDEX events_by_receipt");
    for (const char* column : {"receipt_hash", "verified_purchase"}) {
        database.execute(std::string("ALTER TABLE events DROP COLUMN ") + column);
    }
    for (const char* column : {"last_seen_at", "clock_skew_ms"}) {
        database.execute(std::string("ALTER TABLE kiosks DROP COLUMN ") + column);
    }
    database.execute(database.is_postgresql() ? "DELETE FROM schema_migrations WHERE version >= 4"
                                              : "PRAGMA user_version = 3");

    auto store = database.open();  // runs migrations 4 (with its backfill) to 7 again
    auto stats = store->stats();
    REQUIRE(stats);
    CHECK(stats->total_events == 30);
    CHECK(stats->misuse_events == 6);
    REQUIRE(stats->by_store.size() == 1);
    CHECK(stats->by_store[0].total == 24);
    std::int64_t reactions = 0;
    for (auto count : stats->by_store[0].reactions) reactions += count;
    CHECK(reactions == 12);  // 15 reactions, 3 of them misuse
}
