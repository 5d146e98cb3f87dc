// The storage role of the kiosk and till registry (enrolment, tokens, revocation), written once over the
// SQL seam for both engines. SqliteStore and PostgresStore hold one and answer Store's calls with it.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "sql.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

// Each method as the Store method of the same name.
class Registry {
public:
    explicit Registry(sql::Database& database) : database_(database) {}

    Status add_kiosk(const NewKiosk& kiosk, core::Timestamp created_at);
    Result<std::vector<KioskRecord>> list_kiosks();
    Result<KioskRecord> revoke_kiosk(std::string_view kiosk_id, core::Timestamp revoked_at);
    Result<KioskRecord> rotate_kiosk_token(std::string_view kiosk_id, std::string_view token_hash);
    Result<std::optional<KioskRecord>> find_kiosk_by_token_hash(std::string_view token_hash);

    Status add_pos(const NewPos& pos, core::Timestamp created_at);
    Result<std::vector<PosRecord>> list_pos();
    Result<PosRecord> revoke_pos(std::string_view pos_id, core::Timestamp revoked_at);
    Result<std::optional<PosRecord>> find_pos_by_token_hash(std::string_view token_hash);

private:
    sql::Database& database_;
};

}  // namespace truthpoint::hub
