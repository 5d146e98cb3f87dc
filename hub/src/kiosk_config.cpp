// Kiosk configuration at the hub: checks, ETag, store → chain-wide fallback, If-None-Match.
#include "truthpoint/hub/kiosk_config.hpp"

#include <cctype>

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

}  // namespace

Result<PreparedConfig> prepare_config(std::string_view text) {
    auto decoded = core::decode_config_document(text);
    if (!decoded) return make_error(ErrorCode::InvalidArgument, decoded.reason());
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
