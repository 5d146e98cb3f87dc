// Kiosk configuration at the hub, without HTTP: checking a document before it is stored, its ETag, which
// document a store's kiosks get, and If-None-Match. The server and `truthpoint-hub config` use these.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/config_document.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/hub/result.hpp"
#include "truthpoint/hub/store.hpp"

namespace truthpoint::hub {

struct PreparedConfig {
    core::ConfigDocument document;
    std::string canonical;  // what is stored and served
    std::string etag;       // config_etag(canonical)
};

// Decodes and checks a document (core::decode_config_document). InvalidArgument, with the field's path
// first in the message, when a kiosk could not use it.
Result<PreparedConfig> prepare_config(std::string_view text);

// A strong ETag: "\"sha256-<hex of the served bytes>\"", quotes included.
std::string config_etag(std::string_view canonical);

// The document for kiosks of `store_id`: the store's own, else the chain-wide one, else nullopt.
Result<std::optional<ConfigRecord>> config_for_store(Store& store, std::string_view store_id);

// The document as served to kiosks of `store_id` (GET /api/v1/config): config_for_store, with the chain's
// receipt key added when the hub has one (and the key before its last rotation while kiosks are to hold it),
// the approved reviews of its products (add_approved_reviews) and the store's alerts (store_alerts). Its ETag
// covers them all, so a kiosk notices a new key, a newly approved review, or a case opened, acknowledged or
// closed.
Result<std::optional<ConfigRecord>> served_config(Store& store, std::string_view store_id);

// Approved reviews a kiosk shows beside a product: the newest few of each.
inline constexpr std::size_t kServedReviewsPerProduct = 5;
// A kiosk takes a review's text up to this many bytes (core's config document); a shopper may write 2000.
inline constexpr std::size_t kMaxServedReviewBytes = 1000;

// Appends to `document`, after the reviews its operator wrote, the approved reviews with text of the
// products in its catalog: newest first, at most kServedReviewsPerProduct each, and only while the
// encoded document stays within core::kMaxConfigDocumentBytes. A review without text is left out (a kiosk
// shows a review's words; the document refuses an empty text).
Status add_approved_reviews(Store& store, core::ConfigDocument& document);

// `text` cut at a character boundary to fit kMaxServedReviewBytes, ending in "…" when cut.
std::string shortened_review_text(std::string_view text);

// The cases of `store_id` that are not closed, as the document lists them: newest opened first, at most
// core::kMaxConfigAlerts, each summary cut to core::kMaxAlertSummaryBytes.
Result<std::vector<core::ConfigAlert>> store_alerts(Store& store, std::string_view store_id);

// The chain's receipt key: the one kept in the database, else a fresh one, kept now. `serve` and
// `receipt-key show` call it, so a hub hands a key to its kiosks from its first start on.
Result<core::ReceiptKey> chain_receipt_key(Store& store, core::Timestamp now);

// What `receipt-key rotate` did: the new key, and until when kiosks also hash receipts under the one before.
struct ReceiptKeyRotation {
    core::ReceiptKey fresh;
    core::Timestamp kiosks_until{};
};
// Makes a fresh chain receipt key and retires the one kept (making one first if none is), handed to kiosks
// beside the new one for `kiosks_keep_earlier`.
Result<ReceiptKeyRotation> rotate_chain_receipt_key(Store& store, core::Timestamp now,
                                                    std::chrono::seconds kiosks_keep_earlier);

// Every receipt key the chain has held, the current one first: a sorry card made under any of them is genuine.
Result<std::vector<core::ReceiptKey>> chain_receipt_keys_held(Store& store);

// Whether an If-None-Match header value names `etag` (a list, "*", and W/ weak tags all count: RFC 9110
// uses the weak comparison for If-None-Match).
bool if_none_match_matches(std::string_view if_none_match, std::string_view etag);

}  // namespace truthpoint::hub
