// Receipts, once for both engines (see receipts.hpp).
#include "receipts.hpp"

#include "rollups.hpp"

namespace truthpoint::hub {

namespace {

// The dashboard counts ratings by their verified mark: those a receipt verifies now move from "no" to
// "yes" on their local day, and their feedback session is marked. Before the events are marked, and only
// the events counted already (up to `folded_through`): the fold counts a later one with its mark.
void move_ratings_to_verified(sql::Connection& db, std::string_view store_id, const std::string& receipt_hash,
                              LocalClock& clock, std::int64_t folded_through) {
    struct Rating {
        core::Timestamp occurred_at;
        std::string sku, session_id;
        std::int64_t misuse;
        std::string region;  // of the kiosk that sent it
    };
    std::vector<Rating> ratings;
    {
        auto rows = db.query("SELECT " + db.time_column("occurred_at") +
                                 ", sku, session_id, CASE WHEN misuse THEN 1 ELSE 0 END, "
                                 "coalesce((SELECT region FROM kiosks WHERE kiosks.id = events.kiosk_id), '') FROM events "
                                 "WHERE store_id = ?1 AND receipt_hash = ?2 AND type = 'smot.feedback' "
                                 "AND NOT verified_purchase AND " + db.arrival_column() + " <= ?3 AND sku IN "
                                 "(SELECT sku FROM receipt_items WHERE store_id = ?1 AND receipt_hash = ?2)",
                             {store_id, receipt_hash, folded_through});
        while (rows->next()) ratings.push_back({rows->time(0), rows->text(1), rows->text(2), rows->integer(3), rows->text(4)});
    }  // read whole before writing: SQLite's statement must be done
    if (ratings.empty()) return;
    RollupDelta delta;
    const std::string store(store_id);
    for (const Rating& rating : ratings) {
        const std::string day = clock.local(rating.occurred_at).date;
        const RollupDelta::AnswerPlace place{store, rating.region, day, rating.sku, rating.misuse};
        delta.count_answer(place, "verified", "no", -1);
        delta.count_answer(place, "verified", "yes", 1);
        db.execute("UPDATE feedback_sessions SET verified = TRUE WHERE store_id = ?1 AND session_id = ?2 AND sku = ?3",
                   {store_id, rating.session_id, rating.sku});
    }
    delta.apply(db);
}

}  // namespace

// Two hubs marking the same events at once can deadlock on PostgreSQL, which then gives one transaction up.
constexpr int kAttemptsOnConflict = 4;

Result<ReceiptsStored> Receipts::store(std::string_view store_id, const std::vector<Receipt>& receipts,
                                       core::Timestamp received_at) {
    return sql::guarded<ReceiptsStored>("storing receipts", [&]() -> Result<ReceiptsStored> {
        auto db = database_.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&] {
            ReceiptsStored result;
            sql::Transaction transaction(*db);
            // Held to the end: no fold counts these events between the move and the marks below.
            const std::int64_t folded_through = hold_fold_progress(*db);
            LocalClock clock(store_zone(*db, store_id));
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
                move_ratings_to_verified(*db, store_id, receipt.receipt_hash, clock, folded_through);
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
