// GET /metrics through a real hub: Prometheus text format, and counters that move with the batches sent.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <thread>

#include "support.hpp"

using namespace truthpoint;
using truthpoint::hub_test::RunningHub;
using truthpoint::hub_test::metric;

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
    // Requests are counted when logged, just after their answer is sent, each connection on its I/O thread:
    // scrape until all three show, in whatever order they were logged.
    std::string after;
    for (int i = 0; i < 200; ++i) {
        after = scrape();
        if (metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"401\"}") == 1 &&
            metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"200\"}") == 2) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(metric(after, "truthpoint_events_total{outcome=\"accepted\"}") == 1);
    CHECK(metric(after, "truthpoint_events_total{outcome=\"duplicate\"}") == 1);
    CHECK(metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"200\"}") == 2);
    CHECK(metric(after, "truthpoint_http_requests_total{route=\"/api/v1/batches\",status=\"401\"}") == 1);
    CHECK(metric(after, "truthpoint_batch_duration_seconds_count") == 2);
    CHECK(metric(after, "truthpoint_batch_duration_seconds_bucket{le=\"+Inf\"}") == 2);
}
