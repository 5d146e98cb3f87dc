// The storage role of kiosk configuration documents and the hub's own secrets (the receipt keys among them),
// written once over the
// SQL seam for both engines. SqliteStore and PostgresStore hold one and answer Store's calls with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class ConfigDocuments {
public:
    explicit ConfigDocuments(sql::Database& database) : database_(database) {}

    // As Store::put_config, get_config, get_secret and keep_secret.
    Result<ConfigPut> put(std::string_view scope, const std::string& document, const std::string& etag,
                          core::Timestamp updated_at);
    Result<std::optional<ConfigRecord>> get(std::string_view scope);
    Result<std::optional<std::string>> secret(std::string_view name);
    Result<std::string> keep_secret(std::string_view name, const std::string& value, core::Timestamp now);
    // As Store::rotate_receipt_key and retired_receipt_keys.
    Status rotate_receipt_key(const std::string& current, const std::string& fresh, core::Timestamp now,
                              core::Timestamp kiosks_until);
    Result<std::vector<RetiredReceiptKey>> retired_receipt_keys();

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
