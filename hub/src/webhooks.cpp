// Webhooks and their outbox, once for both engines (see webhooks.hpp).
#include "webhooks.hpp"

#include "truthpoint/core/uuid.hpp"

namespace truthpoint::hub {
namespace {

// Two hubs leasing at once can deadlock on PostgreSQL, which then gives one up.
constexpr int kAttemptsOnConflict = 4;

std::string_view scope_kind_text(WebhookScope kind) {
    switch (kind) {
        case WebhookScope::Chain: return "chain";
        case WebhookScope::Region: return "region";
        case WebhookScope::Store: return "store";
    }
    return "chain";
}

WebhookScope scope_kind_of(std::string_view text) {
    if (text == "region") return WebhookScope::Region;
    if (text == "store") return WebhookScope::Store;
    return WebhookScope::Chain;
}

core::UuidV7Generator& delivery_ids() {
    static core::UuidV7Generator generator;
    return generator;
}

void queue_for(sql::Connection& db, std::string_view webhook, const std::string& payload, core::Timestamp now) {
    db.execute("INSERT INTO webhook_outbox (delivery_id, webhook, payload, created_at, next_attempt_at) "
               "VALUES (?1, ?2, ?3, ?4, ?4)",
               {delivery_ids().next_at(now), webhook, payload, now});
}

}  // namespace

std::int64_t queue_notification(sql::Connection& db, std::string_view store_id, std::string_view region,
                                const std::string& payload, core::Timestamp now) {
    std::vector<std::string> names;
    {
        auto rows = db.query("SELECT name FROM webhooks WHERE scope_kind = 'chain' OR (scope_kind = 'region' AND "
                             "scope = ?1) OR (scope_kind = 'store' AND scope = ?2) ORDER BY name",
                             {region, store_id});
        while (rows->next()) names.push_back(rows->text(0));
    }  // read whole before writing: SQLite's statement must be done
    for (const std::string& name : names) queue_for(db, name, payload, now);
    return static_cast<std::int64_t>(names.size());
}

Status Webhooks::add(const WebhookRecord& webhook) {
    return sql::guarded<Ok>("adding a webhook", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        if (db->execute("INSERT INTO webhooks (name, scope_kind, scope, url, secret, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (name) DO NOTHING",
                        {webhook.name, scope_kind_text(webhook.scope_kind), webhook.scope, webhook.url, webhook.secret,
                         webhook.created_at}) == 0) {
            return make_error(ErrorCode::AlreadyExists, "a webhook named '" + webhook.name + "' already exists");
        }
        transaction.commit();
        return Ok{};
    });
}

Result<std::vector<WebhookRecord>> Webhooks::list() {
    return sql::guarded<std::vector<WebhookRecord>>("listing webhooks", [&]() -> Result<std::vector<WebhookRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query(
            "SELECT w.name, w.scope_kind, w.scope, w.url, w.secret, " + db->time_column("w.created_at") +
            ", (SELECT count(*) FROM webhook_outbox o WHERE o.webhook = w.name AND o.delivered_at IS NULL), "
            "(SELECT " + db->time_column("max(o.delivered_at)") + " FROM webhook_outbox o WHERE o.webhook = w.name), "
            "(SELECT o.last_error FROM webhook_outbox o WHERE o.webhook = w.name AND o.delivered_at IS NULL "
            "ORDER BY o.id LIMIT 1) FROM webhooks w ORDER BY w.name" + db->byte_order());
        std::vector<WebhookRecord> webhooks;
        while (rows->next()) {
            WebhookRecord& webhook = webhooks.emplace_back();
            webhook.name = rows->text(0);
            webhook.scope_kind = scope_kind_of(rows->text(1));
            webhook.scope = rows->text(2);
            webhook.url = rows->text(3);
            webhook.secret = rows->text(4);
            webhook.created_at = rows->time(5);
            webhook.pending = rows->integer(6);
            if (!rows->is_null(7)) webhook.last_delivered_at = rows->time(7);
            if (!rows->is_null(8)) webhook.last_error = rows->text(8);
        }
        return webhooks;
    });
}

