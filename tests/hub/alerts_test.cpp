// Alerts and cases on both engines (hub/src/alerts.cpp): each rule fires once at the right moment through
// the ingest writer (store_batches) or the silent-kiosk check at a fake time, updates its open case instead
// of opening another, opens a new one after close; the case state machine and its audit trail; rule
// settings per scope; two stores on one database racing to open one case; opening hours as text.
#include <catch2/catch.hpp>

#include <future>

#include "support.hpp"
#include "truthpoint/hub/alerts.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using truthpoint::hub_test::TestDatabase;

namespace {

core::Timestamp at(const char* text) { return core::parse_rfc3339(text).value(); }

void store_batch(Store& store, const KioskIdentity& sender, const std::vector<core::Event>& events,
                 core::Timestamp received_at) {
    std::vector<BatchToStore> batches(1);
    batches[0].sender = sender;
    batches[0].received_at = received_at;
    for (const core::Event& event : events) batches[0].events.push_back(hub_test::incoming(event));
    auto results = store.store_batches(batches);
    REQUIRE(results.size() == 1);
    REQUIRE(results[0]);
}

core::Event reaction(const char* face, core::Timestamp occurred_at) {
    core::Event event = hub_test::make_event(core::EventType::FmotReaction);
    event.data["reaction"] = face;
    event.occurred_at = occurred_at;
    return event;
}

core::Event pain(nlohmann::json data, core::Timestamp occurred_at) {
    core::Event event = hub_test::make_event(core::EventType::PainReported);
    event.data = std::move(data);
    event.occurred_at = occurred_at;
    REQUIRE_FALSE(core::validate_event(event).has_value());
    return event;
}

core::Event heartbeat(std::int64_t pending, core::Timestamp occurred_at, std::int64_t quarantined = 0) {
    core::Event event = hub_test::make_event(core::EventType::KioskHeartbeat);
    event.data = {{"pending", pending}, {"quarantined", quarantined}};
    event.occurred_at = occurred_at;
    return event;
}

std::vector<CaseRecord> cases_of(Store& store, const std::string& rule, std::optional<CaseState> state = std::nullopt) {
    CaseFilter filter;
    filter.state = state;
    auto all = store.alerts().cases(filter);
    REQUIRE(all);
    std::vector<CaseRecord> matching;
    for (const CaseRecord& record : *all) {
        if (record.rule == rule) matching.push_back(record);
    }
    return matching;
}

const KioskIdentity kSender{"k-1", "s-1", "north"};
const core::Timestamp t0 = at("2026-03-02T10:00:00.000Z");  // a Monday

// A fresh database of one engine with kiosk k-1 enrolled in store s-1, region north.
struct Watched {
    explicit Watched(const std::string& engine) : database(engine), store(database.open()) {
        hub_test::enrol(*store, "k-1", "s-1", "north");
    }
    TestDatabase database;
    std::unique_ptr<Store> store;
};

core::Event low_rating(int rating) {
    return pain({{"moment", "smot"}, {"reason", "low_rating"}, {"rating", rating}}, t0);
}

}  // namespace

