// The kiosk configuration document that the hub serves at GET /api/v1/config: catalog, questions,
// approved reviews and offers. One codec for both ends, so that the hub refuses at `config set`
// exactly what a kiosk would refuse at load. Decoding never throws; errors name the field.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "truthpoint/core/time.hpp"
#include "truthpoint/core/wire.hpp"

namespace truthpoint::core {

inline constexpr int kConfigDocumentFormat = 1;
inline constexpr std::size_t kMaxConfigDocumentBytes = 1024 * 1024;
// The hub lists at most this many of a store's alerts, newest first: the document stays small however
// many cases a bad day opens.
inline constexpr std::size_t kMaxConfigAlerts = 20;
inline constexpr std::size_t kMaxAlertSummaryBytes = 300;


struct ConfigProduct {
    std::string sku;                           // 8 to 14 digits; GTIN-12/13/14 with a valid check digit
    std::map<std::string, std::string> names;  // locale → name; "en" is required
    std::string image;                         // a file name only (no directory), or empty
};

// A review a shopper agreed to publish and staff approved: the hub serves it beside its product.
struct ConfigReview {
    std::string sku;
    std::string text;
    int rating = 0;  // 1 to 5
    std::string locale;
};

struct ConfigOffer {
    std::string sku;
    std::string text;
    std::string locale;
};

// When a post-purchase session ends on an apology (a "sorry card") instead of the plain thank-you.
struct SorryCardRule {
    int rating_at_most = 2;  // a rating of 1 to this (0: never on the rating alone)
    bool on_pain = true;     // any moment-of-pain topic tapped
};

// A case the hub's alerts opened for this store and nobody closed yet, so that staff mode can show it.
struct ConfigAlert {
    std::string id;     // the case's UUID
    std::string rule;   // unhappy_share, pain, kiosk_silent, kiosk_backlog; a newer hub may send others
    std::string state;  // "open" or "acknowledged"
    std::string kiosk_id;  // the kiosk a kiosk's rule is about; empty for the store's rules
    std::string summary;   // the hub's words, English, at most kMaxAlertSummaryBytes
    Timestamp opened_at{};
    Timestamp last_fired_at{};
    std::int64_t times_fired = 1;
    std::int64_t window_minutes = 0;  // unhappy_share's window; 0 for the other rules
};

struct ConfigDocument {
    std::vector<ConfigProduct> products;  // never empty
    std::vector<std::string> drivers;     // enabled drivers, in the order shown; never empty
    std::vector<std::string> why_not;     // enabled reasons, in the order shown; never empty
    std::vector<ConfigReview> reviews;
    std::vector<ConfigOffer> offers;
    SorryCardRule sorry_card;
    // The chain's receipt key (64 hex digits), added by the hub as it serves the document; empty when the
    // hub has none yet. Never part of a document an operator sets.
    std::string receipt_key;
    // The key the chain used before its last rotation (`truthpoint-hub receipt-key rotate`), added by the hub
    // for a grace period: the kiosk hashes a receipt under both, so that a receipt the till sent under the
    // earlier key still verifies. Empty otherwise; never part of a document an operator sets.
    std::string earlier_receipt_key;
    // The store's open and acknowledged cases, newest first, at most kMaxConfigAlerts; added by the hub as
    // it serves the document, like receipt_key. Never part of a document an operator sets.
    std::vector<ConfigAlert> alerts;
    // Top-level fields a newer hub sends that this version does not know, when decoded with
    // UnknownFields::Skip (the kiosk's reader); always empty otherwise.
    std::vector<std::string> skipped_fields;
};

// The hub refuses a document with a field it does not know (an operator's typo must not pass silently); a
// kiosk skips unknown top-level fields and says so, so that a hub can be upgraded before its kiosks.
// Inside the known fields both are strict.
enum class UnknownFields { Refuse, Skip };

// {"format": 1, "catalog": {"products": [...]}, "questions": {"drivers": [...], "why_not": [...]},
//  "reviews": [...], "offers": [...], "sorry_card": {"rating_at_most": 2, "on_pain": true},
//  "receipt_key": "<64 hex>", "earlier_receipt_key": "<64 hex>", "alerts": [{"id": "<uuid>", "rule": "pain",
//  "state": "open", "kiosk": "k-7", "summary": "...", "opened_at": "<RFC 3339>", "last_fired_at": "<RFC 3339>",
//  "times_fired": 3, "window_minutes": 15}]} — reviews, offers, sorry_card, the keys and alerts may be left out
// (empty, the defaults above, none); so may an alert's kiosk and window_minutes. Unknown fields are
// refused (a typo would otherwise be ignored silently). The reason starts with the field's path,
// e.g. `questions.drivers[1]: "pricee" is not a driver; ...`.
Result<ConfigDocument> decode_config_document(std::string_view text, UnknownFields unknown = UnknownFields::Refuse);
// The same for a document already parsed (e.g. inside the kiosk's saved copy).
Result<ConfigDocument> decode_config_json(const nlohmann::json& json, UnknownFields unknown = UnknownFields::Refuse);

// Compact JSON with keys in a fixed order: the same document always gives the same bytes, so a hash
// of this text is a stable ETag whatever the whitespace of the file it came from.
std::string encode_config_document(const ConfigDocument& document);

// A GTIN (8, 12, 13 or 14 digits) whose last digit is its GS1 check digit. Shared with the local catalog.
bool has_valid_gtin_check_digit(std::string_view digits);

}  // namespace truthpoint::core
