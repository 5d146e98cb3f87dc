// The hub's own counters for GET /metrics, rendered in the Prometheus text format (version 0.0.4).
// Thread-safe; the server and the ingest queue update it, nothing here does I/O.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace truthpoint::hub {

// A cumulative histogram with fixed upper bounds (the +Inf bucket is implied).
template <std::size_t N>
class Histogram {
public:
    explicit Histogram(std::array<double, N> bounds) : bounds_(bounds) {}
    void observe(double value);
    // `name_bucket{le="..."} n` lines, then `_sum` and `_count`.
    std::string render(const std::string& name) const;

private:
    std::array<double, N> bounds_;
    mutable std::mutex mutex_;
    std::array<std::uint64_t, N + 1> counts_{};
    double sum_ = 0;
};

// What the HTTP server turned away at accept, before any request was read: the answered refusals of
// requests it did read are in the per-route request counts.
struct DoorCounts {
    std::uint64_t refused_per_address = 0;  // that address already held its share of connections without a request
    std::uint64_t refused_full = 0;         // no room, and no idle connection to close for it
    std::uint64_t evicted_idle = 0;         // idle connections closed to make room for a newcomer
};

class Metrics {
public:
    Metrics();

    // One answered request; `route` is the route pattern ("/api/v1/batches"), never a raw path.
    void count_request(const std::string& route, int status);
    void count_events(std::int64_t accepted, std::int64_t duplicates, std::int64_t rejected);
    void count_receipts(std::int64_t stored, std::int64_t duplicates);
    void observe_batch_seconds(double seconds);
    void observe_group_size(std::size_t batches);
    void count_overload() { overloaded_.fetch_add(1, std::memory_order_relaxed); }
    // Called at render time for the queue-depth gauges: {batches, events}.
    void set_queue_depth_source(std::function<std::pair<std::size_t, std::size_t>()> source);
    // Called at render time for the connection counters.
    void set_door_source(std::function<DoorCounts()> source);

    std::string render() const;

private:
    mutable std::mutex mutex_;  // guards requests_ and queue_depth_
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::function<std::pair<std::size_t, std::size_t>()> queue_depth_;
    std::function<DoorCounts()> door_;
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> duplicates_{0};
    std::atomic<std::uint64_t> rejected_{0};
    std::atomic<std::uint64_t> receipts_stored_{0};
    std::atomic<std::uint64_t> receipts_duplicates_{0};
    std::atomic<std::uint64_t> overloaded_{0};
    Histogram<12> batch_seconds_;
    Histogram<9> group_sizes_;
};

}  // namespace truthpoint::hub