TEST_CASE("unhappy_share fires at 50 % of at least 4 reactions within 15 minutes, once per open case",
          "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    Watched watched(engine);
    Store* store = watched.store.get();

    SECTION("3 answers are too few, the 4th makes 3 of 4; later ones update the case; after close a new one") {
        store_batch(*store, kSender, {reaction("unhappy", t0), reaction("very_unhappy", t0 + std::chrono::minutes(1)),
                                      reaction("happy", t0 + std::chrono::minutes(2))},
                    t0 + std::chrono::minutes(2));
        CHECK(cases_of(*store, "unhappy_share").empty());
        store_batch(*store, kSender, {reaction("unhappy", t0 + std::chrono::minutes(3))}, t0 + std::chrono::minutes(3));
        auto opened = cases_of(*store, "unhappy_share");
        REQUIRE(opened.size() == 1);
        CHECK(opened[0].store_id == "s-1");
        CHECK(opened[0].kiosk_id.empty());
        CHECK(opened[0].region == "north");
        CHECK(opened[0].state == CaseState::Open);
        CHECK(opened[0].triggered == 1);
        CHECK(opened[0].opened_at == t0 + std::chrono::minutes(3));
        CHECK_THAT(opened[0].summary, Catch::Contains("3 of 4 reactions unhappy (75 %)"));

        store_batch(*store, kSender, {reaction("unhappy", t0 + std::chrono::minutes(4))}, t0 + std::chrono::minutes(4));
        auto updated = cases_of(*store, "unhappy_share");
        REQUIRE(updated.size() == 1);
        CHECK(updated[0].id == opened[0].id);
        CHECK(updated[0].triggered == 2);
        CHECK(updated[0].last_triggered_at == t0 + std::chrono::minutes(4));
        CHECK_THAT(updated[0].summary, Catch::Contains("4 of 5"));

        REQUIRE(store->alerts().close(opened[0].id, "ann", "product", "", t0 + std::chrono::minutes(5)));
        store_batch(*store, kSender, {reaction("unhappy", t0 + std::chrono::minutes(6))}, t0 + std::chrono::minutes(6));
        auto after_close = cases_of(*store, "unhappy_share");
        REQUIRE(after_close.size() == 2);
        CHECK(after_close[0].id != opened[0].id);  // newest first
        CHECK(after_close[0].state == CaseState::Open);
        CHECK(after_close[1].state == CaseState::Closed);
    }
    SECTION("49 % is below the threshold; 50 % is not") {
        std::vector<core::Event> events;
        for (int i = 0; i < 100; ++i) events.push_back(reaction(i < 49 ? "unhappy" : "happy", t0 + std::chrono::seconds(i)));
        store_batch(*store, kSender, events, t0 + std::chrono::minutes(2));
        CHECK(cases_of(*store, "unhappy_share").empty());
        store_batch(*store, kSender, {reaction("unhappy", t0 + std::chrono::minutes(3)),
                                      reaction("unhappy", t0 + std::chrono::minutes(3))},
                    t0 + std::chrono::minutes(3));
        CHECK(cases_of(*store, "unhappy_share").size() == 1);  // 51 of 102
    }
    SECTION("reactions older than the window do not count, nor other stores', nor misuse") {
        store_batch(*store, kSender, {reaction("unhappy", t0), reaction("unhappy", t0), reaction("unhappy", t0)}, t0);
        KioskIdentity other{"k-2", "s-2", "north"};
        hub_test::enrol(*store, "k-2", "s-2", "north");
        store_batch(*store, other, {reaction("unhappy", t0 + std::chrono::minutes(1))}, t0 + std::chrono::minutes(1));
        core::Event misuse = reaction("unhappy", t0 + std::chrono::minutes(2));
        misuse.data["misuse"] = true;
        store_batch(*store, kSender, {misuse}, t0 + std::chrono::minutes(2));
        store_batch(*store, kSender, {reaction("unhappy", t0 + std::chrono::minutes(16))}, t0 + std::chrono::minutes(16));
        CHECK(cases_of(*store, "unhappy_share").empty());
    }
    SECTION("a store's setting wins over the chain's; a rule off for a region fires there no more") {
        RuleSetting chain{AlertRule::UnhappyShare, ScopeKind::Chain, "*", std::nullopt, 90, std::nullopt, std::nullopt, t0};
        REQUIRE(store->alerts().set_rule(chain));
        RuleSetting own{AlertRule::UnhappyShare, ScopeKind::Store, "s-1", std::nullopt, std::nullopt, 2, std::nullopt, t0};
        REQUIRE(store->alerts().set_rule(own));
        store_batch(*store, kSender, {reaction("unhappy", t0), reaction("happy", t0)}, t0);
        CHECK(cases_of(*store, "unhappy_share").empty());  // 50 % < the chain's 90 %
        store_batch(*store, kSender, {reaction("unhappy", t0), reaction("unhappy", t0)}, t0);
        CHECK(cases_of(*store, "unhappy_share").empty());  // 75 %
        store_batch(*store, kSender, {reaction("unhappy", t0), reaction("unhappy", t0), reaction("unhappy", t0),
                                      reaction("unhappy", t0), reaction("unhappy", t0), reaction("unhappy", t0)},
                    t0);
        CHECK(cases_of(*store, "unhappy_share").size() == 1);  // 9 of 10

        RuleSetting off{AlertRule::UnhappyShare, ScopeKind::Region, "north", false, std::nullopt, std::nullopt,
                        std::nullopt, t0};
        REQUIRE(store->alerts().set_rule(off));
        auto settings = store->alerts().rules();
        REQUIRE(settings);
        REQUIRE(settings->size() == 3);
        CHECK(settings->at(0).kind == ScopeKind::Chain);
        CHECK(settings->at(1).kind == ScopeKind::Region);
        CHECK(settings->at(1).enabled == std::optional<bool>(false));
        CHECK(settings->at(2).min_count == std::optional<std::int64_t>(2));
        CHECK(settings->at(2).threshold == std::nullopt);  // merged: the store's row keeps what it set
        CHECK_FALSE(effective_parameters(AlertRule::UnhappyShare, *settings, "north", "s-1").enabled);
        CHECK(effective_parameters(AlertRule::UnhappyShare, *settings, "south", "s-1").threshold == 90);
    }
    SECTION("a value out of range or one the rule does not read is refused, naming it") {
        auto refused = store->alerts().set_rule(
            {AlertRule::UnhappyShare, ScopeKind::Chain, "*", std::nullopt, 150, std::nullopt, std::nullopt, t0});
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, Catch::Contains("threshold") && Catch::Contains("150"));
        auto unread = store->alerts().set_rule(
            {AlertRule::Pain, ScopeKind::Chain, "*", std::nullopt, std::nullopt, 3, std::nullopt, t0});
        REQUIRE_FALSE(unread);
        CHECK_THAT(unread.error().message, Catch::Contains("min_count"));
        CHECK(store->alerts().rules()->empty());
    }
}

