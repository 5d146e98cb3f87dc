// Store's role methods, answered once for both engines (see role_store.hpp).
#include "truthpoint/hub/role_store.hpp"

#include "config_documents.hpp"
#include "truthpoint/hub/dashboard_queries.hpp"
#include "event_log.hpp"
#include "receipts.hpp"
#include "registry.hpp"
#include "rollups.hpp"
#include "sorry_cards.hpp"
#include "sql.hpp"
#include "stores.hpp"
#include "table_copy.hpp"
#include "user_accounts.hpp"
#include "webhooks.hpp"

namespace truthpoint::hub {

struct RoleStore::Roles {
    explicit Roles(sql::Database& seam)
        : seam(seam), registry(seam), event_log(seam), receipts(seam), user_accounts(seam), config_documents(seam),
          rollups(seam), table_copy(seam), stores(seam), sorry_cards(seam), webhooks(seam), dashboard(seam), alerts(seam), reviews(seam) {}
    sql::Database& seam;
    Registry registry;
    EventLog event_log;
    Receipts receipts;
    UserAccounts user_accounts;
    ConfigDocuments config_documents;
    Rollups rollups;
    TableCopy table_copy;
    Stores stores;
    SorryCards sorry_cards;
    Webhooks webhooks;
    DashboardQueries dashboard;
    Alerts alerts;
    Reviews reviews;
};

RoleStore::RoleStore() = default;
RoleStore::~RoleStore() = default;

void RoleStore::attach_roles(sql::Database& seam) { roles_ = std::make_unique<Roles>(seam); }

Result<StoreRecord> RoleStore::set_store(std::string_view store_id, std::string_view time_zone,
                                         const std::optional<std::string>& name, core::Timestamp now) {
    return roles_->stores.set(store_id, time_zone, name, now);
}

Result<std::vector<StoreRecord>> RoleStore::list_stores() { return roles_->stores.list(); }

Status RoleStore::add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) {
    return roles_->registry.add_kiosk(kiosk, created_at);
}

Result<std::vector<KioskRecord>> RoleStore::list_kiosks() {
    return roles_->registry.list_kiosks();
}

Result<KioskRecord> RoleStore::revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) {
    return roles_->registry.revoke_kiosk(kiosk_id, revoked_at);
}

Result<KioskRecord> RoleStore::rotate_kiosk_token(std::string_view kiosk_id, std::string_view token_hash) {
    return roles_->registry.rotate_kiosk_token(kiosk_id, token_hash);
}

Result<std::optional<KioskRecord>> RoleStore::find_kiosk_by_token_hash(std::string_view token_hash) {
    return roles_->registry.find_kiosk_by_token_hash(token_hash);
}

Status RoleStore::add_pos(const NewPos& pos, core::Timestamp created_at) {
    return roles_->registry.add_pos(pos, created_at);
}

Result<std::optional<PosRecord>> RoleStore::find_pos_by_token_hash(std::string_view token_hash) {
    return roles_->registry.find_pos_by_token_hash(token_hash);
}

Result<std::vector<PosRecord>> RoleStore::list_pos() {
    return roles_->registry.list_pos();
}

Result<PosRecord> RoleStore::revoke_pos(std::string_view pos_id, core::Timestamp revoked_at) {
    return roles_->registry.revoke_pos(pos_id, revoked_at);
}

Result<Stats> RoleStore::stats() {
    return roles_->rollups.stats();
}

Result<std::int64_t> RoleStore::fold_rollups(std::int64_t max_events) {
    return roles_->rollups.fold(max_events);
}

Status RoleStore::catch_up_rollups() {
    return catch_up_rollups_of(roles_->seam);
}

DashboardQueries& RoleStore::dashboard() { return roles_->dashboard; }

Alerts& RoleStore::alerts() { return roles_->alerts; }

Reviews& RoleStore::reviews() { return roles_->reviews; }

Result<ConfigPut> RoleStore::put_config(std::string_view scope, const std::string& document, const std::string& etag, core::Timestamp updated_at) {
    return roles_->config_documents.put(scope, document, etag, updated_at);
}

Result<std::optional<ConfigRecord>> RoleStore::get_config(std::string_view scope) {
    return roles_->config_documents.get(scope);
}

Result<std::optional<std::string>> RoleStore::get_secret(std::string_view name) {
    return roles_->config_documents.secret(name);
}

