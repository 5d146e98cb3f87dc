// Bearer-token authentication and batch ingest, independent of HTTP.
#include "truthpoint/hub/ingest.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "truthpoint/hub/tokens.hpp"

namespace truthpoint::hub {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// What the hub checks beyond core::validate_event: a receipt code reaches the hub only as its keyed hash.
std::optional<std::string> hub_event_reason(const core::Event& event) {
    const auto hash = event.data.find("receipt_hash");
    if (hash == event.data.end()) return std::nullopt;
    if (!can_be_verified_purchase(event.type)) {
        return "data.receipt_hash belongs only to smot.feedback and the other post-purchase answers (smot.*, "
               "umot.consent, umot.review)";
    }
    if (!hash->is_string() || !normalise_receipt_hash(hash->get<std::string>())) {
        return "data.receipt_hash must be 64 hex digits (the keyed hash of the receipt code, never the code itself)";
    }
    if (event.sku.empty()) return "a feedback event with data.receipt_hash must name its sku";
    return std::nullopt;
}

Error unauthorized(std::string message) { return make_error(ErrorCode::Unauthorized, std::move(message)); }

}  // namespace

Result<KioskIdentity> authenticate(Store& store, std::string_view authorization_header, KioskTokenCache* cache) {
    const std::string_view header = trim(authorization_header);
    if (header.empty()) {
        return unauthorized("missing Authorization header: send 'Authorization: Bearer <kiosk token>' "
                            "(the token printed by `truthpoint-hub kiosk add`)");
    }
    const auto space = header.find(' ');
    if (space == std::string_view::npos || !equals_ignoring_case(header.substr(0, space), "Bearer")) {
        return unauthorized("the Authorization header must be 'Bearer <kiosk token>'");
    }
    const std::string_view token = trim(header.substr(space + 1));
    if (token.empty()) return unauthorized("the Authorization header holds no token after 'Bearer'");

    // Looked up by hash: the comparison happens on SHA-256 digests in the index, so its timing says
    // nothing useful about the token itself.
    const std::string token_hash = hash_token(token);
    if (cache) {
        if (auto known = cache->find(token_hash)) return std::move(*known);
    }
    auto found = store.find_kiosk_by_token_hash(token_hash);
    if (!found) return found.error();
    if (!found->has_value()) {
        return unauthorized("this token is not known to the hub: check the kiosk's token, or enrol the kiosk "
                            "with `truthpoint-hub kiosk add`");
    }
    const KioskRecord& kiosk = **found;
    if (kiosk.revoked_at) {
        return unauthorized("kiosk '" + kiosk.kiosk_id + "' was revoked at " + core::format_rfc3339(*kiosk.revoked_at) +
                            "; give it a new token with `truthpoint-hub kiosk rotate-token --kiosk " + kiosk.kiosk_id + "`");
    }
    KioskIdentity identity{kiosk.kiosk_id, kiosk.store_id, kiosk.region};
    if (cache) cache->remember(token_hash, identity);
    return identity;
}

PreparedBatch prepare_batch(core::Batch&& batch) {
    PreparedBatch prepared;
    prepared.valid.reserve(batch.items.size());
    prepared.valid_ids.reserve(batch.items.size());
    for (core::BatchItem& item : batch.items) {
        if (!item.reason.empty()) {
            prepared.reply.rejected.push_back({item.id, item.reason});
            continue;
        }
        if (auto reason = hub_event_reason(item.event)) {
            prepared.reply.rejected.push_back({item.id, std::move(*reason)});
            continue;
        }
        prepared.valid_ids.push_back(item.event.id);
        std::string occurred_at = core::format_rfc3339(item.event.occurred_at);
        std::string hash = sha256_hex(item.canonical);
        prepared.valid.push_back(IncomingEvent{std::move(item.event), std::move(item.canonical), std::move(hash),
                                               std::move(occurred_at), item.data_size});
    }
    return prepared;
}

void tally_outcomes(PreparedBatch& prepared, const std::vector<EventOutcome>& outcomes) {
    for (std::size_t i = 0; i < prepared.valid_ids.size() && i < outcomes.size(); ++i) {
        switch (outcomes[i]) {
            case EventOutcome::Stored:
                ++prepared.reply.accepted;
                break;
            case EventOutcome::Duplicate:
                ++prepared.reply.duplicates;
                break;
            case EventOutcome::Conflict:
                prepared.reply.rejected.push_back({prepared.valid_ids[i], std::string(kConflictReason)});
                break;
        }
    }
}

