// "What shoppers just said": today's pains read back from a real ledger file.
#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/shopper_reports.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;

namespace {

struct LedgerWriter {
    explicit LedgerWriter(const std::string& path) : ledger(app::Ledger::open(path).value()) {}
    std::string add(core::EventType type, const std::string& session, core::Timestamp at, nlohmann::json data,
                    const std::string& sku = "8710398500103") {
        core::Event event;
        event.id = ids.next_at(at);
        event.type = type;
        event.occurred_at = at;
        event.session_id = session;
        event.locale = "fa";
        if (core::requires_sku(type)) event.sku = sku;
        event.data = std::move(data);
        REQUIRE(ledger.append(event).ok());
        return event.id;
    }
    app::Ledger ledger;
    core::UuidV7Generator ids;
};

}  // namespace

TEST_CASE("today's pains, newest first, with a comment only when the shopper agreed to share it", "[shopper_reports]") {
    testing::TempDir dir;
    const std::string path = dir.file("kiosk.db");
    const auto today = *core::parse_rfc3339("2026-11-22T00:00:00.000Z");
    LedgerWriter writer(path);
    const std::string yesterday_pain = writer.add(core::EventType::PainReported, writer.ids.next(), today - 2h,
                                                  {{"moment", "smot"}, {"reason", "low_rating"}, {"rating", 1}});

    const std::string shared = writer.ids.next();
    writer.add(core::EventType::SmotComment, shared, today + 9h, {{"comment", "خیلی شیرین بود"}});
    const std::string shared_pain = writer.add(core::EventType::PainReported, shared, today + 9h + 1s,
                                               {{"moment", "smot"}, {"reason", "low_rating"}, {"rating", 2}});
    writer.add(core::EventType::UmotConsent, shared, today + 9h + 2s, {{"consent", true}});

    const std::string kept = writer.ids.next();
    writer.add(core::EventType::SmotComment, kept, today + 10h, {{"comment", "not for others to read"}});
    writer.add(core::EventType::UmotConsent, kept, today + 10h + 1s, {{"consent", false}});
    const std::string kept_low = writer.add(core::EventType::PainReported, kept, today + 10h + 1500ms,
                                            {{"moment", "smot"}, {"reason", "low_rating"}, {"rating", 1}}, "5000159407236");
    const std::string kept_pain =
        writer.add(core::EventType::PainReported, kept, today + 10h + 2s,
                   {{"moment", "smot"}, {"reason", "pain_topics"}, {"topics", {"quality", "freshness"}}}, "5000159407236");
    writer.add(core::EventType::StaffSeen, writer.ids.next(), today + 11h, {{"seen", kept_pain}}, "5000159407236");

    const auto reports = app::read_shopper_reports(path, today);
    REQUIRE(reports.ok());
    REQUIRE(reports->size() == 2);  // yesterday's is not today's; one row per shopper
    const app::ShopperReport& newest = (*reports)[0];
    CHECK(newest.event_id == kept_low);  // the session's first pain
    CHECK(newest.pain_event_ids == std::vector<std::string>{kept_low, kept_pain});
    CHECK(newest.sku == "5000159407236");
    CHECK(newest.pain_topics == std::vector<std::string>{"quality", "freshness"});
    CHECK(newest.rating == 1);
    CHECK(newest.comment.empty());  // the shopper said no
    CHECK(newest.seen);  // staff marked its second pain seen
    const app::ShopperReport& oldest = (*reports)[1];
    CHECK(oldest.event_id == shared_pain);
    CHECK(oldest.rating == 2);
    CHECK(oldest.comment == "خیلی شیرین بود");
    CHECK_FALSE(oldest.seen);
    CHECK(oldest.at == today + 9h + 1s);

    CHECK(app::read_shopper_reports(path, today - 3h)->size() == 3);
    CHECK(app::read_shopper_reports(path, today, 1)->size() == 1);
}

TEST_CASE("a ledger that cannot be read is an error, not an empty list", "[shopper_reports]") {
    testing::TempDir dir;
    const auto reports = app::read_shopper_reports(dir.file("no-such-dir/kiosk.db"), core::now_utc());
    REQUIRE_FALSE(reports.ok());
    CHECK(reports.error().code == core::ErrorCode::Unavailable);
    CHECK(reports.error().message.find("no-such-dir/kiosk.db") != std::string::npos);
}

TEST_CASE("the day starts at local midnight", "[shopper_reports]") {
    const auto now = core::now_utc();
    const auto start = app::start_of_local_day(now);
    CHECK(start <= now);
    CHECK(now - start < 25h);
}