TEST_CASE("pain fires on pain topics or a rating of at most 2", "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    Watched watched(engine);
    Store* store = watched.store.get();

    store_batch(*store, kSender, {low_rating(3)}, t0);
    CHECK(cases_of(*store, "pain").empty());  // a kiosk whose sorry-card threshold is 3: not a pain here
    store_batch(*store, kSender, {low_rating(2)}, t0);
    auto opened = cases_of(*store, "pain");
    REQUIRE(opened.size() == 1);
    CHECK_THAT(opened[0].summary, Catch::Contains("rating 2"));
    store_batch(*store, kSender,
                {pain({{"moment", "smot"}, {"reason", "pain_topics"}, {"topics", {"checkout", "freshness"}}}, t0),
                 low_rating(1)},
                t0 + std::chrono::minutes(1));
    auto updated = cases_of(*store, "pain");
    REQUIRE(updated.size() == 1);
    CHECK(updated[0].triggered == 3);
    auto detail = store->alerts().find_case(opened[0].id);
    REQUIRE(detail);
    REQUIRE(detail->has_value());
    REQUIRE((*detail)->audit.size() == 1);  // updates are not new alerts
    CHECK((*detail)->audit[0].actor == "hub");
    CHECK((*detail)->audit[0].action == "opened");

    SECTION("off for the store: nothing more is counted") {
        REQUIRE(store->alerts().set_rule(
            {AlertRule::Pain, ScopeKind::Store, "s-1", false, std::nullopt, std::nullopt, std::nullopt, t0}));
        store_batch(*store, kSender, {low_rating(1)}, t0);
        CHECK(cases_of(*store, "pain")[0].triggered == 3);
    }
}

