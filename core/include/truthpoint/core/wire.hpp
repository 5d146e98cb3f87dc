// The JSON wire codec: events, batches (kiosk → hub) and batch replies (hub → kiosk).
// Decoding never throws: it returns the value, or an InvalidArgument error saying why it was refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "truthpoint/core/event.hpp"
#include "truthpoint/core/result.hpp"

namespace truthpoint::core {

nlohmann::json event_to_json(const Event& event);
// Compact JSON text, keys sorted: exactly event_to_json(event).dump(). The kiosk freezes this text at capture
// so that a resend is byte-identical; the hub hashes it to tell a duplicate from a conflict. It always opens
// with {"data": followed by data's own text, whose length goes to `data_size` when given.
std::string encode_event(const Event& event, std::size_t* data_size = nullptr);
// Checks the envelope and, through validate_event, the type-specific data. The rvalue overload moves
// `data` out of `json` instead of copying it.
Result<Event> decode_event(const nlohmann::json& json);
Result<Event> decode_event(nlohmann::json&& json);
Result<Event> decode_event_text(std::string_view text);

// One element of a batch as received: either an event, or its id (if any) and why it was refused.
struct BatchItem {
    std::string id;      // as sent, possibly empty when the element had no usable id
    std::string reason;  // empty when `event` is valid
    Event event;
    std::string canonical;  // encode_event(event): what the hub stores and compares
    std::size_t data_size = 0;  // length of data's text inside `canonical`, which opens with {"data":
};

struct Batch {
    std::string batch_id;
    std::vector<BatchItem> items;
};

// What a batch body may hold, checked by every parser of it while it parses, before the events are built:
// beyond the first three, the whole body is refused (the kiosk splits a refused batch and quarantines
// what still fails alone); beyond the last, only that event is.
inline constexpr std::size_t kMaxBatchDepth = 32;       // nested objects and arrays, the body's own included
inline constexpr std::size_t kMaxBatchEvents = 10000;   // elements of "events" (a kiosk sends up to 500)
inline constexpr std::size_t kMaxEventValues = 1000;    // JSON values in one element, itself included
inline constexpr std::size_t kMaxEventDataBytes = 16 * 1024;  // `data` as canonical text

// {"batch_id":"...","events":[...]} from frozen event texts, without re-encoding them.
std::string encode_batch(std::string_view batch_id, const std::vector<std::string>& frozen_events);
// A malformed whole (not JSON, no batch_id, no events array, past the limits above) is a failure; a bad
// element is not: it becomes a BatchItem with a reason, so the rest of the batch can still be stored.
Result<Batch> decode_batch(std::string_view body);
// One element of "events" judged on its own: decoded, validated and encoded, or refused with a reason.
BatchItem decode_batch_item(nlohmann::json&& element);

struct Rejection {
    std::string id;
    std::string reason;
};

struct BatchReply {
    int accepted = 0;
    int duplicates = 0;
    std::vector<Rejection> rejected;  // every event of the batch not listed here is held by the hub
};

std::string encode_batch_reply(const BatchReply& reply);
Result<BatchReply> decode_batch_reply(std::string_view body);

}  // namespace truthpoint::core
