// The storage role of sorry cards at the till, written once over the SQL seam for both engines: a card is
// its sorry.card event (found by its code), and its one redemption a row keyed by that code.
#pragma once

#include <optional>
#include <string_view>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class SorryCards {
public:
    explicit SorryCards(sql::Database& database) : database_(database) {}

    // As Store::find_sorry_card and Store::redeem_sorry_card.
    Result<std::optional<SorryCardRecord>> find(std::string_view code);
    Result<Redemption> redeem(std::string_view code, std::string_view pos_id, core::Timestamp now);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