TEST_CASE("kiosk_backlog fires when pending grows over 3 heartbeats or events are quarantined",
          "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    Watched watched(engine);
    Store* store = watched.store.get();
    const auto minute = [&](int n) { return t0 + std::chrono::minutes(n); };

    store_batch(*store, kSender, {heartbeat(5, minute(0)), heartbeat(9, minute(1))}, minute(1));
    CHECK(cases_of(*store, "kiosk_backlog").empty());
    store_batch(*store, kSender, {heartbeat(4, minute(2))}, minute(2));  // fell: the run starts again
    store_batch(*store, kSender, {heartbeat(6, minute(3))}, minute(3));
    CHECK(cases_of(*store, "kiosk_backlog").empty());
    store_batch(*store, kSender, {heartbeat(7, minute(4))}, minute(4));
    auto opened = cases_of(*store, "kiosk_backlog");
    REQUIRE(opened.size() == 1);
    CHECK(opened[0].kiosk_id == "k-1");
    CHECK_THAT(opened[0].summary, Catch::Contains("7 events pending"));
    store_batch(*store, kSender, {heartbeat(1, minute(0))}, minute(5));  // late: ignored
    store_batch(*store, kSender, {heartbeat(8, minute(5))}, minute(5));
    REQUIRE(cases_of(*store, "kiosk_backlog").size() == 1);
    CHECK(cases_of(*store, "kiosk_backlog")[0].triggered == 2);

    SECTION("quarantined events on another kiosk open its own case") {
        hub_test::enrol(*store, "k-2", "s-1", "north");
        store_batch(*store, {"k-2", "s-1", "north"}, {heartbeat(0, minute(6), 2)}, minute(6));
        auto both = cases_of(*store, "kiosk_backlog");
        REQUIRE(both.size() == 2);
        CHECK(both[0].kiosk_id == "k-2");
        CHECK_THAT(both[0].summary, Catch::Contains("2 events quarantined"));
    }
}

