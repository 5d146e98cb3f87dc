// push_pending: the outbox loop of one sync pass. Retry timing belongs to the caller (Backoff).
#include "truthpoint/sync/uploader.hpp"

#include <unordered_set>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::sync {
namespace {

using Batch = std::vector<core::PendingEvent>;

std::string hub_reason(const HttpResult& result) {
    const auto body = nlohmann::json::parse(result.body, nullptr, false);
    if (!body.is_discarded() && body.is_object() && body.contains("error") && body["error"].is_string()) {
        return body["error"].get<std::string>();
    }
    return {};
}

std::string describe_status(const HubClient& client, const HttpResult& result) {
    std::string message = "the hub at " + client.endpoint().url + " answered HTTP " + std::to_string(result.status);
    if (const std::string reason = hub_reason(result); !reason.empty()) message += ": " + reason;
    if (result.status == 401 || result.status == 403) message += " (check [hub] token in the kiosk's configuration)";
    if (result.status == 404) message += " (check [hub] url in the kiosk's configuration)";
    return message;
}

bool splits(long status) { return status == 400 || status == 409 || status == 413 || status == 422; }
bool retryable(long status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

SyncReport push_pending(core::Outbox& outbox, HubClient& client, const BatchLimits& limits,
                        const std::atomic<bool>* cancel) {
    SyncReport report;
    core::UuidV7Generator batch_ids;
    std::vector<Batch> work;  // halves of a refused batch wait here, smallest last

    auto stop = [&](StopReason why, std::string error) {
        report.stop = why;
        report.error = std::move(error);
        outbox.record_failure(report.error, core::now_utc());
        return report;
    };

    for (;;) {
        if (cancel && cancel->load()) {
            report.stop = StopReason::Cancelled;
            report.error = "sync cancelled by shutdown";
            return report;
        }
        if (work.empty()) {
            Batch next = outbox.next_batch(limits.max_events, limits.max_bytes);
            if (next.empty()) return report;
            work.push_back(std::move(next));
        }
        Batch batch = std::move(work.back());
        work.pop_back();

        std::vector<std::string> payloads;
        payloads.reserve(batch.size());
        for (const auto& event : batch) payloads.push_back(event.payload);
        const HttpResult result = client.post_batch(core::encode_batch(batch_ids.next(), payloads));
        report.wire_bytes += static_cast<std::int64_t>(client.last_request_bytes());

        if (!result.reached) {
            if (cancel && cancel->load()) continue;  // reported as cancelled at the top
            return stop(StopReason::Retryable, "cannot reach the hub at " + client.endpoint().url + ": " + result.error);
        }
        if (splits(result.status)) {
            if (batch.size() > 1) {
                const auto middle = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
                work.emplace_back(middle, batch.end());  // sent second
                work.emplace_back(batch.begin(), middle);
                continue;
            }
            const std::string reason = "the hub refused this event (HTTP " + std::to_string(result.status) + ")" +
                                       (hub_reason(result).empty() ? "" : ": " + hub_reason(result));
            outbox.settle({}, {{batch.front().id, reason}}, core::now_utc());
            ++report.quarantined;
            continue;
        }
        if (result.status != 200) {
            report.retry_after = result.retry_after;
            return stop(retryable(result.status) ? StopReason::Retryable : StopReason::Refused,
                        describe_status(client, result));
        }

        const auto reply = core::decode_batch_reply(result.body);
        if (!reply) {
            return stop(StopReason::Retryable,
                        "the hub at " + client.endpoint().url + " sent an unreadable answer: " + reply.reason());
        }
        const auto& answer = reply.value();
        if (answer.accepted + answer.duplicates + static_cast<long>(answer.rejected.size()) !=
            static_cast<long>(batch.size())) {
            return stop(StopReason::Retryable,
                        "the hub at " + client.endpoint().url + " accounted for " +
                            std::to_string(answer.accepted + answer.duplicates + answer.rejected.size()) + " of " +
                            std::to_string(batch.size()) + " events; they stay pending");
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
