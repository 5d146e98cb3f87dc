// The part of Store answered by the storage roles written once over the SQL seam (hub/src/sql.hpp):
// the kiosk and till registry, the event log's reading side, receipts, sorry cards, webhooks and their
// outbox, users with their sessions and sign-in throttling, kiosk configuration documents and the hub's
// secrets, the stats counted from the rollups, the dashboard's reads, `db copy`'s row counts. SqliteStore and PostgresStore derive from it and
// hand it their seam.
#pragma once

#include <memory>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

namespace sql {
class Database;
}

class RoleStore : public Store {
public:
    ~RoleStore() override;

    Status add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) override;
    Result<std::vector<KioskRecord>> list_kiosks() override;
    Result<KioskRecord> revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) override;
    Result<KioskRecord> rotate_kiosk_token(std::string_view kiosk_id, std::string_view token_hash) override;
    Result<std::optional<KioskRecord>> find_kiosk_by_token_hash(std::string_view token_hash) override;
    Status add_pos(const NewPos& pos, core::Timestamp created_at) override;
    Result<std::optional<PosRecord>> find_pos_by_token_hash(std::string_view token_hash) override;
    Result<std::vector<PosRecord>> list_pos() override;
    Result<PosRecord> revoke_pos(std::string_view pos_id, core::Timestamp revoked_at) override;
    Result<Stats> stats() override;
    Result<std::int64_t> fold_rollups(std::int64_t max_events) override;
    Status catch_up_rollups() override;
    DashboardQueries& dashboard() override;
    Alerts& alerts() override;
    Reviews& reviews() override;
    Result<ConfigPut> put_config(std::string_view scope, const std::string& document, const std::string& etag, core::Timestamp updated_at) override;
    Result<std::optional<ConfigRecord>> get_config(std::string_view scope) override;
    Result<std::optional<std::string>> get_secret(std::string_view name) override;
    Result<std::string> keep_secret(std::string_view name, const std::string& value, core::Timestamp now) override;
    Status rotate_receipt_key(const std::string& current, const std::string& fresh, core::Timestamp now,
                              core::Timestamp kiosks_until) override;
    Result<std::vector<RetiredReceiptKey>> retired_receipt_keys() override;
    Status add_user(const UserRecord& user) override;
    Result<std::vector<UserRecord>> list_users() override;
    Result<std::optional<UserRecord>> find_user(std::string_view name) override;
    Status remove_user(std::string_view name) override;
    Status set_password(std::string_view name, const std::string& password_hash) override;
    Status set_language(std::string_view name, std::string_view language) override;
    Status add_session(const NewSession& session) override;
    Result<std::optional<UserRecord>> find_session_user(std::string_view token_hash, core::Timestamp now) override;
    Status remove_session(std::string_view token_hash) override;
    Result<std::optional<core::Timestamp>> begin_sign_in_attempt(std::string_view name, core::Timestamp now, int limit, std::chrono::seconds pause) override;
    Status forget_sign_in_failures(std::string_view name) override;
    Result<std::int64_t> count_rows(std::string_view table) override;
    Result<ReceiptsStored> store_receipts(std::string_view store_id, const std::vector<Receipt>& receipts,
                                          core::Timestamp received_at) override;
    Result<std::optional<SorryCardRecord>> find_sorry_card(std::string_view code) override;
    Result<Redemption> redeem_sorry_card(std::string_view code, std::string_view pos_id, core::Timestamp now) override;
    Status add_webhook(const WebhookRecord& webhook) override;
    Result<std::vector<WebhookRecord>> list_webhooks() override;
    Status remove_webhook(std::string_view name) override;
    Status notify_webhook(std::string_view name, const std::string& payload, core::Timestamp now) override;
    Result<std::vector<WebhookDelivery>> lease_webhook_deliveries(core::Timestamp now, std::chrono::seconds lease) override;
    Status finish_webhook_delivery(std::int64_t id, core::Timestamp now, const std::optional<std::string>& error,
                                   core::Timestamp retry_at) override;
    Status for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) override;
    Result<std::vector<PagedEvent>> events_page(const EventPageRequest& request) override;
    Status check_health() override;
    Result<StoreRecord> set_store(std::string_view store_id, std::string_view time_zone,
                                  const std::optional<std::string>& name, core::Timestamp now) override;
    Result<std::vector<StoreRecord>> list_stores() override;

protected:
    RoleStore();
    // Called once by the engine's constructor; `seam` must outlive this object's use of it.
    void attach_roles(sql::Database& seam);

private:
    struct Roles;
    std::unique_ptr<Roles> roles_;
};

}  // namespace truthpoint::hub