TEST_CASE("kiosk_silent counts a kiosk's silence within its store's opening hours, on the store's clock",
          "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    Watched watched(engine);
    Store* store = watched.store.get();
    REQUIRE(store->set_store("s-1", "Asia/Tehran", std::nullopt, core::now_utc()));  // +03:30
    auto hours = parse_opening_hours("mon-fri 09:00-21:00; sat 10:00-18:00");
    REQUIRE(hours);
    // Monday 2 March 2026: 09:00 in Tehran is 05:30Z, 21:00 is 17:30Z.
    const auto silent = [&](const char* now) {
        auto found = store->alerts().check_silent_kiosks(at(now));
        REQUIRE(found);
        return *found;
    };

    SECTION("a store without opening hours is not watched") {
        store_batch(*store, kSender, {heartbeat(0, at("2026-03-02T06:00:00.000Z"))}, at("2026-03-02T06:00:00.000Z"));
        CHECK(silent("2026-03-02T12:00:00.000Z") == 0);
        CHECK(cases_of(*store, "kiosk_silent").empty());
    }
    REQUIRE(store->alerts().set_store_hours("s-1", *hours));
    CHECK(format_opening_hours(*store->alerts().store_hours("s-1")) ==
          "mon 09:00-21:00; tue 09:00-21:00; wed 09:00-21:00; thu 09:00-21:00; fri 09:00-21:00; sat 10:00-18:00");

    SECTION("inside the hours: silent after 30 minutes, once; a new case after close") {
        store_batch(*store, kSender, {heartbeat(0, at("2026-03-02T07:50:00.000Z"))}, at("2026-03-02T07:50:00.000Z"));
        CHECK(silent("2026-03-02T08:19:00.000Z") == 0);
        CHECK(cases_of(*store, "kiosk_silent").empty());
        CHECK(silent("2026-03-02T08:20:00.000Z") == 1);
        auto opened = cases_of(*store, "kiosk_silent");
        REQUIRE(opened.size() == 1);
        CHECK(opened[0].kiosk_id == "k-1");
        CHECK_THAT(opened[0].summary, Catch::Contains("silent for 30 minutes"));
        CHECK(silent("2026-03-02T08:21:00.000Z") == 1);
        REQUIRE(cases_of(*store, "kiosk_silent").size() == 1);
        CHECK(cases_of(*store, "kiosk_silent")[0].triggered == 2);
        REQUIRE(store->alerts().close(opened[0].id, "ann", "kiosk", "rebooted", at("2026-03-02T08:22:00.000Z")));
        CHECK(silent("2026-03-02T08:23:00.000Z") == 1);
        CHECK(cases_of(*store, "kiosk_silent", CaseState::Open).size() == 1);
    }
    SECTION("outside the hours nothing fires; silence counts from the opening") {
        store_batch(*store, kSender, {heartbeat(0, at("2026-03-01T12:00:00.000Z"))}, at("2026-03-01T12:00:00.000Z"));
        CHECK(silent("2026-03-02T05:29:00.000Z") == 0);  // Monday 08:59 in Tehran: closed
        CHECK(silent("2026-03-02T05:59:00.000Z") == 0);  // 09:29: open for 29 minutes only
        CHECK(silent("2026-03-02T06:00:00.000Z") == 1);  // 09:30
        CHECK(silent("2026-03-02T17:31:00.000Z") == 0);  // 21:01: closed again
        CHECK(silent("2026-03-08T08:00:00.000Z") == 0);  // a Sunday
    }
    SECTION("a revoked kiosk is not watched") {
        store_batch(*store, kSender, {heartbeat(0, at("2026-03-01T12:00:00.000Z"))}, at("2026-03-01T12:00:00.000Z"));
        REQUIRE(store->revoke_kiosk("k-1", at("2026-03-01T13:00:00.000Z")));
        CHECK(silent("2026-03-02T08:00:00.000Z") == 0);
    }
}

