// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads the retries of many
// kiosks that lost the hub at the same moment, instead of having them return in waves. RetrySchedule
// puts a probe in front of the retried pushes; see backoff.hpp for why.
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

RetrySchedule::RetrySchedule(Backoff backoff, RetryOptions options, std::uint64_t seed)
    : backoff_(std::move(backoff)), options_(options), random_(seed) {}

void RetrySchedule::push_succeeded() {
    backoff_.reset();
    push_due_.reset();
    seen_down_ = checked_up_ = false;
}

core::Timestamp RetrySchedule::push_refused(core::Timestamp now) {
    push_due_.reset();  // no probe would help: a person must act
    seen_down_ = checked_up_ = false;
    return now + backoff_.cap();
}

core::Timestamp RetrySchedule::push_failed(core::Timestamp now, std::optional<std::chrono::seconds> retry_after) {
    push_due_ = now + backoff_.next_delay(retry_after);
    last_push_ = now;
    seen_down_ = checked_up_ = false;
    return now + gap(retry_after);  // a probe first: no batch goes again before the hub is seen to answer
}

Contact RetrySchedule::contact_at(core::Timestamp now) const {
    if (!push_due_ || checked_up_) return Contact::Push;
    if (seen_down_ && now >= *push_due_ && now - last_push_ >= options_.trust_probe_for) return Contact::Push;
    return Contact::Probe;
}

core::Timestamp RetrySchedule::probe_answered(core::Timestamp now, bool hub_up,
                                              std::optional<std::chrono::seconds> retry_after) {
    if (!push_due_) return now;
    if (!hub_up) {
        seen_down_ = true;
        return now + gap(retry_after);
    }
    if (seen_down_) return now;  // back after an outage: push now, not when the backoff would allow
    checked_up_ = true;          // it answers, yet the push failed: wait out the backoff, as a busy hub asks
    return std::max(now, *push_due_);
}

std::chrono::milliseconds RetrySchedule::gap(std::optional<std::chrono::seconds> retry_after) {
    std::uniform_int_distribution<long long> jitter(0, std::max<long long>(options_.probe_jitter.count(), 0));
    const auto floor = std::max<std::chrono::milliseconds>(options_.probe_gap, retry_after.value_or(std::chrono::seconds(0)));
    return floor + std::chrono::milliseconds(jitter(random_));
}

}  // namespace truthpoint::sync
