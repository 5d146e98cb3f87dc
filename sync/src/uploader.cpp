// push_pending: the outbox loop of one sync pass. Retry timing belongs to the caller (Backoff).
#include "truthpoint/sync/uploader.hpp"

#include <future>
#include <unordered_set>
#include <vector>

#include "truthpoint/core/wire.hpp"
#include "truthpoint/sync/kiosk_identity.hpp"

namespace truthpoint::sync {
namespace {

using Batch = std::vector<core::PendingEvent>;

bool splits(long status) { return status == 400 || status == 409 || status == 413 || status == 422; }

core::SyncProblem problem_of_status(long status) {
    if (status == 401 || status == 403) return core::SyncProblem::TokenRefused;
    if (status == 404) return core::SyncProblem::WrongAddress;
    if (retryable_status(status)) return core::SyncProblem::HubBusy;
    return core::SyncProblem::HubFailed;
}

}  // namespace

SyncReport push_pending(core::Outbox& outbox, HubClient& client, const BatchLimits& limits,
                        const std::atomic<bool>* cancel, IdentityCheck* identity) {
    SyncReport report;
    core::UuidV7Generator batch_ids;
    std::vector<Batch> work;    // halves of a refused batch wait here, smallest last
    std::int64_t read_up_to = 0;  // the highest seq already taken into a batch

    // `problem` says what a person does about it; the outbox's own failures are the ledger's.
    auto stop = [&](StopReason why, core::Error error, core::SyncProblem problem = core::SyncProblem::LedgerFailed) {
        report.stop = why;
        report.problem = problem;
        report.error = std::move(error);
        // A ledger too damaged to record the failure still has it returned here.
        (void)outbox.record_failure(report.error.message, core::now_utc());
        return report;
    };
    auto hub_failed = [&](std::string message) {
        return stop(StopReason::Retryable, core::make_error(core::ErrorCode::Unavailable, std::move(message)),
                    core::SyncProblem::HubFailed);
    };
    // The halves of a refused batch first, then the next pending events not yet taken.
    auto take_next = [&]() -> core::Result<Batch> {
        if (!work.empty()) {
            Batch batch = std::move(work.back());
            work.pop_back();
            return batch;
        }
        auto batch = outbox.next_batch(limits.max_events, limits.max_bytes, read_up_to);
        if (batch && !batch->empty()) read_up_to = batch->back().seq;
        return batch;
    };
    // The body as it goes on the wire: JSON, gzip-compressed.
    auto encode = [&](const Batch& batch) {
        std::vector<std::string> payloads;
        payloads.reserve(batch.size());
        for (const auto& event : batch) payloads.push_back(event.payload);
        return gzip_compress(core::encode_batch(batch_ids.next(), payloads));
    };
    // One batch is on the wire while this thread reads, encodes and compresses the next and settles the
    // last: the hub never waits for the kiosk's disk or CPU. The client is used by one thread at a time.
    auto dispatch = [&](std::string body) {
        return std::async(std::launch::async,
                          [&client, body = std::move(body)] { return client.post_compressed_batch(body); });
    };

    // Another kiosk's token would file these events under that kiosk: ask the hub before the first batch.
    if (identity) {
        if (auto refused = identity->check(client)) {
            if (cancel && cancel->load()) {
                report.stop = StopReason::Cancelled;
                report.error = core::make_error(core::ErrorCode::Unavailable, "sync cancelled by shutdown");
                return report;
            }
            return stop(refused->retry_soon ? StopReason::Retryable : StopReason::Refused, std::move(refused->error),
                        refused->problem);
        }
    }

    auto first = take_next();
    if (!first) return stop(StopReason::Retryable, first.error());
    Batch current = std::move(first).value();
    if (current.empty()) return report;
    std::future<HttpResult> in_flight = dispatch(encode(current));
    for (;;) {
        Batch next;
        std::string next_body;
        std::optional<core::Error> read_error;  // reported once the batch in flight has its answer
        if (work.empty() && !(cancel && cancel->load())) {
            if (auto read = take_next()) {
                next = std::move(read).value();
            } else {
                read_error = read.error();
            }
            if (!next.empty()) next_body = encode(next);
        }
        const HttpResult result = in_flight.get();
        report.wire_bytes += static_cast<std::int64_t>(client.last_request_bytes());

        const bool cancelled = cancel && cancel->load();
        auto cancelled_report = [&] {
            report.stop = StopReason::Cancelled;
            report.error = core::make_error(core::ErrorCode::Unavailable, "sync cancelled by shutdown");
            return report;
        };
        if (!result) {
            if (cancelled) return cancelled_report();  // the transfer was cut short on purpose
            return stop(StopReason::Retryable,
                        core::Error{result.error().code, describe_unreached(client.endpoint().url, result.error()), {}},
                        unreached_problem(result.error()));
        }
        const HttpAnswer& answer = result.value();
        if (splits(answer.status)) {
            if (!next.empty()) work.insert(work.begin(), std::move(next));  // after the halves
            if (current.size() > 1) {
                const auto middle = current.begin() + static_cast<std::ptrdiff_t>(current.size() / 2);
                work.emplace_back(middle, current.end());  // sent second
                work.emplace_back(current.begin(), middle);
            } else {
                const std::string reason = "the hub refused this event (HTTP " + std::to_string(answer.status) + ")" +
                                           (hub_error_message(answer).empty() ? "" : ": " + hub_error_message(answer));
                if (auto settled = outbox.settle({}, {{current.front().id, reason}}, core::now_utc()); !settled) {
                    return stop(StopReason::Retryable, settled.error());
                }
                ++report.quarantined;
            }
            if (cancelled) return cancelled_report();
            if (read_error) return stop(StopReason::Retryable, *read_error);
            auto taken = take_next();
            if (!taken) return stop(StopReason::Retryable, taken.error());
            current = std::move(taken).value();
            if (current.empty()) return report;
            in_flight = dispatch(encode(current));
            continue;
        }
        if (answer.status != 200) {
            if (identity && (answer.status == 401 || answer.status == 403)) identity->token_refused();
            return stop(retryable_status(answer.status) ? StopReason::Retryable : StopReason::Refused,
                        refused_answer(client.endpoint().url, answer), problem_of_status(answer.status));
        }

        const auto decoded = core::decode_batch_reply(answer.body);
        if (!decoded) {
            return hub_failed("the hub at " + client.endpoint().url +
                                    " sent an unreadable answer: " + decoded.error().message);
        }
        const auto& reply = decoded.value();
        if (reply.accepted + reply.duplicates + static_cast<long>(reply.rejected.size()) !=
            static_cast<long>(current.size())) {
            return hub_failed("the hub at " + client.endpoint().url + " accounted for " +
                                    std::to_string(reply.accepted + reply.duplicates + reply.rejected.size()) +
                                    " of " + std::to_string(current.size()) + " events; they stay pending");
        }

        // A clean answer: the next batch leaves now, and this one is settled while it travels.
        if (cancelled) next.clear();  // still settled below: the hub holds these events
        if (!next.empty()) in_flight = dispatch(std::move(next_body));

        // Every event sent and not rejected is held by the hub, whether stored now or before.
        std::unordered_set<std::string> sent;
        for (const auto& event : current) sent.insert(event.id);
        std::vector<core::Quarantined> quarantined;
        std::unordered_set<std::string> rejected_ids;
        for (const auto& rejection : reply.rejected) {
            if (sent.count(rejection.id) && rejected_ids.insert(rejection.id).second) {
                quarantined.push_back({rejection.id, rejection.reason});
            }
        }
        std::vector<std::string> delivered;
        for (const auto& event : current) {
            if (!rejected_ids.count(event.id)) delivered.push_back(event.id);
        }
        // A failure here leaves the batch pending although the hub holds it: resent, it counts as duplicates.
        if (auto settled = outbox.settle(delivered, quarantined, core::now_utc()); !settled) {
            return stop(StopReason::Retryable, settled.error());
        }

        ++report.batches;
        report.delivered += static_cast<std::int64_t>(delivered.size());
        report.duplicates += reply.duplicates;
        report.quarantined += static_cast<std::int64_t>(quarantined.size());

        if (cancelled) return cancelled_report();
        if (read_error) return stop(StopReason::Retryable, *read_error);
        if (next.empty()) {
            // Nothing was read ahead (halves waiting, or the outbox looked empty): look again.
            auto taken = take_next();
            if (!taken) return stop(StopReason::Retryable, taken.error());
            current = std::move(taken).value();
            if (current.empty()) return report;
            in_flight = dispatch(encode(current));
        } else {
            current = std::move(next);
        }
    }
}

}  // namespace truthpoint::sync