Status Webhooks::remove(std::string_view name) {
    return sql::guarded<Ok>("removing a webhook", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        db->execute("DELETE FROM webhook_outbox WHERE webhook = ?1", {name});
        if (db->execute("DELETE FROM webhooks WHERE name = ?1", {name}) == 0) {
            return make_error(ErrorCode::NotFound, "no webhook is named '" + std::string(name) + "'");
        }
        transaction.commit();
        return Ok{};
    });
}

Status Webhooks::notify(std::string_view name, const std::string& payload, core::Timestamp now) {
    return sql::guarded<Ok>("queueing a notification", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        bool known = false;
        {
            auto rows = db->query("SELECT 1 FROM webhooks WHERE name = ?1", {name});
            known = rows->next();
        }
        if (!known) return make_error(ErrorCode::NotFound, "no webhook is named '" + std::string(name) + "'");
        queue_for(*db, name, payload, now);
        transaction.commit();
        return Ok{};
    });
}

Result<std::vector<WebhookDelivery>> Webhooks::lease(core::Timestamp now, std::chrono::seconds lease) {
    return sql::guarded<std::vector<WebhookDelivery>>("leasing webhook deliveries", [&]() -> Result<std::vector<WebhookDelivery>> {
        {
            // Most turns find nothing due: a read says so without taking SQLite's one writer from ingest.
            auto reader = database_.lend(sql::Access::Read);
            if (!reader->query("SELECT 1 FROM webhook_outbox WHERE delivered_at IS NULL AND next_attempt_at <= ?1 LIMIT 1",
                               {now})->next()) {
                return std::vector<WebhookDelivery>{};
            }
        }
        auto db = database_.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&] {
            sql::Transaction transaction(*db);
            std::vector<WebhookDelivery> due;
            {
                // Each webhook's oldest undelivered row, if its turn has come: the rows behind it wait, so that a
                // receiver gets them in order.
                auto rows = db->query(
                    "SELECT o.id, o.delivery_id, o.webhook, w.url, w.secret, o.payload, o.attempts "
                    "FROM webhook_outbox o JOIN webhooks w ON w.name = o.webhook "
                    "WHERE o.id IN (SELECT min(id) FROM webhook_outbox WHERE delivered_at IS NULL GROUP BY webhook) "
                    "AND o.next_attempt_at <= ?1 AND (o.leased_until IS NULL OR o.leased_until <= ?1) ORDER BY o.id",
                    {now});
                while (rows->next()) {
                    due.push_back({rows->integer(0), rows->text(1), rows->text(2), rows->text(3), rows->text(4),
                                   rows->text(5), rows->integer(6)});
                }
            }
            std::vector<WebhookDelivery> leased;
            for (WebhookDelivery& delivery : due) {
                // Another hub may have leased it since the read: only a row still free is taken.
                if (db->execute("UPDATE webhook_outbox SET leased_until = ?2 WHERE id = ?1 AND delivered_at IS NULL "
                                "AND (leased_until IS NULL OR leased_until <= ?3)",
                                {delivery.id, now + lease, now}) == 1) {
                    leased.push_back(std::move(delivery));
                }
            }
            transaction.commit();
            return leased;
        });
    });
}

Status Webhooks::finish(std::int64_t id, core::Timestamp now, const std::optional<std::string>& error,
                        core::Timestamp retry_at) {
    return sql::guarded<Ok>("recording a webhook delivery", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        if (error) {
            db->execute("UPDATE webhook_outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3, "
                        "leased_until = NULL WHERE id = ?1",
                        {id, *error, retry_at});
        } else {
            db->execute("UPDATE webhook_outbox SET attempts = attempts + 1, delivered_at = ?2, leased_until = NULL "
                        "WHERE id = ?1",
                        {id, now});
        }
        transaction.commit();
        return Ok{};
    });
}

}  // namespace truthpoint::hub
