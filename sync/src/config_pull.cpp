// pull_config: one conditional GET /api/v1/config, sorted into unchanged / updated / not set / failed.
#include "truthpoint/sync/config_pull.hpp"

#include <exception>
#include <iostream>

#include <nlohmann/json.hpp>

#include "truthpoint/core/config_document.hpp"

namespace truthpoint::sync {
namespace {

// The hub's {"error": "..."} message, or the start of whatever else it sent.
std::string hub_message(const std::string& body) {
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("error") && json["error"].is_string()) return json["error"].get<std::string>();
    return body.substr(0, 200);
}

ConfigPull failed(std::string error) {
    ConfigPull pull;
    pull.outcome = ConfigPull::Outcome::Failed;
    pull.error = std::move(error);
    return pull;
}

}  // namespace

ConfigPull pull_config(HubClient& client, const std::string& current_etag) {
    const HttpResult answered = client.get_config(current_etag);
    if (!answered) return failed("cannot reach the hub for the kiosk configuration: " + answered.error().message);
    const HttpAnswer& result = answered.value();
    ConfigPull pull;
    switch (result.status) {
        case 304:
            pull.outcome = ConfigPull::Outcome::Unchanged;
            pull.etag = result.etag.empty() ? current_etag : result.etag;
            return pull;
        case 200: {
            auto decoded = core::decode_config_document(result.body);
            if (!decoded) {
                return failed("the hub sent a kiosk configuration this kiosk cannot use (the last good one stays): " +
                              decoded.error().message);
            }
            pull.outcome = ConfigPull::Outcome::Updated;
            pull.document = result.body;
            pull.etag = result.etag;
            return pull;
        }
        case 404:
            pull.outcome = ConfigPull::Outcome::NotConfigured;
            pull.error = "the hub has no kiosk configuration for this store: " + hub_message(result.body);
            return pull;
        case 401:
        case 403:
            return failed("the hub refused the kiosk's token for the configuration: " + hub_message(result.body));
        default:
            return failed("the hub answered HTTP " + std::to_string(result.status) +
                          " to the configuration request: " + hub_message(result.body));
    }
}

ConfigPoller::ConfigPoller(std::string current_etag, Apply apply, std::chrono::milliseconds every,
                           std::chrono::milliseconds after_failure)
    : etag_(std::move(current_etag)), apply_(std::move(apply)), every_(every), after_failure_(after_failure) {}

void ConfigPoller::operator()(HubClient& client) {
    const auto now = std::chrono::steady_clock::now();
    if (next_pull_ && now < *next_pull_) return;
    ConfigPull pull;
    bool stored = false;
    try {  // on the sync thread: nothing may end the thread
        pull = pull_config(client, etag_);
    } catch (const std::exception& error) {
        pull = failed(std::string("reading the kiosk configuration failed: ") + error.what());
    }
    try {
        stored = apply_ ? apply_(pull) : false;
    } catch (const std::exception& error) {
        pull = failed(std::string("storing the kiosk configuration failed: ") + error.what());
    }
    // Once per distinct failure, not at every retry: the journal keeps what went wrong and when.
    if (pull.outcome == ConfigPull::Outcome::Failed && pull.error != last_failure_logged_) {
        std::clog << "truthpoint-kiosk: " << pull.error << '\n';
        last_failure_logged_ = pull.error;
    } else if (pull.outcome != ConfigPull::Outcome::Failed) {
        last_failure_logged_.clear();
    }
    if (pull.outcome == ConfigPull::Outcome::Updated && stored) etag_ = pull.etag;
    const bool retry_soon = pull.outcome == ConfigPull::Outcome::Failed;
    next_pull_ = std::chrono::steady_clock::now() + (retry_soon ? after_failure_ : every_);
}

}  // namespace truthpoint::sync
