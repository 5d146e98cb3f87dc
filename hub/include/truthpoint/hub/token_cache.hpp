// Which kiosk a token belongs to, remembered for a few seconds so that a kiosk syncing often does not cost
// the hub a database read (and a reader connection) on every request. Only tokens found valid are kept:
// an unknown token always asks the store, so a kiosk enrolled a moment ago is let in at once. A revoked
// kiosk is refused at the latest `ttl` after it was last looked up — the price of the cache, and the bound
// the operator is told (docs/hub.md, "Enrolling kiosks").
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class KioskTokenCache {
public:
    using Clock = std::chrono::steady_clock;

    // ttl 0 turns the cache off. `capacity` bounds memory: when full, expired entries go, then all.
    explicit KioskTokenCache(Clock::duration ttl, std::size_t capacity = 100'000);

    // The identity remembered for `token_hash`, unless it is older than the ttl at `now`.
    std::optional<KioskIdentity> find(const std::string& token_hash, Clock::time_point now = Clock::now());
    void remember(const std::string& token_hash, const KioskIdentity& kiosk, Clock::time_point now = Clock::now());

    Clock::duration ttl() const { return ttl_; }

private:
    struct Entry {
        KioskIdentity kiosk;
        Clock::time_point looked_up;
    };
    Clock::duration ttl_;
    std::size_t capacity_;
    std::mutex mutex_;  // guards entries_
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace truthpoint::hub
