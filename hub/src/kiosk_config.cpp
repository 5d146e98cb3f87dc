// Kiosk configuration at the hub: checks, ETag, store → chain-wide fallback, If-None-Match.
#include "truthpoint/hub/kiosk_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/tokens.hpp"

namespace truthpoint::hub {
namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    return text;
}

std::string_view without_weak_prefix(std::string_view tag) {
    if (tag.size() >= 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    return tag;
}

// At most `limit` bytes, never ending inside a UTF-8 sequence; "…" marks a cut.
std::string cut_to(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return std::string(text);
    constexpr std::string_view kEllipsis = "\u2026";
    std::size_t end = limit - kEllipsis.size();
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
    return std::string(trim(text.substr(0, end))) + std::string(kEllipsis);
}

core::ConfigAlert as_config_alert(const CaseRecord& record) {
    core::ConfigAlert alert;
    alert.id = record.id;
    alert.rule = record.rule;
    alert.state = std::string(to_string(record.state));
    alert.kiosk_id = record.kiosk_id;
    alert.summary = cut_to(record.summary.empty() ? record.rule : record.summary, core::kMaxAlertSummaryBytes);
    alert.opened_at = record.opened_at;
    alert.last_fired_at = record.last_triggered_at;
    alert.times_fired = std::max<std::int64_t>(record.triggered, 1);
    if (record.rule == to_string(AlertRule::UnhappyShare)) {
        const auto details = nlohmann::json::parse(record.details, nullptr, /*allow_exceptions=*/false);
        if (details.is_object() && details.contains("window_minutes") && details["window_minutes"].is_number_integer()) {
            alert.window_minutes = std::max<std::int64_t>(details["window_minutes"].get<std::int64_t>(), 0);
        }
    }
    return alert;
}

}  // namespace

Status add_approved_reviews(Store& store, core::ConfigDocument& document) {
    std::vector<std::string> skus;
    for (const core::ConfigProduct& product : document.products) skus.push_back(product.sku);
    auto approved = store.reviews().approved_for(skus, kServedReviewsPerProduct);
    if (!approved) return approved.error();
    // Each review is added while the whole document stays within the size a kiosk accepts; a review's JSON
    // is its share of the encoded document (plus a comma).
    std::size_t size = core::encode_config_document(document).size();
    for (ReviewRecord& review : *approved) {
        core::ConfigReview served{std::move(review.sku), shortened_review_text(review.text), review.rating,
                                  std::move(review.locale)};
        const std::size_t bytes =
            nlohmann::json{{"sku", served.sku}, {"text", served.text}, {"rating", served.rating}, {"locale", served.locale}}
                .dump()
                .size() +
            1;
        if (size + bytes > core::kMaxConfigDocumentBytes) continue;
        size += bytes;
        document.reviews.push_back(std::move(served));
    }
    return Ok{};
}

std::string shortened_review_text(std::string_view text) { return cut_to(text, kMaxServedReviewBytes); }

Result<PreparedConfig> prepare_config(std::string_view text) {
    auto decoded = core::decode_config_document(text);
    if (!decoded) return make_error(ErrorCode::InvalidArgument, decoded.error().message);
    if (!decoded.value().receipt_key.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          "receipt_key: leave it out; the hub adds the chain's receipt key to the document it serves "
                          "(`truthpoint-hub receipt-key show` prints it for the point of sale)");
    }
    if (!decoded.value().earlier_receipt_key.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          "earlier_receipt_key: leave it out; the hub adds it for a while after `truthpoint-hub "
                          "receipt-key rotate`");
    }
    if (!decoded.value().alerts.empty()) {
        return make_error(ErrorCode::InvalidArgument,
                          "alerts: leave it out; the hub adds the store's open alerts to the document it serves");
    }
    PreparedConfig prepared;
    prepared.document = std::move(decoded.value());
    prepared.canonical = core::encode_config_document(prepared.document);
    prepared.etag = config_etag(prepared.canonical);
    return prepared;
}

std::string config_etag(std::string_view canonical) { return "\"sha256-" + sha256_hex(canonical) + "\""; }

Result<std::optional<ConfigRecord>> config_for_store(Store& store, std::string_view store_id) {
    auto own = store.get_config(store_id);
    if (!own || own->has_value()) return own;
    return store.get_config(kChainWideScope);
}

namespace {

// The newest retired receipt key while kiosks are still to hash under it, else empty.
Result<std::string> earlier_receipt_key_for_kiosks(Store& store, core::Timestamp now) {
    auto retired = store.retired_receipt_keys();
    if (!retired) return retired.error();
    if (retired->empty() || retired->front().kiosks_until <= now) return std::string();
    return retired->front().key;
}

}  // namespace


