// Ingest without HTTP: who is calling (from the bearer token) and what to do with a decoded batch.
// The HTTP layer maps the results to status codes; tests can call these directly.
#pragma once

#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"
#include "truthpoint/hub/token_cache.hpp"

namespace truthpoint::hub {

inline constexpr std::string_view kConflictReason = "conflict: a different event with this id is already stored";

// The kiosk behind an `Authorization` header value ("Bearer <token>"). Unauthorized, with a message
// saying what to do, when the header is missing, malformed, unknown or revoked; Unavailable when
// the store cannot be read. With a `cache`, a token found valid within its ttl skips the store.
Result<KioskIdentity> authenticate(Store& store, std::string_view authorization_header,
                                   KioskTokenCache* cache = nullptr);

// The body of POST /api/v1/batches parsed with simdjson (~15× faster than nlohmann on these bodies,
// measured), with exactly core::decode_batch's result: the same events, canonical texts and reasons.
// What simdjson refuses (it is stricter on a few inputs nlohmann takes: a UTF-8 BOM, integers past 2^64)
// goes to core::decode_batch itself. `body`'s capacity may grow (simdjson reads 64 bytes past its end).
core::Result<core::Batch> decode_batch_body(std::string& body);

// A decoded batch split before storing: the invalid events already listed in `reply.rejected`, the
// valid ones ready for the store.
struct PreparedBatch {
    core::BatchReply reply;
    std::vector<IncomingEvent> valid;
    std::vector<std::string> valid_ids;  // kept apart: `valid` may be moved into the ingest queue
};
// Takes the batch apart (its events and texts are moved, not copied).
PreparedBatch prepare_batch(core::Batch&& batch);
// Counts the store's outcomes (in the order of `valid_ids`) into `prepared.reply`.
void tally_outcomes(PreparedBatch& prepared, const std::vector<EventOutcome>& outcomes);

// The point of sale behind an `Authorization` header value; like authenticate() for kiosks.
Result<PosRecord> authenticate_pos(Store& store, std::string_view authorization_header);

// A receipt hash as the hub accepts it: 64 hex digits (an HMAC-SHA256), returned lowercased.
std::optional<std::string> normalise_receipt_hash(std::string_view text);

// At most this many receipts per request, and this many SKUs per receipt.
inline constexpr std::size_t kMaxReceiptsPerRequest = 1000;
inline constexpr std::size_t kMaxSkusPerReceipt = 500;

// The body of POST /api/v1/receipts: {"receipts": [{"receipt_hash", "time", "skus"}]} ("store" is
// ignored: it comes from the token). InvalidArgument naming the first bad receipt and field.
Result<std::vector<Receipt>> decode_receipts(std::string_view body);

// One receipt from the fields of a CSV row or a JSON object; InvalidArgument says which field is wrong.
Result<Receipt> make_receipt(std::string_view receipt_hash, std::string_view time, std::vector<std::string> skus);

}  // namespace truthpoint::hub