Result<PosRecord> authenticate_pos(Store& store, std::string_view authorization_header) {
    const std::string_view header = trim(authorization_header);
    if (header.empty()) {
        return unauthorized("missing Authorization header: send 'Authorization: Bearer <POS token>' "
                            "(the token printed by `truthpoint-hub pos add`)");
    }
    const auto space = header.find(' ');
    if (space == std::string_view::npos || !equals_ignoring_case(header.substr(0, space), "Bearer")) {
        return unauthorized("the Authorization header must be 'Bearer <POS token>'");
    }
    const std::string_view token = trim(header.substr(space + 1));
    if (token.empty()) return unauthorized("the Authorization header holds no token after 'Bearer'");
    auto found = store.find_pos_by_token_hash(hash_token(token));
    if (!found) return found.error();
    if (!found->has_value()) {
        return unauthorized("this token is not a point-of-sale token known to the hub: enrol the till with "
                            "`truthpoint-hub pos add` (kiosk tokens cannot send receipts)");
    }
    if ((*found)->revoked_at) return unauthorized("point of sale '" + (*found)->pos_id + "' was revoked");
    return **found;
}

std::optional<std::string> normalise_receipt_hash(std::string_view text) {
    if (text.size() != 64) return std::nullopt;
    std::string hash(text);
    for (char& c : hash) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    }
    return hash;
}

Result<Receipt> make_receipt(std::string_view receipt_hash, std::string_view time, std::vector<std::string> skus) {
    const auto invalid = [](std::string message) { return make_error(ErrorCode::InvalidArgument, std::move(message)); };
    auto hash = normalise_receipt_hash(receipt_hash);
    if (!hash) {
        return invalid("receipt_hash must be 64 hex digits (the HMAC-SHA256 of the receipt code), never the code "
                       "itself");
    }
    auto when = core::parse_rfc3339(time);
    if (!when) return invalid("time must be an RFC 3339 time, e.g. 2026-01-31T10:15:00Z");
    if (skus.empty()) return invalid("skus must list at least one product");
    if (skus.size() > kMaxSkusPerReceipt) return invalid("skus lists more than " + std::to_string(kMaxSkusPerReceipt));
    for (const std::string& sku : skus) {
        if (sku.empty() || sku.size() > 64) return invalid("every sku must be 1 to 64 characters");
    }
    std::sort(skus.begin(), skus.end());
    skus.erase(std::unique(skus.begin(), skus.end()), skus.end());
    return Receipt{std::move(*hash), *when, std::move(skus)};
}

Result<std::vector<Receipt>> decode_receipts(std::string_view body) {
    const auto invalid = [](std::string message) { return make_error(ErrorCode::InvalidArgument, std::move(message)); };
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return invalid("the body must be a JSON object");
    const auto list = json.find("receipts");
    if (list == json.end() || !list->is_array()) return invalid("the body must hold a \"receipts\" array");
    if (list->empty()) return invalid("\"receipts\" is empty");
    if (list->size() > kMaxReceiptsPerRequest) {
        return invalid("at most " + std::to_string(kMaxReceiptsPerRequest) + " receipts per request");
    }
    std::vector<Receipt> receipts;
    receipts.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& item = (*list)[i];
        const std::string where = "receipts[" + std::to_string(i) + "]: ";
        if (!item.is_object()) return invalid(where + "must be an object");
        const auto hash = item.find("receipt_hash");
        const auto time = item.find("time");
        const auto skus = item.find("skus");
        if (hash == item.end() || !hash->is_string()) return invalid(where + "receipt_hash must be a string");
        if (time == item.end() || !time->is_string()) return invalid(where + "time must be a string");
        if (skus == item.end() || !skus->is_array()) return invalid(where + "skus must be an array of strings");
        std::vector<std::string> sku_list;
        for (const auto& sku : *skus) {
            if (!sku.is_string()) return invalid(where + "skus must be an array of strings");
            sku_list.push_back(sku.get<std::string>());
        }
        auto receipt = make_receipt(hash->get<std::string>(), time->get<std::string>(), std::move(sku_list));
        if (!receipt) return invalid(where + receipt.error().message);
        receipts.push_back(std::move(receipt).value());
    }
    return receipts;
}

}  // namespace truthpoint::hub
