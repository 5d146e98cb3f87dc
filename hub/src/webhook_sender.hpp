// Sending a webhook's delivery: one signed JSON POST over libcurl (TLS verified by the system's CAs), and the
// backoff between tries. Private to hub/; the server's webhook worker drives it (docs/hub.md, "Webhooks").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// "sha256=" and the hex HMAC-SHA256 under the hex `secret` of "<timestamp>.<body>": what a receiver
// recomputes to check that a delivery is the hub's and was not replayed from long ago.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// POSTs the delivery with its signature headers (X-Truthpoint-Delivery, X-Truthpoint-Timestamp,
// X-Truthpoint-Signature). nullopt when the receiver answered 2xx; else what went wrong, for the outbox and
// `webhook list`.
std::optional<std::string> send_webhook(const WebhookDelivery& delivery, core::Timestamp now);

// How long to wait before try number `attempts + 1` after `attempts` failed ones: 1 s doubling to 5 minutes,
// so that a receiver back after an hour gets its backlog within minutes.
std::chrono::seconds webhook_backoff(std::int64_t attempts);

}  // namespace truthpoint::hub
