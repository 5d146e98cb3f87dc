// The storage role of till receipts and the purchases they verify, written once over the SQL seam for both
// engines. The points of sale that send them are in the Registry.
#pragma once

#include <string_view>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class Receipts {
public:
    explicit Receipts(sql::Database& database) : database_(database) {}

    // As Store::store_receipts.
    Result<ReceiptsStored> store(std::string_view store_id, const std::vector<Receipt>& receipts,
                                 core::Timestamp received_at);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
