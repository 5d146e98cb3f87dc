// Whether the hub files this kiosk's events under the kiosk its configuration names. The hub takes kiosk
// and store from the token alone, so a kiosk holding another kiosk's token would deliver its shoppers'
// answers under the other's name: it asks the hub first (HubClient::whoami) and refuses to send.
#pragma once

#include <optional>
#include <string>

#include "truthpoint/core/outbox.hpp"
#include "truthpoint/core/result.hpp"
#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::sync {

// What the kiosk's configuration says it is, and the file that says so (named in the messages).
struct ExpectedKiosk {
    std::string kiosk_id;     // [kiosk] id
    std::string store_id;     // [kiosk] store
    std::string config_path;  // may be empty: the messages then say "the kiosk's configuration"
};

// nullopt when the hub's kiosk and store are the configured ones; otherwise what a person reads: the
// hub's kiosk and store, the configured ones, the file, and what to change.
std::optional<std::string> identity_mismatch(const KioskIdentity& hub_says, const std::string& kiosk_id,
                                             const std::string& store_id, const std::string& config_path);

// Why sending must not go on, as a sync report carries it.
struct IdentityRefusal {
    bool retry_soon = false;  // the hub could not be asked (network, 429, 5xx); otherwise a person must act
    core::Error error;
    core::SyncProblem problem = core::SyncProblem::None;
};

// Asks the hub once, and again after the hub refused the token (it may have been rotated or replaced
// while the kiosk runs); a mismatch is asked again at the next pass. Used by push_pending before it sends
// and by BackgroundSync before it pulls the configuration. One thread at a time.
class IdentityCheck {
public:
    explicit IdentityCheck(ExpectedKiosk expected) : expected_(std::move(expected)) {}

    // nullopt when sending may go on: the hub named this kiosk, now or at an earlier call. Otherwise why
    // not; the caller records it. Blocks on one request when the hub has not confirmed this kiosk yet.
    std::optional<IdentityRefusal> check(HubClient& client);
    // The hub answered 401/403: ask again before the next send.
    void token_refused() { confirmed_ = false; }
    bool confirmed() const { return confirmed_; }
    const ExpectedKiosk& expected() const { return expected_; }

private:
    ExpectedKiosk expected_;
    bool confirmed_ = false;
};

}  // namespace truthpoint::sync
