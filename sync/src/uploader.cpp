// push_pending: the outbox loop of a one-shot sync. Retry with backoff belongs to the caller.
#include "truthpoint/sync/uploader.hpp"

#include <unordered_set>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::sync {
namespace {

std::string describe_refusal(const HubClient& client, const HttpResult& result) {
    std::string message = "the hub at " + client.endpoint().url + " answered HTTP " + std::to_string(result.status);
    const auto reason = nlohmann::json::parse(result.body, nullptr, false);
    if (!reason.is_discarded() && reason.is_object() && reason.contains("error") && reason["error"].is_string()) {
        message += ": " + reason["error"].get<std::string>();
    }
    if (result.status == 401) message += " (check [hub] token in the kiosk's configuration)";
    return message;
}

}  // namespace

SyncReport push_pending(core::Outbox& outbox, HubClient& client, const BatchLimits& limits) {
    SyncReport report;
    core::UuidV7Generator batch_ids;
    for (;;) {
        const std::vector<core::PendingEvent> batch = outbox.next_batch(limits.max_events, limits.max_bytes);
        if (batch.empty()) return report;

        std::vector<std::string> payloads;
        payloads.reserve(batch.size());
        for (const auto& event : batch) payloads.push_back(event.payload);
        const HttpResult result = client.post_batch(core::encode_batch(batch_ids.next(), payloads));
        report.wire_bytes += static_cast<std::int64_t>(client.last_request_bytes());

        if (!result.reached) {
            report.error = "cannot reach the hub at " + client.endpoint().url + ": " + result.error;
        } else if (result.status != 200) {
            report.error = describe_refusal(client, result);
        }
        if (!report.error.empty()) {
            outbox.record_failure(report.error, core::now_utc());
            return report;
        }

        const auto reply = core::decode_batch_reply(result.body);
        if (!reply) {
            report.error = "the hub at " + client.endpoint().url + " sent an unreadable answer: " + reply.reason();
            outbox.record_failure(report.error, core::now_utc());
            return report;
        }

        const auto& answer = reply.value();
        if (answer.accepted + answer.duplicates + static_cast<long>(answer.rejected.size()) !=
            static_cast<long>(batch.size())) {
            report.error = "the hub at " + client.endpoint().url + " accounted for " +
                           std::to_string(answer.accepted + answer.duplicates + answer.rejected.size()) + " of " +
                           std::to_string(batch.size()) + " events; they stay pending";
            outbox.record_failure(report.error, core::now_utc());
            return report;
        }

        // Every event sent and not rejected is held by the hub, whether stored now or before.
        std::unordered_set<std::string> sent;
        for (const auto& event : batch) sent.insert(event.id);
        std::vector<core::Quarantined> quarantined;
        std::unordered_set<std::string> rejected_ids;
        for (const auto& rejection : answer.rejected) {
            if (sent.count(rejection.id) && rejected_ids.insert(rejection.id).second) {
                quarantined.push_back({rejection.id, rejection.reason});
            }
        }
        std::vector<std::string> delivered;
        for (const auto& event : batch) {
            if (!rejected_ids.count(event.id)) delivered.push_back(event.id);
        }
        outbox.settle(delivered, quarantined, core::now_utc());

        ++report.batches;
        report.delivered += static_cast<std::int64_t>(delivered.size());
        report.duplicates += answer.duplicates;
        report.quarantined += static_cast<std::int64_t>(quarantined.size());
    }
}

}  // namespace truthpoint::sync
