// Retry timing kept apart from the transport: exponential backoff with full jitter and a cap,
// never sooner than a hub's Retry-After.
#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace truthpoint::sync {

class Backoff {
public:
    Backoff(std::chrono::milliseconds base = std::chrono::seconds(1),
            std::chrono::milliseconds cap = std::chrono::minutes(5), std::uint64_t seed = std::random_device{}());

    // The wait before the next attempt after one more failure: uniform in [0, min(cap, base·2^n)],
    // raised to `retry_after` when the hub asked for that.
    std::chrono::milliseconds next_delay(std::optional<std::chrono::seconds> retry_after = std::nullopt);
    void reset() { failures_ = 0; }
    int failures() const { return failures_; }
    std::chrono::milliseconds cap() const { return cap_; }

private:
    std::chrono::milliseconds base_;
    std::chrono::milliseconds cap_;
    int failures_ = 0;
    std::mt19937_64 random_;
};

}  // namespace truthpoint::sync