Result<std::vector<core::ConfigAlert>> store_alerts(Store& store, std::string_view store_id) {
    CaseFilter filter;
    filter.store_id = std::string(store_id);
    filter.not_closed = true;
    filter.limit = static_cast<std::int64_t>(core::kMaxConfigAlerts);
    auto cases = store.alerts().cases(filter);  // newest opened first, then by id: the same cases, the same bytes
    if (!cases) return cases.error();
    std::vector<core::ConfigAlert> alerts;
    for (const CaseRecord& record : cases.value()) alerts.push_back(as_config_alert(record));
    return alerts;
}

Result<std::optional<ConfigRecord>> served_config(Store& store, std::string_view store_id) {
    auto found = config_for_store(store, store_id);
    if (!found || !found->has_value()) return found;
    auto key = store.get_secret(kReceiptKeySecret);
    if (!key) return key.error();
    auto earlier = earlier_receipt_key_for_kiosks(store, core::now_utc());
    if (!earlier) return earlier.error();
    auto alerts = store_alerts(store, store_id);
    if (!alerts) return alerts.error();
    auto document = core::decode_config_document((*found)->document);
    // Stored by another version of the hub, or by hand: served as stored, for the kiosk to refuse by name
    // while it keeps its last good copy.
    if (!document) return found;
    if (key->has_value()) {
        document.value().receipt_key = **key;
        document.value().earlier_receipt_key = *earlier;
    }
    if (auto added = add_approved_reviews(store, document.value()); !added) return added.error();
    document.value().alerts = std::move(alerts.value());
    ConfigRecord served = std::move(**found);
    served.document = core::encode_config_document(document.value());
    served.etag = config_etag(served.document);
    return std::optional<ConfigRecord>(std::move(served));
}

Result<core::ReceiptKey> chain_receipt_key(Store& store, core::Timestamp now) {
    auto kept = store.get_secret(kReceiptKeySecret);
    if (!kept) return kept.error();
    std::string hex;
    if (kept->has_value()) {
        hex = **kept;
    } else {
        auto fresh = core::ReceiptKey::generate();
        if (!fresh) return make_error(ErrorCode::Unavailable, fresh.error().message);
        auto held = store.keep_secret(kReceiptKeySecret, fresh.value().hex(), now);
        if (!held) return held.error();
        hex = *held;
    }
    auto key = core::ReceiptKey::from_hex(hex);
    if (!key) return make_error(ErrorCode::Internal, "the receipt key kept in the database is damaged: " + key.error().message);
    return key.value();
}

Result<ReceiptKeyRotation> rotate_chain_receipt_key(Store& store, core::Timestamp now,
                                                    std::chrono::seconds kiosks_keep_earlier) {
    auto current = chain_receipt_key(store, now);
    if (!current) return current.error();
    auto fresh = core::ReceiptKey::generate();
    if (!fresh) return make_error(ErrorCode::Unavailable, fresh.error().message);
    const core::Timestamp kiosks_until = now + kiosks_keep_earlier;
    if (auto rotated = store.rotate_receipt_key(current->hex(), fresh.value().hex(), now, kiosks_until); !rotated) {
        return rotated.error();
    }
    return ReceiptKeyRotation{fresh.value(), kiosks_until};
}

Result<std::vector<core::ReceiptKey>> chain_receipt_keys_held(Store& store) {
    auto current = store.get_secret(kReceiptKeySecret);
    if (!current) return current.error();
    auto retired = store.retired_receipt_keys();
    if (!retired) return retired.error();
    std::vector<std::string> kept;
    if (current->has_value()) kept.push_back(**current);
    for (const RetiredReceiptKey& old : *retired) kept.push_back(old.key);
    std::vector<core::ReceiptKey> keys;
    for (const std::string& hex : kept) {
        auto key = core::ReceiptKey::from_hex(hex);
        if (!key) return make_error(ErrorCode::Internal, "a receipt key kept in the database is damaged: " + key.error().message);
        keys.push_back(key.value());
    }
    return keys;
}

bool if_none_match_matches(std::string_view if_none_match, std::string_view etag) {
    const std::string_view wanted = without_weak_prefix(etag);
    while (!if_none_match.empty()) {
        const auto comma = if_none_match.find(',');
        const std::string_view tag = trim(if_none_match.substr(0, comma));
        if (tag == "*" || (!tag.empty() && without_weak_prefix(tag) == wanted)) return true;
        if (comma == std::string_view::npos) break;
        if_none_match.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace truthpoint::hub
