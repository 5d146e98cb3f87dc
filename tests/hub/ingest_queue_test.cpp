// The ingest queue behind POST /api/v1/batches, through a real hub: a full queue refuses at once with
// 503 + Retry-After and stores nothing of the refused batch; batches waiting together are stored in one
// transaction (group commit), as GET /metrics shows.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "support.hpp"
#include "truthpoint/hub/ingest_queue.hpp"

using namespace truthpoint;
using truthpoint::hub::ServerOptions;
using truthpoint::hub_test::RunningHub;
using truthpoint::hub_test::metric;

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
