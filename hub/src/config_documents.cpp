// Kiosk configuration documents and hub secrets, once for both engines (see config_documents.hpp).
#include "config_documents.hpp"

namespace truthpoint::hub {
namespace {

std::string config_columns(const sql::Connection& db) {
    return "scope, version, document, etag, " + db.time_column("updated_at");
}

ConfigRecord read_config(const sql::Rows& row) {
    return ConfigRecord{row.text(0), row.integer(1), row.text(2), row.text(3), row.time(4)};
}

}  // namespace

Result<ConfigPut> ConfigDocuments::put(std::string_view scope, const std::string& document, const std::string& etag,
                                       core::Timestamp updated_at) {
    return sql::guarded<ConfigPut>("storing a kiosk configuration", [&]() -> Result<ConfigPut> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // One statement, so that two hubs setting a document at once each bump the version once: an
        // unchanged etag updates nothing and returns no row.
        auto written = db->query("INSERT INTO kiosk_configs AS stored (scope, version, document, etag, updated_at) "
                                 "VALUES (?1, 1, ?2, ?3, ?4) "
                                 "ON CONFLICT (scope) DO UPDATE SET version = stored.version + 1, "
                                 "document = excluded.document, etag = excluded.etag, updated_at = excluded.updated_at "
                                 "WHERE stored.etag <> excluded.etag RETURNING " + config_columns(*db),
                                 {scope, document, etag, updated_at});
        if (written->next()) {
            ConfigRecord record = read_config(*written);
            written.reset();  // SQLite: a statement must be done before its transaction commits
            transaction.commit();
            return ConfigPut{std::move(record), true};
        }
        written.reset();
        auto stored = db->query("SELECT " + config_columns(*db) + " FROM kiosk_configs WHERE scope = ?1", {scope});
        if (!stored->next()) return make_error(ErrorCode::Internal, "a kiosk configuration vanished while stored");
        return ConfigPut{read_config(*stored), false};  // rolls back the empty transaction
    });
}

Result<std::optional<ConfigRecord>> ConfigDocuments::get(std::string_view scope) {
    return sql::guarded<std::optional<ConfigRecord>>("reading a kiosk configuration",
                                                     [&]() -> Result<std::optional<ConfigRecord>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT " + config_columns(*db) + " FROM kiosk_configs WHERE scope = ?1", {scope});
        if (!rows->next()) return std::optional<ConfigRecord>{};
        return std::optional<ConfigRecord>(read_config(*rows));
    });
}

Result<std::optional<std::string>> ConfigDocuments::secret(std::string_view name) {
    return sql::guarded<std::optional<std::string>>("reading a hub secret", [&]() -> Result<std::optional<std::string>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT value FROM hub_secrets WHERE name = ?1", {name});
        if (!rows->next()) return std::optional<std::string>{};
        return std::optional<std::string>(rows->text(0));
    });
}

Result<std::string> ConfigDocuments::keep_secret(std::string_view name, const std::string& value, core::Timestamp now) {
    return sql::guarded<std::string>("keeping a hub secret", [&]() -> Result<std::string> {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // Two hubs creating it at once agree on the first one stored.
        db->execute("INSERT INTO hub_secrets (name, value, created_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO NOTHING",
                    {name, value, now});
        auto rows = db->query("SELECT value FROM hub_secrets WHERE name = ?1", {name});
        if (!rows->next()) return make_error(ErrorCode::Internal, "a hub secret vanished while kept");
        std::string kept = rows->text(0);
        rows.reset();
        transaction.commit();
        return kept;
    });
}

Status ConfigDocuments::rotate_receipt_key(const std::string& current, const std::string& fresh, core::Timestamp now,
                                           core::Timestamp kiosks_until) {
    return sql::guarded<Ok>("rotating the receipt key", [&]() -> Status {
        auto db = database_.lend(sql::Access::Write);
        sql::Transaction transaction(*db);
        // Compared and swapped in one statement: of two hubs rotating at once, one finds its `current` gone.
        if (db->execute("UPDATE hub_secrets SET value = ?1, created_at = ?2 WHERE name = ?3 AND value = ?4",
                        {fresh, now, kReceiptKeySecret, current}) == 0) {
            return make_error(ErrorCode::Conflict, "the receipt key changed while it was rotated (another hub rotated "
                                                   "it at the same time); `receipt-key show` prints the one kept");
        }
        db->execute("INSERT INTO retired_receipt_keys (key, retired_at, kiosks_until) VALUES (?1, ?2, ?3)",
                    {current, now, kiosks_until});
        transaction.commit();
        return Ok{};
    });
}

Result<std::vector<RetiredReceiptKey>> ConfigDocuments::retired_receipt_keys() {
    return sql::guarded<std::vector<RetiredReceiptKey>>("reading the retired receipt keys",
                                                        [&]() -> Result<std::vector<RetiredReceiptKey>> {
        auto db = database_.lend(sql::Access::Read);
        auto rows = db->query("SELECT key, " + db->time_column("retired_at") + ", " + db->time_column("kiosks_until") +
                              " FROM retired_receipt_keys ORDER BY retired_at DESC, key");
        std::vector<RetiredReceiptKey> keys;
        while (rows->next()) keys.push_back({rows->text(0), rows->time(1), rows->time(2)});
        return keys;
    });
}

}  // namespace truthpoint::hub
