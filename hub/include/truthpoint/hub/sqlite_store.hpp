// The SQLite implementation of Store: the embedded default (`--db sqlite:PATH`).
// WAL, synchronous=FULL, busy_timeout, numbered migrations through PRAGMA user_version.
#pragma once

#include <filesystem>
#include <memory>

#include "truthpoint/hub/role_store.hpp"

namespace truthpoint::hub {

class SqliteStore final : public RoleStore {
public:
    // Opens or creates the file and runs every pending migration. Unsupported when the file was
    // written by a newer hub (its schema version is above latest_schema_version()).
    static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path);
    static int latest_schema_version();

    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<std::vector<EventOutcome>> store_events(const KioskIdentity& sender, const std::vector<IncomingEvent>& events,
                                                   core::Timestamp received_at) override;
    // One transaction for the whole group, a SAVEPOINT per batch.
    std::vector<Result<std::vector<EventOutcome>>> store_batches(std::vector<BatchToStore>& batches) override;
    Status read_rows(std::string_view table, std::size_t chunk_rows,
                     const std::function<Status(const TableRows&)>& sink) override;

private:
    struct Impl;
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace truthpoint::hub
