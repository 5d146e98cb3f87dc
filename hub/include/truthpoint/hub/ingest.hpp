// Ingest without HTTP: who is calling (from the bearer token) and what to do with a decoded batch.
// The HTTP layer maps the results to status codes; tests can call these directly.
#pragma once

#include <string_view>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

inline constexpr std::string_view kConflictReason = "conflict: a different event with this id is already stored";

// The kiosk behind an `Authorization` header value ("Bearer <token>"). Unauthorized, with a message
// saying what to do, when the header is missing, malformed, unknown or revoked; Unavailable when
// the store cannot be read.
Result<KioskIdentity> authenticate(Store& store, std::string_view authorization_header);

// Stores the valid events of `batch` as sent by `sender` (one transaction) and reports what became
// of each: invalid and conflicting events are listed in `rejected`, the rest are accepted or duplicates.
// Kiosk and store come from `sender`, whatever the body claims.
Result<core::BatchReply> ingest_batch(Store& store, const KioskIdentity& sender, const core::Batch& batch,
                                      core::Timestamp received_at);

}  // namespace truthpoint::hub
