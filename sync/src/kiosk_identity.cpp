// identity_mismatch and IdentityCheck: the kiosk's configuration against the hub's GET /api/v1/kiosk.
#include "truthpoint/sync/kiosk_identity.hpp"

namespace truthpoint::sync {

std::optional<std::string> identity_mismatch(const KioskIdentity& hub_says, const std::string& kiosk_id,
                                             const std::string& store_id, const std::string& config_path) {
    if (hub_says.kiosk_id == kiosk_id && hub_says.store_id == store_id) return std::nullopt;
    const std::string where = config_path.empty() ? "the kiosk's configuration" : config_path;
    std::string message = "the hub says this token belongs to kiosk " + hub_says.kiosk_id + " in store " +
                          hub_says.store_id + ", but ";
    if (hub_says.kiosk_id != kiosk_id) {
        message += "[kiosk] id is " + kiosk_id;
        if (hub_says.store_id != store_id) message += " and [kiosk] store is " + store_id;
        message += " in " + where + ": put " + kiosk_id + "'s token in [hub] token (truthpoint-hub kiosk rotate-token --kiosk " +
                   kiosk_id + ") or fix [kiosk] id";
    } else {
        message += "[kiosk] store is " + store_id + " in " + where + ": fix [kiosk] store, or, if this kiosk now stands in " +
                   store_id + ", enrol it there (truthpoint-hub kiosk add --store " + store_id +
                   ") and put that token in [hub] token";
    }
    return message + "; nothing was sent";
}

std::optional<IdentityRefusal> IdentityCheck::check(HubClient& client) {
    if (confirmed_) return std::nullopt;
    auto hub_says = client.whoami();
    if (!hub_says) {
        const core::Error& error = hub_says.error();
        switch (error.code) {
            case core::ErrorCode::NotFound:
                // A hub older than GET /api/v1/kiosk: kiosks sent to it unasked before, so they still do. A
                // [hub] url that names another server gets its 404 from the batch itself.
                confirmed_ = true;
                return std::nullopt;
            case core::ErrorCode::Unauthorized:
                return IdentityRefusal{false, error, core::SyncProblem::TokenRefused};
            case core::ErrorCode::Untrusted:
            case core::ErrorCode::Unavailable:
                return IdentityRefusal{true, error, unreached_problem(error)};
            case core::ErrorCode::Busy:
                return IdentityRefusal{true, error, core::SyncProblem::HubBusy};
            default:
                return IdentityRefusal{true, error, core::SyncProblem::HubFailed};
        }
    }
    if (auto mismatch = identity_mismatch(hub_says.value(), expected_.kiosk_id, expected_.store_id, expected_.config_path)) {
        return IdentityRefusal{false, core::make_error(core::ErrorCode::InvalidArgument, std::move(*mismatch)),
                               core::SyncProblem::WrongKiosk};
    }
    confirmed_ = true;
    return std::nullopt;
}

}  // namespace truthpoint::sync
