// Kiosks and points of sale, once for both engines (see registry.hpp).
#include "registry.hpp"

#include <string>

namespace truthpoint::hub {
namespace {

std::string kiosk_columns(const sql::Connection& db) {
    return "id, store_id, region, " + db.time_column("created_at") + ", " + db.time_column("revoked_at") + ", " +
           db.time_column("last_seen_at") + ", clock_skew_ms";
}

KioskRecord read_kiosk(const sql::Rows& row) {
    KioskRecord record;
    record.kiosk_id = row.text(0);
    record.store_id = row.text(1);
    record.region = row.text(2);
    record.created_at = row.time(3);
    if (!row.is_null(4)) record.revoked_at = row.time(4);
    if (!row.is_null(5)) record.last_seen_at = row.time(5);
    if (!row.is_null(6)) record.clock_skew_ms = row.integer(6);
    return record;
}

std::string pos_columns(const sql::Connection& db) {
    return "id, store_id, " + db.time_column("created_at") + ", " + db.time_column("revoked_at");
}

PosRecord read_pos(const sql::Rows& row) {
    PosRecord record{row.text(0), row.text(1), row.time(2), {}};
    if (!row.is_null(3)) record.revoked_at = row.time(3);
    return record;
}

}  // namespace

Status Registry::add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at) {
    return sql::guarded<Ok>("enrolling a kiosk", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        const std::int64_t inserted =
            db->execute("INSERT INTO kiosks (id, store_id, region, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT (id) DO NOTHING",
                        {kiosk.kiosk_id, kiosk.store_id, kiosk.region, kiosk.token_hash, created_at});
        if (inserted == 1) return Ok{};
        auto existing = db->query("SELECT store_id FROM kiosks WHERE id = ?1", {kiosk.kiosk_id});
        const std::string store_id = existing->next() ? existing->text(0) : "?";
        return make_error(ErrorCode::AlreadyExists, "kiosk '" + kiosk.kiosk_id + "' is already enrolled (store '" +
                                                        store_id + "'); choose another kiosk id, or see `truthpoint-hub kiosk list`");
    });
}

Result<std::vector<KioskRecord>> Registry::list_kiosks() {
    return sql::guarded<std::vector<KioskRecord>>("listing kiosks", [&]() -> Result<std::vector<KioskRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + kiosk_columns(*db) + " FROM kiosks ORDER BY id" + db->byte_order());
        std::vector<KioskRecord> kiosks;
        while (rows->next()) kiosks.push_back(read_kiosk(*rows));
        return kiosks;
    });
}

Result<KioskRecord> Registry::revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at) {
    return sql::guarded<KioskRecord>("revoking a kiosk", [&]() -> Result<KioskRecord> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // The first revocation time stays; the row comes back either way.
        db->execute("UPDATE kiosks SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL", {revoked_at, kiosk_id});
        auto rows = db->query("SELECT " + kiosk_columns(*db) + " FROM kiosks WHERE id = ?1", {kiosk_id});
        if (!rows->next()) {
            return make_error(ErrorCode::NotFound, "no kiosk with id '" + std::string(kiosk_id) +
                                                       "' is enrolled (see `truthpoint-hub kiosk list`)");
        }
        KioskRecord record = read_kiosk(*rows);
        rows.reset();  // SQLite: a statement must be done before its transaction commits
        transaction.commit();
        return record;
    });
}

Result<KioskRecord> Registry::rotate_kiosk_token(std::string_view kiosk_id, std::string_view token_hash) {
    return sql::guarded<KioskRecord>("giving a kiosk a new token", [&]() -> Result<KioskRecord> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        auto rows = db->query("SELECT " + kiosk_columns(*db) + " FROM kiosks WHERE id = ?1", {kiosk_id});
        if (!rows->next()) {
            return make_error(ErrorCode::NotFound, "no kiosk with id '" + std::string(kiosk_id) +
                                                       "' is enrolled (see `truthpoint-hub kiosk list`)");
        }
        KioskRecord before = read_kiosk(*rows);
        rows.reset();  // SQLite: a statement must be done before the next one writes
        db->execute("UPDATE kiosks SET token_hash = ?1, revoked_at = NULL WHERE id = ?2", {token_hash, kiosk_id});
        transaction.commit();
        return before;
    });
}

Result<std::optional<KioskRecord>> Registry::find_kiosk_by_token_hash(std::string_view token_hash) {
    return sql::guarded<std::optional<KioskRecord>>("checking a token", [&]() -> Result<std::optional<KioskRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + kiosk_columns(*db) + " FROM kiosks WHERE token_hash = ?1", {token_hash});
        if (!rows->next()) return std::optional<KioskRecord>{};
        return std::optional<KioskRecord>(read_kiosk(*rows));
    });
}

Status Registry::add_pos(const NewPos& pos, core::Timestamp created_at) {
    return sql::guarded<Ok>("enrolling a point of sale", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        const std::int64_t inserted =
            db->execute("INSERT INTO pos_terminals (id, store_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4) "
                        "ON CONFLICT (id) DO NOTHING",
                        {pos.pos_id, pos.store_id, pos.token_hash, created_at});
        if (inserted == 1) return Ok{};
        auto existing = db->query("SELECT store_id FROM pos_terminals WHERE id = ?1", {pos.pos_id});
        const std::string store_id = existing->next() ? existing->text(0) : "?";
        return make_error(ErrorCode::AlreadyExists, "point of sale '" + pos.pos_id + "' is already enrolled (store '" +
                                                        store_id + "'); choose another id");
    });
}

Result<std::vector<PosRecord>> Registry::list_pos() {
    return sql::guarded<std::vector<PosRecord>>("listing points of sale", [&]() -> Result<std::vector<PosRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + pos_columns(*db) + " FROM pos_terminals ORDER BY id" + db->byte_order());
        std::vector<PosRecord> terminals;
        while (rows->next()) terminals.push_back(read_pos(*rows));
        return terminals;
    });
}

Result<PosRecord> Registry::revoke_pos(std::string_view pos_id, core::Timestamp revoked_at) {
    return sql::guarded<PosRecord>("revoking a point of sale", [&]() -> Result<PosRecord> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        db->execute("UPDATE pos_terminals SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL", {revoked_at, pos_id});
        auto rows = db->query("SELECT " + pos_columns(*db) + " FROM pos_terminals WHERE id = ?1", {pos_id});
        if (!rows->next()) {
            return make_error(ErrorCode::NotFound, "no point of sale with id '" + std::string(pos_id) +
                                                       "' is enrolled (see `truthpoint-hub pos list`)");
        }
        PosRecord record = read_pos(*rows);
        rows.reset();
        transaction.commit();
        return record;
    });
}

Result<std::optional<PosRecord>> Registry::find_pos_by_token_hash(std::string_view token_hash) {
    return sql::guarded<std::optional<PosRecord>>("checking a token", [&]() -> Result<std::optional<PosRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + pos_columns(*db) + " FROM pos_terminals WHERE token_hash = ?1", {token_hash});
        if (!rows->next()) return std::optional<PosRecord>{};
        return std::optional<PosRecord>(read_pos(*rows));
    });
}

}  // namespace truthpoint::hub
