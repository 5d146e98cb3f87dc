// Cases and reviews as JSON (see case_json.hpp).
#include "case_json.hpp"

namespace truthpoint::hub {
namespace {

template <typename T, typename Convert>
nlohmann::json or_null(const std::optional<T>& value, Convert convert) {
    return value ? nlohmann::json(convert(*value)) : nlohmann::json(nullptr);
}

std::string as_text(const std::string& text) { return text; }

}  // namespace

nlohmann::json case_to_json(const CaseRecord& record, core::Timestamp now) {
    const core::Timestamp ended = record.closed_at.value_or(now);
    // Stored by the hub itself as valid JSON; should it not parse, the text is shown rather than lost.
    nlohmann::json details = nlohmann::json::parse(record.details, nullptr, /*allow_exceptions=*/false);
    if (details.is_discarded()) details = record.details;
    return {{"id", record.id},
            {"rule", record.rule},
            {"store_id", record.store_id},
            {"kiosk_id", record.kiosk_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(record.kiosk_id)},
            {"region", record.region},
            {"state", std::string(to_string(record.state))},
            {"opened_at", core::format_rfc3339(record.opened_at)},
            {"updated_at", core::format_rfc3339(record.updated_at)},
            {"last_triggered_at", core::format_rfc3339(record.last_triggered_at)},
            {"triggered", record.triggered},
            {"age_s", std::chrono::duration_cast<std::chrono::seconds>(ended - record.opened_at).count()},
            {"summary", record.summary},
            {"details", std::move(details)},
            {"acknowledged_by", or_null(record.acknowledged_by, as_text)},
            {"acknowledged_at", or_null(record.acknowledged_at, core::format_rfc3339)},
            {"closed_by", or_null(record.closed_by, as_text)},
            {"closed_at", or_null(record.closed_at, core::format_rfc3339)},
            {"close_cause", or_null(record.close_cause, as_text)},
            {"close_note", or_null(record.close_note, as_text)}};
}

nlohmann::json case_detail_to_json(const CaseDetail& detail, core::Timestamp now) {
    nlohmann::json answer = case_to_json(detail.record, now);
    nlohmann::json audit = nlohmann::json::array();
    for (const CaseAuditEntry& entry : detail.audit) {
        audit.push_back({{"at", core::format_rfc3339(entry.at)},
                         {"actor", entry.actor},
                         {"action", entry.action},
                         {"note", entry.note}});
    }
    answer["audit"] = std::move(audit);
    return answer;
}

nlohmann::json review_to_json(const ReviewRecord& review, core::Timestamp now) {
    return {{"id", review.id},
            {"store_id", review.store_id},
            {"kiosk_id", review.kiosk_id},
            {"region", review.region},
            {"sku", review.sku},
            {"locale", review.locale},
            {"rating", review.rating},
            {"text", review.text},
            {"occurred_at", core::format_rfc3339(review.occurred_at)},
            {"age_s", std::chrono::duration_cast<std::chrono::seconds>(now - review.occurred_at).count()},
            {"flags", review_flags(review.text)},
            {"state", std::string(to_string(review.state))},
            {"reason", review.state == ReviewState::Pending ? nlohmann::json(nullptr) : nlohmann::json(review.reason)},
            {"decided_by", review.state == ReviewState::Pending ? nlohmann::json(nullptr) : nlohmann::json(review.decided_by)},
            {"decided_at", or_null(review.decided_at, core::format_rfc3339)}};
}

}  // namespace truthpoint::hub
