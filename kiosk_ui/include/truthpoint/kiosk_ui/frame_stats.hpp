// Per-frame CPU cost and time to first frame, for the benchmarks. Costs a clock read per frame;
// writes nothing unless the environment variable names a file, and only at destruction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace truthpoint::kiosk_ui {

class FrameStats {
public:
    explicit FrameStats(const char* path_variable = "TRUTHPOINT_FRAME_STATS");
    ~FrameStats();  // writes {"frames", "frame_cpu_us": {"p50","p99","max"}, "first_frame_unix_ms", "max_rss_kb"}
    FrameStats(const FrameStats&) = delete;
    FrameStats& operator=(const FrameStats&) = delete;

    void frame_begin();
    void frame_end();  // call after the frame is presented

private:
    std::string path_;
    std::int64_t frame_start_ns_ = 0;
    std::int64_t first_frame_unix_ms_ = 0;
    std::vector<std::int64_t> frame_cpu_ns_;
};

}  // namespace truthpoint::kiosk_ui
