// Prometheus text rendering of the hub's counters (see metrics.hpp).
#include "truthpoint/hub/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace truthpoint::hub {
namespace {

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void header(std::ostringstream& out, const char* name, const char* type, const char* help) {
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

// Label values may hold '\', '"' or newlines only in theory (routes are ours), but escape them anyway.
std::string label_value(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

template <std::size_t N>
void Histogram<N>::observe(double value) {
    std::lock_guard lock(mutex_);
    std::size_t i = 0;
    while (i < N && value > bounds_[i]) ++i;
    ++counts_[i];
    sum_ += value;
}

template <std::size_t N>
std::string Histogram<N>::render(const std::string& name) const {
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < N; ++i) {
        cumulative += counts_[i];
        out << name << "_bucket{le=\"" << number(bounds_[i]) << "\"} " << cumulative << '\n';
    }
    cumulative += counts_[N];
    out << name << "_bucket{le=\"+Inf\"} " << cumulative << '\n';
    out << name << "_sum " << number(sum_) << '\n';
    out << name << "_count " << cumulative << '\n';
    return out.str();
}

Metrics::Metrics()
    : batch_seconds_({0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10}),
      group_sizes_({1, 2, 4, 8, 16, 32, 64, 128, 256}) {}

void Metrics::count_request(const std::string& route, int status) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
}

void Metrics::count_events(std::int64_t accepted, std::int64_t duplicates, std::int64_t rejected) {
    accepted_.fetch_add(static_cast<std::uint64_t>(accepted), std::memory_order_relaxed);
    duplicates_.fetch_add(static_cast<std::uint64_t>(duplicates), std::memory_order_relaxed);
    rejected_.fetch_add(static_cast<std::uint64_t>(rejected), std::memory_order_relaxed);
}

void Metrics::count_receipts(std::int64_t stored, std::int64_t duplicates) {
    receipts_stored_.fetch_add(static_cast<std::uint64_t>(stored), std::memory_order_relaxed);
    receipts_duplicates_.fetch_add(static_cast<std::uint64_t>(duplicates), std::memory_order_relaxed);
}

void Metrics::observe_batch_seconds(double seconds) { batch_seconds_.observe(seconds); }
void Metrics::observe_group_size(std::size_t batches) { group_sizes_.observe(static_cast<double>(batches)); }

void Metrics::set_queue_depth_source(std::function<std::pair<std::size_t, std::size_t>()> source) {
    std::lock_guard lock(mutex_);
    queue_depth_ = std::move(source);
}

void Metrics::set_door_source(std::function<DoorCounts()> source) {
    std::lock_guard lock(mutex_);
    door_ = std::move(source);
}

std::string Metrics::render() const {
    std::ostringstream out;
    header(out, "truthpoint_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    std::pair<std::size_t, std::size_t> depth{0, 0};
    DoorCounts door;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [key, count] : requests_) {
            out << "truthpoint_http_requests_total{route=\"" << label_value(key.first) << "\",status=\"" << key.second
                << "\"} " << count << '\n';
        }
        if (queue_depth_) depth = queue_depth_();
        if (door_) door = door_();
    }
    header(out, "truthpoint_http_connections_refused_total", "counter",
           "Connections answered 503 and closed at accept, before a request was read, by reason.");
    out << "truthpoint_http_connections_refused_total{reason=\"per_address\"} " << door.refused_per_address << '\n';
    out << "truthpoint_http_connections_refused_total{reason=\"full\"} " << door.refused_full << '\n';
    header(out, "truthpoint_http_connections_evicted_total", "counter",
           "Idle connections closed to make room for a new one.");
    out << "truthpoint_http_connections_evicted_total " << door.evicted_idle << '\n';
    header(out, "truthpoint_events_total", "counter", "Events received in batches, by outcome.");
    out << "truthpoint_events_total{outcome=\"accepted\"} " << accepted_.load() << '\n';
    out << "truthpoint_events_total{outcome=\"duplicate\"} " << duplicates_.load() << '\n';
    out << "truthpoint_events_total{outcome=\"rejected\"} " << rejected_.load() << '\n';
    header(out, "truthpoint_receipts_total", "counter", "Point-of-sale receipts received, by outcome.");
    out << "truthpoint_receipts_total{outcome=\"stored\"} " << receipts_stored_.load() << '\n';
    out << "truthpoint_receipts_total{outcome=\"duplicate\"} " << receipts_duplicates_.load() << '\n';
    header(out, "truthpoint_ingest_overloaded_total", "counter",
           "Batches refused with 503 because the ingest queue was full.");
    out << "truthpoint_ingest_overloaded_total " << overloaded_.load() << '\n';
    header(out, "truthpoint_ingest_queue_batches", "gauge", "Batches waiting for the writer.");
    out << "truthpoint_ingest_queue_batches " << depth.first << '\n';
    header(out, "truthpoint_ingest_queue_events", "gauge", "Events waiting for the writer.");
    out << "truthpoint_ingest_queue_events " << depth.second << '\n';
    header(out, "truthpoint_batch_duration_seconds", "histogram",
           "Time to answer POST /api/v1/batches, from the body read to the answer.");
    out << batch_seconds_.render("truthpoint_batch_duration_seconds");
    header(out, "truthpoint_group_commit_batches", "histogram", "Batches stored per database transaction.");
    out << group_sizes_.render("truthpoint_group_commit_batches");
    return out.str();
}

template class Histogram<12>;
template class Histogram<9>;

}  // namespace truthpoint::hub
