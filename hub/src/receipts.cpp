// Receipts, once for both engines (see receipts.hpp).
#include "receipts.hpp"

namespace truthpoint::hub {

// Two hubs marking the same events at once can deadlock on PostgreSQL, which then gives one transaction up.
constexpr int kAttemptsOnConflict = 4;

Result<ReceiptsStored> Receipts::store(std::string_view store_id, const std::vector<Receipt>& receipts,
                                       core::Timestamp received_at) {
    return sql::guarded<ReceiptsStored>("storing receipts", [&]() -> Result<ReceiptsStored> {
        auto db = database_.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&] {
            ReceiptsStored result;
            sql::Transaction transaction(*db);
            for (const Receipt& receipt : receipts) {
                if (db->execute("INSERT INTO receipts (store_id, receipt_hash, time, received_at) "
                                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                                {store_id, receipt.receipt_hash, receipt.time, received_at}) == 0) {
                    ++result.duplicates;  // the first copy of a receipt stands
                    continue;
                }
                ++result.stored;
                for (const std::string& sku : receipt.skus) {
                    db->execute("INSERT INTO receipt_items (store_id, receipt_hash, sku) VALUES (?1, ?2, ?3) "
                                "ON CONFLICT DO NOTHING",
                                {store_id, receipt.receipt_hash, sku});
                }
                // Feedback that arrived before its receipt is verified now.
                result.verified_events += db->execute(
                    "UPDATE events SET verified_purchase = TRUE WHERE store_id = ?1 AND receipt_hash = ?2 "
                    "AND NOT verified_purchase AND sku IN "
                    "(SELECT sku FROM receipt_items WHERE store_id = ?1 AND receipt_hash = ?2)",
                    {store_id, receipt.receipt_hash});
            }
            transaction.commit();
            return result;
        });
    });
}

}  // namespace truthpoint::hub