Result<std::string> RoleStore::keep_secret(std::string_view name, const std::string& value, core::Timestamp now) {
    return roles_->config_documents.keep_secret(name, value, now);
}

Status RoleStore::rotate_receipt_key(const std::string& current, const std::string& fresh, core::Timestamp now,
                                     core::Timestamp kiosks_until) {
    return roles_->config_documents.rotate_receipt_key(current, fresh, now, kiosks_until);
}

Result<std::vector<RetiredReceiptKey>> RoleStore::retired_receipt_keys() {
    return roles_->config_documents.retired_receipt_keys();
}

Status RoleStore::add_user(const UserRecord& user) {
    return roles_->user_accounts.add_user(user);
}

Result<std::vector<UserRecord>> RoleStore::list_users() {
    return roles_->user_accounts.list_users();
}

Result<std::optional<UserRecord>> RoleStore::find_user(std::string_view name) {
    return roles_->user_accounts.find_user(name);
}

Status RoleStore::remove_user(std::string_view name) {
    return roles_->user_accounts.remove_user(name);
}

Status RoleStore::set_language(std::string_view name, std::string_view language) {
    return roles_->user_accounts.set_language(name, language);
}

Status RoleStore::set_password(std::string_view name, const std::string& password_hash) {
    return roles_->user_accounts.set_password(name, password_hash);
}

Status RoleStore::add_session(const NewSession& session) {
    return roles_->user_accounts.add_session(session);
}

Result<std::optional<UserRecord>> RoleStore::find_session_user(std::string_view token_hash, core::Timestamp now) {
    return roles_->user_accounts.find_session_user(token_hash, now);
}

Status RoleStore::remove_session(std::string_view token_hash) {
    return roles_->user_accounts.remove_session(token_hash);
}

Result<std::optional<core::Timestamp>> RoleStore::begin_sign_in_attempt(std::string_view name, core::Timestamp now, int limit, std::chrono::seconds pause) {
    return roles_->user_accounts.begin_sign_in_attempt(name, now, limit, pause);
}

Status RoleStore::forget_sign_in_failures(std::string_view name) {
    return roles_->user_accounts.forget_sign_in_failures(name);
}

Result<std::int64_t> RoleStore::count_rows(std::string_view table) {
    return roles_->table_copy.count_rows(table);
}

Result<ReceiptsStored> RoleStore::store_receipts(std::string_view store_id, const std::vector<Receipt>& receipts,
                                                 core::Timestamp received_at) {
    return roles_->receipts.store(store_id, receipts, received_at);
}

Result<std::optional<SorryCardRecord>> RoleStore::find_sorry_card(std::string_view code) {
    return roles_->sorry_cards.find(code);
}

Result<Redemption> RoleStore::redeem_sorry_card(std::string_view code, std::string_view pos_id, core::Timestamp now) {
    return roles_->sorry_cards.redeem(code, pos_id, now);
}

Status RoleStore::add_webhook(const WebhookRecord& webhook) { return roles_->webhooks.add(webhook); }

Result<std::vector<WebhookRecord>> RoleStore::list_webhooks() { return roles_->webhooks.list(); }

Status RoleStore::remove_webhook(std::string_view name) { return roles_->webhooks.remove(name); }

Status RoleStore::notify_webhook(std::string_view name, const std::string& payload, core::Timestamp now) {
    return roles_->webhooks.notify(name, payload, now);
}

Result<std::vector<WebhookDelivery>> RoleStore::lease_webhook_deliveries(core::Timestamp now, std::chrono::seconds lease) {
    return roles_->webhooks.lease(now, lease);
}

Status RoleStore::finish_webhook_delivery(std::int64_t id, core::Timestamp now, const std::optional<std::string>& error,
                                          core::Timestamp retry_at) {
    return roles_->webhooks.finish(id, now, error, retry_at);
}

Status RoleStore::for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) {
    return roles_->event_log.for_each_event(filter, visit);
}

Result<std::vector<PagedEvent>> RoleStore::events_page(const EventPageRequest& request) {
    return roles_->event_log.page(request);
}

Status RoleStore::check_health() {
    return sql::guarded<Ok>("checking the database", [&]() -> Status {
        auto db = roles_->seam.lend(sql::Access::Read);
        db->query("SELECT 1 FROM kiosks LIMIT 1")->next();
        return Ok{};
    });
}

}  // namespace truthpoint::hub
