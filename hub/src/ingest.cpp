// Bearer-token authentication and batch ingest, independent of HTTP.
#include "truthpoint/hub/ingest.hpp"

#include <cctype>

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

Error unauthorized(std::string message) { return make_error(ErrorCode::Unauthorized, std::move(message)); }

}  // namespace

Result<KioskIdentity> authenticate(Store& store, std::string_view authorization_header) {
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
    auto found = store.find_kiosk_by_token_hash(hash_token(token));
    if (!found) return found.error();
    if (!found->has_value()) {
        return unauthorized("this token is not known to the hub: check the kiosk's token, or enrol the kiosk "
                            "with `truthpoint-hub kiosk add`");
    }
    const KioskRecord& kiosk = **found;
    if (kiosk.revoked_at) {
        return unauthorized("kiosk '" + kiosk.kiosk_id + "' was revoked at " + core::format_rfc3339(*kiosk.revoked_at) +
                            "; enrol it again with `truthpoint-hub kiosk add` to get a new token");
    }
    return KioskIdentity{kiosk.kiosk_id, kiosk.store_id, kiosk.region};
}

Result<core::BatchReply> ingest_batch(Store& store, const KioskIdentity& sender, const core::Batch& batch,
                                      core::Timestamp received_at) {
    core::BatchReply reply;
    std::vector<IncomingEvent> valid;
    valid.reserve(batch.items.size());
    for (const core::BatchItem& item : batch.items) {
        if (!item.reason.empty()) {
            reply.rejected.push_back({item.id, item.reason});
            continue;
        }
        valid.push_back(IncomingEvent{item.event, item.canonical, sha256_hex(item.canonical)});
    }

    auto outcomes = store.store_events(sender, valid, received_at);
    if (!outcomes) return outcomes.error();
    for (std::size_t i = 0; i < valid.size(); ++i) {
        switch ((*outcomes)[i]) {
            case EventOutcome::Stored:
                ++reply.accepted;
                break;
            case EventOutcome::Duplicate:
                ++reply.duplicates;
                break;
            case EventOutcome::Conflict:
                reply.rejected.push_back({valid[i].event.id, std::string(kConflictReason)});
                break;
        }
    }
    return reply;
}

}  // namespace truthpoint::hub