TEST_CASE("a case is acknowledged and closed with a cause, each step in its audit trail", "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    Watched watched(engine);
    Store* store = watched.store.get();
    store_batch(*store, kSender, {low_rating(1)}, t0);
    const std::string id = cases_of(*store, "pain").at(0).id;
    Alerts& alerts = store->alerts();

    SECTION("open → acknowledged → closed") {
        auto acknowledged = alerts.acknowledge(id, "ann", "on it", t0 + std::chrono::minutes(1));
        REQUIRE(acknowledged);
        CHECK(acknowledged->state == CaseState::Acknowledged);
        CHECK(acknowledged->acknowledged_by == std::optional<std::string>("ann"));
        auto again = alerts.acknowledge(id, "bob", "", t0 + std::chrono::minutes(2));
        REQUIRE_FALSE(again);
        CHECK(again.error().code == ErrorCode::Conflict);
        CHECK_THAT(again.error().message, Catch::Contains("acknowledged already"));

        auto no_cause = alerts.close(id, "ann", "", "", t0 + std::chrono::minutes(3));
        REQUIRE_FALSE(no_cause);
        CHECK(no_cause.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(no_cause.error().message, Catch::Contains("cause") && Catch::Contains("false_alarm"));
        auto bad_cause = alerts.close(id, "ann", "weather", "", t0 + std::chrono::minutes(3));
        REQUIRE_FALSE(bad_cause);
        CHECK_THAT(bad_cause.error().message, Catch::Contains("'weather'"));

        auto closed = alerts.close(id, "ann", "stock", "shelf refilled", t0 + std::chrono::minutes(4));
        REQUIRE(closed);
        CHECK(closed->state == CaseState::Closed);
        CHECK(closed->close_cause == std::optional<std::string>("stock"));
        CHECK(closed->close_note == std::optional<std::string>("shelf refilled"));
        CHECK(closed->closed_at == t0 + std::chrono::minutes(4));
        CHECK(alerts.close(id, "ann", "stock", "", t0).error().code == ErrorCode::Conflict);
        CHECK(alerts.acknowledge(id, "ann", "", t0).error().code == ErrorCode::Conflict);

        auto detail = alerts.find_case(id);
        REQUIRE(detail);
        REQUIRE(detail->has_value());
        const auto& audit = (*detail)->audit;
        REQUIRE(audit.size() == 3);
        CHECK(audit[0].action == "opened");
        CHECK(audit[1].action == "acknowledged");
        CHECK(audit[1].actor == "ann");
        CHECK(audit[1].note == "on it");
        CHECK(audit[2].action == "closed");
        CHECK(audit[2].note == "shelf refilled");
    }
    SECTION("an open case may be closed at once; an unknown one is NotFound") {
        REQUIRE(alerts.close(id, "ann", "false_alarm", "", t0));
        CHECK(alerts.close("0190aaaa-0000-7000-8000-000000000000", "ann", "other", "", t0).error().code ==
              ErrorCode::NotFound);
        auto missing = alerts.find_case("nope");
        REQUIRE(missing);
        CHECK_FALSE(missing->has_value());
    }
    SECTION("cases are listed by region, store and state") {
        CaseFilter filter;
        filter.region = "south";
        CHECK(alerts.cases(filter)->empty());
        filter.region = "north";
        filter.store_id = "s-1";
        filter.state = CaseState::Open;
        CHECK(alerts.cases(filter)->size() == 1);
        filter.state = CaseState::Closed;
        CHECK(alerts.cases(filter)->empty());
    }
}

TEST_CASE("two stores on one database firing at once keep one case per rule and place", "[hub][store][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto first = database.open();
    auto second = database.open();
    hub_test::enrol(*first, "k-1", "s-1", "north");
    constexpr int kRounds = 10;
    for (int round = 0; round < kRounds; ++round) {
        auto fire = [&](Store& store) {
            store_batch(store, kSender, {low_rating(1)}, t0);
        };
        auto one = std::async(std::launch::async, [&] { fire(*first); });
        auto other = std::async(std::launch::async, [&] { fire(*second); });
        one.get();
        other.get();
        if (round == kRounds / 2) {
            REQUIRE(first->alerts().close(cases_of(*first, "pain").at(0).id, "ann", "other", "", t0));
        }
    }
    const auto all = cases_of(*first, "pain");
    REQUIRE(all.size() == 2);
    CHECK(all[0].triggered + all[1].triggered == 2 * kRounds);
    CHECK(cases_of(*first, "pain", CaseState::Open).size() == 1);
}

TEST_CASE("opening hours are read from text and refused naming the wrong part", "[hub][alerts]") {
    auto hours = parse_opening_hours("mon-wed 09:00-12:00,13:00-21:00; sun 10:00-24:00");
    REQUIRE(hours);
    CHECK(hours->size() == 7);
    CHECK(format_opening_hours(*hours) ==
          "mon 09:00-12:00,13:00-21:00; tue 09:00-12:00,13:00-21:00; wed 09:00-12:00,13:00-21:00; sun 10:00-24:00");
    CHECK(parse_opening_hours("closed")->empty());
    CHECK_THAT(parse_opening_hours("mon-fry 09:00-21:00").error().message, Catch::Contains("'mon-fry'"));
    CHECK_THAT(parse_opening_hours("mon 9:00-21:00").error().message, Catch::Contains("'9:00'"));
    CHECK_THAT(parse_opening_hours("fri 22:00-02:00").error().message, Catch::Contains("24:00"));
    CHECK_THAT(parse_opening_hours("fri-mon 09:00-10:00").error().message, Catch::Contains("backwards"));
    CHECK_THAT(parse_opening_hours("mon 09:00-12:00,11:00-13:00").error().message, Catch::Contains("11:00"));
}
