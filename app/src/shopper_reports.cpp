// Today's pains from the ledger: pain.reported events, with the comment of the same session when the
// shopper consented to share it, and whether staff marked them seen.
#include "truthpoint/app/shopper_reports.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {

core::Result<std::vector<ShopperReport>> read_shopper_reports(const std::string& ledger_path, core::Timestamp since,
                                                               std::size_t limit) {
    std::vector<ShopperReport> reports;
    std::map<std::string, std::string> comment_of_session;
    std::set<std::string> consenting_sessions;
    std::set<std::string> seen;
    std::map<std::string, std::size_t> report_of_session;
    try {
        core::sqlite::Connection db(ledger_path);
        core::sqlite::Statement rows = db.prepare(
            "SELECT payload FROM events WHERE occurred_at >= ?1 "
            "AND type IN ('pain.reported', 'smot.comment', 'umot.consent', 'staff.seen') ORDER BY seq");
        rows.bind(1, core::format_rfc3339(since));
        while (rows.step()) {
            const auto decoded = core::decode_event_text(rows.column_text(0));
            if (!decoded) continue;  // the ledger only holds validated events; an old format is skipped
            const core::Event& event = decoded.value();
            switch (event.type) {
                case core::EventType::PainReported: {
                    // A session may report a low rating and pain topics apart: one shopper, one row.
                    auto [found, is_new] = report_of_session.try_emplace(event.session_id, reports.size());
                    if (is_new) {
                        ShopperReport report;
                        report.event_id = event.id;
                        report.sku = event.sku;
                        report.locale = event.locale;
                        report.at = event.occurred_at;
                        reports.push_back(std::move(report));
                    }
                    ShopperReport& report = reports[found->second];
                    report.pain_event_ids.push_back(event.id);
                    if (const auto rating = event.data.find("rating"); rating != event.data.end()) {
                        report.rating = rating->get<int>();
                    }
                    if (const auto topics = event.data.find("topics"); topics != event.data.end()) {
                        for (const std::string& topic : topics->get<std::vector<std::string>>()) {
                            if (std::find(report.pain_topics.begin(), report.pain_topics.end(), topic) ==
                                report.pain_topics.end()) {
                                report.pain_topics.push_back(topic);
                            }
                        }
                    }
                    break;
                }
                case core::EventType::SmotComment:
                    comment_of_session[event.session_id] = event.data.value("comment", "");
                    break;
                case core::EventType::UmotConsent:
                    if (event.data.value("consent", false)) consenting_sessions.insert(event.session_id);
                    break;
                case core::EventType::StaffSeen:
                    seen.insert(event.data.value("seen", ""));
                    break;
                default:
                    break;
            }
        }
    } catch (const core::sqlite::Error& error) {
        return core::make_error(core::ErrorCode::Unavailable, ledger_path + ": cannot read the ledger: " + error.what());
    }
    for (const auto& [session, index] : report_of_session) {
        ShopperReport& report = reports[index];
        report.seen = std::any_of(report.pain_event_ids.begin(), report.pain_event_ids.end(),
                                  [&](const std::string& id) { return seen.count(id) > 0; });
        if (consenting_sessions.count(session) > 0) {
            if (const auto comment = comment_of_session.find(session); comment != comment_of_session.end()) {
                report.comment = comment->second;
            }
        }
    }
    std::reverse(reports.begin(), reports.end());  // newest first
    if (reports.size() > limit) reports.resize(limit);
    return reports;
}

core::Timestamp start_of_local_day(core::Timestamp now) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm local{};
    localtime_r(&seconds, &local);
    local.tm_hour = 0;
    local.tm_min = 0;
    local.tm_sec = 0;
    local.tm_isdst = -1;  // mktime works out whether midnight was in summer time
    return std::chrono::time_point_cast<core::Timestamp::duration>(std::chrono::system_clock::from_time_t(std::mktime(&local)));
}

ShopperReportReader::ShopperReportReader(std::string ledger_path, std::function<void()> wake)
    : worker_("tp-reports", core::Keep::Latest,
              [ledger_path = std::move(ledger_path)](core::Timestamp& since) {
                  return read_shopper_reports(ledger_path, since);
              },
              std::move(wake)) {}

std::optional<core::Result<std::vector<ShopperReport>>> ShopperReportReader::take_result() {
    auto results = worker_.take_results();
    if (results.empty()) return std::nullopt;
    return std::move(results.back());
}

}  // namespace truthpoint::app
