// Pulling the kiosk's configuration (GET /api/v1/config) with its ETag, on the sync thread. This only
// fetches and checks the document; storing it (atomically, next to the ledger) is the app's job, given
// to the poller as a callback, so that sync keeps knowing core only.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::sync {

struct ConfigPull {
    enum class Outcome {
        Unchanged,      // 304: the kiosk's copy is current
        Updated,        // 200 with a document that decodes (core::decode_config_document)
        NotConfigured,  // 404: the hub has no document for this store; keep what the kiosk has
        Failed,         // transport error, refused token, 5xx, or a document the kiosk cannot use
    };
    Outcome outcome = Outcome::Failed;
    std::string document;  // Updated: the body as served
    std::string etag;      // Updated: its ETag (empty if the hub sent none); Unchanged: the current one
    std::string error;     // NotConfigured / Failed: what happened, for the log and staff mode
};

// One request. Never throws; a failure leaves the kiosk's last good configuration as it is.
ConfigPull pull_config(HubClient& client, const std::string& current_etag);

// Calls pull_config at most once per `every` (the first call pulls at once), sooner after a failure,
// and hands each result to `apply`. A failure (the last good configuration stays) is written to
// std::clog once, not at each retry. For Updated, `apply` returns true once the document is stored:
// only then is its ETag sent from the next pull on. Fits BackgroundSyncOptions::after_push; runs on the
// sync thread, like `apply`.
class ConfigPoller {
public:
    using Apply = std::function<bool(const ConfigPull&)>;

    ConfigPoller(std::string current_etag, Apply apply, std::chrono::milliseconds every = std::chrono::minutes(5),
                 std::chrono::milliseconds after_failure = std::chrono::minutes(1));

    void operator()(HubClient& client);
    const std::string& etag() const { return etag_; }

private:
    std::string etag_;
    Apply apply_;
    std::chrono::milliseconds every_;
    std::chrono::milliseconds after_failure_;
    std::optional<std::chrono::steady_clock::time_point> next_pull_;
    std::string last_failure_logged_;
};

}  // namespace truthpoint::sync
