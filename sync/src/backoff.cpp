// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads the retries of many
// kiosks that lost the hub at the same moment, instead of having them return in waves.
#include "truthpoint/sync/backoff.hpp"

#include <algorithm>

namespace truthpoint::sync {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, std::uint64_t seed)
    : base_(base), cap_(cap), random_(seed) {}

std::chrono::milliseconds Backoff::next_delay(std::optional<std::chrono::seconds> retry_after) {
    const int exponent = std::min(failures_, 30);
    ++failures_;
    const auto ceiling = std::min<long long>(cap_.count(), base_.count() << exponent);
    std::uniform_int_distribution<long long> jitter(0, std::max<long long>(ceiling, 0));
    std::chrono::milliseconds delay(jitter(random_));
    if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
    return std::min<std::chrono::milliseconds>(delay, std::max<std::chrono::milliseconds>(cap_, retry_after.value_or(std::chrono::seconds(0))));
}

}  // namespace truthpoint::sync
