// FrameStats: thread CPU time per frame, summarised at exit as JSON.
#include "truthpoint/kiosk_ui/frame_stats.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace truthpoint::kiosk_ui {
namespace {

std::int64_t thread_cpu_ns() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double percentile_us(std::vector<std::int64_t> samples, double fraction) {
    if (samples.empty()) return 0;
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(samples.size() - 1));
    std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(index), samples.end());
    return static_cast<double>(samples[index]) / 1000.0;
}

}  // namespace

FrameStats::FrameStats(const char* path_variable) {
    if (const char* path = std::getenv(path_variable)) path_ = path;
    if (!path_.empty()) frame_cpu_ns_.reserve(1 << 16);
}

void FrameStats::frame_begin() {
    if (!path_.empty()) frame_start_ns_ = thread_cpu_ns();
}

void FrameStats::frame_end() {
    if (path_.empty()) return;
    if (first_frame_unix_ms_ == 0) {
        first_frame_unix_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    }
    if (frame_cpu_ns_.size() < frame_cpu_ns_.capacity()) frame_cpu_ns_.push_back(thread_cpu_ns() - frame_start_ns_);
}

FrameStats::~FrameStats() {
    if (path_.empty()) return;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double max_us = frame_cpu_ns_.empty()
                              ? 0.0
                              : static_cast<double>(*std::max_element(frame_cpu_ns_.begin(), frame_cpu_ns_.end())) / 1000.0;
    std::ofstream out(path_);
    out << "{\"frames\": " << frame_cpu_ns_.size() << ", \"frame_cpu_us\": {\"p50\": "
        << percentile_us(frame_cpu_ns_, 0.50) << ", \"p99\": " << percentile_us(frame_cpu_ns_, 0.99)
        << ", \"max\": " << max_us << "}, \"first_frame_unix_ms\": " << first_frame_unix_ms_
        << ", \"max_rss_kb\": " << usage.ru_maxrss << "}\n";
}

}  // namespace truthpoint::kiosk_ui
