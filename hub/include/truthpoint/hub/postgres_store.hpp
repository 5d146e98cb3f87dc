// The PostgreSQL implementation of Store (`--db postgresql://USER[:PASSWORD]@HOST[:PORT]/DB`): for a
// chain, where several hub processes behind a load balancer share one database.
#pragma once

#include <memory>
#include <string_view>

#include "truthpoint/hub/role_store.hpp"

namespace truthpoint::hub {

class PostgresStore final : public RoleStore {
public:
    // Connects, then runs every pending migration under an advisory lock, so that hubs starting
    // together migrate once. Unavailable when the server cannot be reached (the message names host
    // and port, never the password); Unsupported when a newer hub has migrated the database further.
    static Result<std::unique_ptr<PostgresStore>> open(std::string_view url);
    static int latest_schema_version();

    ~PostgresStore() override;
    PostgresStore(const PostgresStore&) = delete;
    PostgresStore& operator=(const PostgresStore&) = delete;

    Result<std::vector<EventOutcome>> store_events(const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                                   core::Timestamp received_at) override;
    // One transaction for the group, a SAVEPOINT per batch (a deadlock victim is tried again alone).
    std::vector<Result<std::vector<EventOutcome>>> store_batches(std::vector<BatchToStore>& batches) override;
    Status write_rows(std::string_view table, const TableRows& chunk) override;

private:
    struct Impl;
    explicit PostgresStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
