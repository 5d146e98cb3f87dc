// The PostgreSQL implementation of Store (`--db postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`): for a
// chain, where several hub processes behind a load balancer share one database.
#pragma once

#include <memory>
#include <string_view>

#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class PostgresStore final : public Store {
public:
    // Connects, then runs every pending migration under an advisory lock, so that hubs starting
    // together migrate once. Unavailable when the server cannot be reached (the message names host
    // and port, never the password); Unsupported when a newer hub has migrated the database further.
    static Result<std::unique_ptr<PostgresStore>> open(std::string_view url);
    static int latest_schema_version();

    ~PostgresStore() override;
    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;

    Status add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) override;
    Result<std::vector<KioskRecord>> list_kiosks() override;
    Result<KioskRecord> revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) override;
    Result<std::optional<KioskRecord>> find_kiosk_by_token_hash(std::string_view token_hash) override;
    Result<std::vector<EventOutcome>> store_events(const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                                   core::Timestamp received_at) override;
    // One transaction for the group, a SAVEPOINT per batch (a deadlock victim is tried again alone).
    std::vector<Result<std::vector<EventOutcome>>> store_batches(std::vector<BatchToStore>& batches) override;
    Status for_each_event(const EventFilter& filter, const std::function<bool(const StoredEvent&)>& visit) override;
    Result<Stats> stats() override;
    Result<ConfigPut> put_config(std::string_view scope, const std::string& document, const std::string& etag,
                                 core::Timestamp updated_at) override;
    Result<std::optional<ConfigRecord>> get_config(std::string_view scope) override;
    Result<std::optional<std::string>> get_secret(std::string_view name) override;
    Result<std::string> keep_secret(std::string_view name, const std::string& value, core::Timestamp now) override;
    Status check_health() override;
    Status add_user(const UserRecord& user) override;
    Result<std::vector<UserRecord>> list_users() override;
    Result<std::optional<UserRecord>> find_user(std::string_view name) override;
    Status remove_user(std::string_view name) override;
    Status set_password(std::string_view name, const std::string& password_hash) override;
    Status add_session(const NewSession& session) override;
    Result<std::optional<UserRecord>> find_session_user(std::string_view token_hash, core::Timestamp now) override;
    Status remove_session(std::string_view token_hash) override;
    Result<std::optional<core::Timestamp>> begin_sign_in_attempt(std::string_view name, core::Timestamp now, int limit,
                                                                 std::chrono::seconds pause) override;
    Status forget_sign_in_failures(std::string_view name) override;
    Result<std::vector<PagedEvent>> events_page(const EventPageRequest& request) override;
    Status write_rows(std::string_view table, const TableRows& chunk) override;
    Result<std::int64_t> count_rows(std::string_view table) override;
    Status add_pos(const NewPos& pos, core::Timestamp created_at) override;
    Result<std::optional<PosRecord>> find_pos_by_token_hash(std::string_view token_hash) override;
    Result<std::vector<PosRecord>> list_pos() override;
    Result<PosRecord> revoke_pos(std::string_view pos_id, core::Timestamp revoked_at) override;
    Result<ReceiptsStored> store_receipts(std::string_view store_id, const std::vector<Receipt>& receipts,
                                          core::Timestamp received_at) override;

private:
    struct Impl;
    explicit PostgresStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
