// A short-lived positive cache of token hash → kiosk (see token_cache.hpp).
#include "truthpoint/hub/token_cache.hpp"

namespace truthpoint::hub {

KioskTokenCache::KioskTokenCache(Clock::duration ttl, std::size_t capacity)
    : ttl_(ttl), capacity_(capacity == 0 ? 1 : capacity) {}

std::optional<KioskIdentity> KioskTokenCache::find(const std::string& token_hash, Clock::time_point now) {
    if (ttl_ <= Clock::duration::zero()) return std::nullopt;
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(token_hash);
    if (it == entries_.end()) return std::nullopt;
    if (now - it->second.looked_up >= ttl_) {
        entries_.erase(it);
        return std::nullopt;
    }
    return it->second.kiosk;
}

void KioskTokenCache::remember(const std::string& token_hash, const KioskIdentity& kiosk, Clock::time_point now) {
    if (ttl_ <= Clock::duration::zero()) return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= capacity_ && !entries_.contains(token_hash)) {
        std::erase_if(entries_, [&](const auto& entry) { return now - entry.second.looked_up >= ttl_; });
        if (entries_.size() >= capacity_) entries_.clear();
    }
    entries_.insert_or_assign(token_hash, Entry{kiosk, now});
}

}  // namespace truthpoint::hub
