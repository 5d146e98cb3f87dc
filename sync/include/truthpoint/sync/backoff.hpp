// Retry timing kept apart from the transport: exponential backoff with full jitter and a cap, never
// sooner than a hub's Retry-After; and RetrySchedule, which adds a cheap probe so that a kiosk is back
// soon after its hub, without pushing batches into a hub that is down.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "truthpoint/core/time.hpp"

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

// What the next contact with the hub is, while pushes are failing.
enum class Contact {
    Push,   // send batches
    Probe,  // GET /healthz first: is the hub answering at all?
};

struct RetryOptions {
    std::chrono::milliseconds probe_gap{2000};
    std::chrono::milliseconds probe_jitter{2000};
    std::chrono::milliseconds trust_probe_for{60000};
};

// When, and how, a kiosk reaches its hub again after a push failed (transport error, 429, 5xx).
//
// Why a probe: backoff alone grows past a short outage (after ten seconds of 503s the next push may be
// half a minute away), so the kiosk came back long after its hub. Here the push backoff still grows —
// it spares a hub that answers but fails batches, or is overloaded — but while the kiosk waits it asks
// GET /healthz, which costs the hub almost nothing. A probe that finds the hub answering again after
// one found it down means the outage is over: the kiosk pushes at once, not after the grown backoff.
//
// Load on a hub that is down: after a failure, contacts are at least `probe_gap` apart, never sooner
// than the hub's Retry-After, plus up to `probe_jitter` at random — one request every few seconds per
// kiosk however long the outage, and kiosks that lost the hub together drift apart instead of returning
// in step. On its return they find it spread over one gap; if that is still too many at once, the hub's
// 503 with Retry-After pushes them back through the (unreset) backoff, since the hub never looked down.
// A probe is trusted for `trust_probe_for` only: past that, a due push goes anyway, in case /healthz
// alone is broken.
class RetrySchedule {
public:
    explicit RetrySchedule(Backoff backoff, RetryOptions options = {}, std::uint64_t seed = std::random_device{}());

    // A push drained the outbox: back to the normal interval.
    void push_succeeded();
    // A push was refused (a token or URL a person must fix): retry at the backoff's cap, as a push.
    core::Timestamp push_refused(core::Timestamp now);
    // A push stopped early but may work later: returns when to contact the hub next, by a probe.
    core::Timestamp push_failed(core::Timestamp now, std::optional<std::chrono::seconds> retry_after);
    // What the contact due at `now` should be.
    Contact contact_at(core::Timestamp now) const;
    // A probe's answer: returns when to contact the hub next; `now` itself means "push now".
    // `hub_up` is false when the hub could not be reached, or answered 429 or 5xx.
    core::Timestamp probe_answered(core::Timestamp now, bool hub_up, std::optional<std::chrono::seconds> retry_after);

    bool retrying() const { return push_due_.has_value(); }
    const Backoff& backoff() const { return backoff_; }

private:
    std::chrono::milliseconds gap(std::optional<std::chrono::seconds> retry_after);

    Backoff backoff_;
    RetryOptions options_;
    std::mt19937_64 random_;
    std::optional<core::Timestamp> push_due_;  // set while pushes are failing: the backoff's next push
    core::Timestamp last_push_{};
    bool seen_down_ = false;   // a probe since the last push found the hub down
    bool checked_up_ = false;  // a probe since the last push found it up: wait for push_due_, no more probes
};

}  // namespace truthpoint::sync
