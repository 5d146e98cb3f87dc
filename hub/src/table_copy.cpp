// `db copy`'s row counts, once for both engines (see table_copy.hpp).
#include "table_copy.hpp"

#include <string>

namespace truthpoint::hub {

Result<std::int64_t> TableCopy::count_rows(std::string_view table) {
    if (auto known = check_copied_table(table); !known) return known.error();  // the name reaches SQL text
    return sql::guarded<std::int64_t>("counting rows", [&]() -> Result<std::int64_t> {
        auto db = database_.lend(sql::Access::Read);
        auto count = db->query("SELECT count(*) FROM " + std::string(table));
        return count->next() ? count->integer(0) : 0;
    });
}

}  // namespace truthpoint::hub
