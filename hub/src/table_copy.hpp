// The part of `db copy` both engines share, written once over the SQL seam: counting a table's rows.
// Reading (SQLite, the only source) and writing (PostgreSQL, the only target) stay with their engine:
// each is one engine's side alone, and the text forms of times and booleans are that engine's own.
#pragma once

#include <cstdint>
#include <string_view>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

class TableCopy {
public:
    explicit TableCopy(sql::Database& database) : database_(database) {}

    // As Store::count_rows.
    Result<std::int64_t> count_rows(std::string_view table);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
