// The storage role of webhooks and their durable outbox, written once over the SQL seam for both engines.
// A notification becomes outbox rows (one per webhook whose scope holds its place) in the transaction of
// whatever it tells, so that what is committed is sent, however the hub stops afterwards. The sending is
// the server's webhook worker (webhook_sender.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Inside the write transaction `db` is in: queues `payload` (JSON text) for every webhook of the chain, of
// `region` (compared as enrolled) and of `store_id`. Returns how many were queued.
std::int64_t queue_notification(sql::Connection& db, std::string_view store_id, std::string_view region,
                                const std::string& payload, core::Timestamp now);

class Webhooks {
public:
    explicit Webhooks(sql::Database& database) : database_(database) {}

    // As the Store methods of the same names.
    Status add(const WebhookRecord& webhook);
    Result<std::vector<WebhookRecord>> list();
    Status remove(std::string_view name);
    Status notify(std::string_view name, const std::string& payload, core::Timestamp now);
    Result<std::vector<WebhookDelivery>> lease(core::Timestamp now, std::chrono::seconds lease);
    Status finish(std::int64_t id, core::Timestamp now, const std::optional<std::string>& error,
                  core::Timestamp retry_at);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
