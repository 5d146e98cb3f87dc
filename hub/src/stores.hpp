// The storage role of stores (their time zone and name), written once over the SQL seam for both engines.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rollups.hpp"
#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Each method as the Store method of the same name (set_store, list_stores).
class Stores {
public:
    explicit Stores(sql::Database& database) : database_(database) {}

    Result<StoreRecord> set(std::string_view store_id, std::string_view time_zone,
                            const std::optional<std::string>& name, core::Timestamp now);
    Result<std::vector<StoreRecord>> list();

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
