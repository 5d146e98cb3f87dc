// Sorry cards, once for both engines (see sorry_cards.hpp).
#include "sorry_cards.hpp"

#include "rollups.hpp"

namespace truthpoint::hub {
namespace {

// Two hubs counting into the same rollup rows at once can deadlock on PostgreSQL, which then gives one up.
constexpr int kAttemptsOnConflict = 4;

// The card whose event holds `code`, with its redemption if any, read in the transaction `db` is in. The
// `data ->> 'code'` and type conditions are those of the index events_by_sorry_code. Should two events
// hold one code (a kiosk's bug: codes are derived from fresh UUIDs), the first issued is the card.
std::optional<SorryCardRecord> read_card(sql::Connection& db, std::string_view code) {
    auto rows = db.query("SELECT e.data ->> 'card_id', e.store_id, e.kiosk_id, coalesce(k.region, ''), "
                         "coalesce(e.sku, ''), e.data ->> 'offer_text', e.locale, " + db.time_column("e.occurred_at") +
                             ", r.pos_id, " + db.time_column("r.redeemed_at") +
                             " FROM events e LEFT JOIN kiosks k ON k.id = e.kiosk_id "
                             "LEFT JOIN sorry_card_redemptions r ON r.code = ?1 "
                             "WHERE e.type = 'sorry.card' AND (e.data ->> 'code') = ?1 "
                             "ORDER BY e.occurred_at, e.id LIMIT 1",
                         {code});
    if (!rows->next()) return std::nullopt;
    SorryCardRecord card;
    card.code = std::string(code);
    card.card_id = rows->text(0);
    card.store_id = rows->text(1);
    card.kiosk_id = rows->text(2);
    card.region = rows->text(3);
    card.sku = rows->text(4);
    card.offer_text = rows->text(5);
    card.locale = rows->text(6);
    card.issued_at = rows->time(7);
    if (!rows->is_null(8)) {
        card.redeemed_by = rows->text(8);
        card.redeemed_at = rows->time(9);
    }
    while (rows->next()) {
    }  // SQLite: a statement must be done before the next one writes
    return card;
}

}  // namespace

Result<std::optional<SorryCardRecord>> SorryCards::find(std::string_view code) {
    return sql::guarded<std::optional<SorryCardRecord>>("finding a sorry card", [&]() -> Result<std::optional<SorryCardRecord>> {
        auto db = database_.lend(sql::Access::Read);
        return read_card(*db, code);
    });
}

Result<Redemption> SorryCards::redeem(std::string_view code, std::string_view pos_id, core::Timestamp now) {
    return sql::guarded<Redemption>("redeeming a sorry card", [&]() -> Result<Redemption> {
        auto db = database_.lend(sql::Access::Write);
        return sql::retried(kAttemptsOnConflict, [&]() -> Result<Redemption> {
            sql::Transaction transaction(*db);
            auto card = read_card(*db, code);
            if (!card) return make_error(ErrorCode::NotFound, "no sorry card holds the code " + std::string(code));
            // The code keys the row: of tills racing on it (on any hub), one inserts; the others find its row.
            const bool redeemed_now =
                db->execute("INSERT INTO sorry_card_redemptions (code, card_id, store_id, region, sku, pos_id, redeemed_at) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING",
                            {code, card->card_id, card->store_id, card->region, card->sku, pos_id, now}) == 1;
            if (redeemed_now) {
                card->redeemed_at = now;
                card->redeemed_by = std::string(pos_id);
                LocalClock clock(store_zone(*db, card->store_id));
                RollupDelta delta;
                count_redemption(delta, {card->store_id, card->region, card->sku, now}, clock);
                delta.apply(*db);
            } else {
                card = read_card(*db, code);  // as the first till redeemed it
            }
            transaction.commit();
            return Redemption{redeemed_now, std::move(*card)};
        });
    });
}

}  // namespace truthpoint::hub
