// The dashboard's rollups filled at ingest, on both engines: rollup_answers, rollup_local_hours,
// feedback_sessions and kiosk_heartbeats equal a count made here from the raw events sent (by the
// design's table, not by the hub's code); local days and hours on the store's clock (Tehran's half hour);
// a zone change counts a store's events again; staff.undo takes a shelf tap back; misuse is kept apart; a
// session answered over two batches is one row; an older heartbeat does not replace a newer one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <sstream>


#include "support.hpp"

using namespace truthpoint;
using namespace truthpoint::hub;
using namespace std::chrono_literals;
using truthpoint::hub_test::TestDatabase;
using truthpoint::hub_test::incoming;

namespace {

// Iran has kept +03:30 all year since 2022: a fixed offset the test can apply itself.
constexpr auto kTehranOffset = 3h + 30min;

core::Timestamp at(const std::string& rfc3339) { return core::parse_rfc3339(rfc3339).value(); }

// The local day and hour of `instant` on a clock `offset` ahead of UTC, worked out here.
std::pair<std::string, int> local_day_hour(core::Timestamp instant, std::chrono::minutes offset) {
    const std::string text = core::format_rfc3339(instant + offset);
    return {text.substr(0, 10), std::stoi(text.substr(11, 2))};
}

// The rows of `select` (one text column `k`), sorted.
std::vector<std::string> rows(const TestDatabase& database, const std::string& select) {
    const std::string joined = database.execute(
        database.is_postgresql() ? "SELECT string_agg(k, '|' ORDER BY k) FROM (" + select + ") x"
                                 : "SELECT group_concat(k, '|') FROM (SELECT k FROM (" + select + ") ORDER BY k)");
    std::vector<std::string> out;
    if (joined.empty()) return out;
    std::stringstream in(joined);
    std::string row;
    while (std::getline(in, row, '|')) out.push_back(row);
    std::sort(out.begin(), out.end());
    return out;
}

std::string misuse_column(const char* column) { return std::string("(CASE WHEN ") + column + " THEN 1 ELSE 0 END)"; }

// rollup_answers as "store,date,sku,question,answer,misuse=events", zero sums left out.
std::vector<std::string> answer_rows(const TestDatabase& database) {
    return rows(database, "SELECT store_id || ',' || local_date || ',' || sku || ',' || question || ',' || answer || ',' || " +
                              misuse_column("misuse") + " || '=' || events AS k FROM rollup_answers WHERE events <> 0");
}

std::vector<std::string> local_hour_rows(const TestDatabase& database) {
    return rows(database, "SELECT store_id || ',' || local_date || ',' || local_hour || ',' || sku || ',' || reaction || ',' || " +
                              misuse_column("misuse") + " || '=' || events AS k FROM rollup_local_hours");
}

std::string time_text(const TestDatabase& database, const char* column) {
    return database.is_postgresql()
               ? std::string("to_char(") + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
               : std::string(column);
}

std::vector<std::string> feedback_rows(const TestDatabase& database) {
    return rows(database,
                "SELECT store_id || ',' || session_id || ',' || sku || ',' || kiosk_id || ',' || local_date || ',' || " +
                    time_text(database, "occurred_at") +
                    " || ',' || locale || ',' || coalesce(CAST(rating AS TEXT), '-') || ',' || " +
                    misuse_column("verified") + " || ',' || pain_topics || ',' || coalesce(comment, '-') || ',' || " +
                    misuse_column("misuse") + " AS k FROM feedback_sessions");
}

std::vector<std::string> heartbeat_rows(const TestDatabase& database) {
    return rows(database, "SELECT kiosk_id || ',' || store_id || ',' || " + time_text(database, "occurred_at") +
                              " || ',' || pending || ',' || coalesce(CAST(quarantined AS TEXT), '-') || ',' || "
                              "coalesce(CAST(oldest_pending_s AS TEXT), '-') || ',' || coalesce(version, '-') AS k "
                              "FROM kiosk_heartbeats");
}

// The design's table, counted here: what the dashboard's tables must hold for `sent` (stored in this order).
struct Expected {
    std::map<std::string, std::int64_t> answers;
    std::map<std::string, std::int64_t> local_hours;
    struct Session {
        std::string kiosk, date, occurred, locale, rating = "-", pain, comment = "-";
        int verified = 0, misuse = 0;
        core::Timestamp latest{};
        bool any = false;
    };
    std::map<std::string, Session> sessions;  // "store,session,sku"
    struct Beat {
        core::Timestamp occurred{};
        std::string row;
    };
    std::map<std::string, Beat> beats;

    // `offset`: the store's clock; `verified`: the hub marks it a verified purchase.
    void count(const std::string& store, const std::string& kiosk, const core::Event& event,
               std::chrono::minutes offset, bool verified) {
        const auto [date, hour] = local_day_hour(event.occurred_at, offset);
        const auto& data = event.data;
        const int misuse = data.value("misuse", false) ? 1 : 0;
        const auto add = [&](const std::string& question, const std::string& answer, int by = 1) {
            answers[store + "," + date + "," + event.sku + "," + question + "," + answer + "," + std::to_string(misuse)] += by;
        };
        const std::string type(core::to_string(event.type));
        if (type == "fmot.reaction") {
            add("reaction", data["reaction"]);
            local_hours[store + "," + date + "," + std::to_string(hour) + "," + event.sku + "," +
                        data["reaction"].get<std::string>() + "," + std::to_string(misuse)] += 1;
        } else if (type == "fmot.driver") {
            const std::string reaction = data.value("reaction", std::string("unknown"));
            for (const auto& driver : data["drivers"]) add("driver", reaction + "/" + driver.get<std::string>());
        } else if (type == "fmot.intent") {
            add("intent", data["intent"]);
            if (data.contains("why_not")) add("why_not", data["why_not"]);
            if (data.contains("ms_to_answer")) {
                const std::int64_t ms = data["ms_to_answer"];
                std::string bucket = "more";
                for (std::int64_t bound : {1000, 2000, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 60000, 120000}) {
                    if (ms <= bound) {
                        bucket = std::to_string(bound);
                        break;
                    }
                }
                add("decide_ms", bucket);
            }
        } else if (type == "staff.shelf") {
            add("shelf", data["observation"]);
        } else if (type == "staff.undo") {
            add("shelf", data["observation"], -1);
        } else if (type == "smot.expectations") {
            add("expectations", data["expectations"]);
        } else if (type == "smot.recommend") {
            add("recommend", std::to_string(data["score"].get<int>()));
        } else if (type == "umot.review") {
            add("review", "shared");
        } else if (type == "sorry.card") {
            add("sorry", data["offer"].get<bool>() ? "card" : "apology");
        } else if (type == "kiosk.heartbeat") {
            Beat& beat = beats[kiosk];
            if (beat.row.empty() || event.occurred_at > beat.occurred) {
                const auto optional = [&](const char* key) {
                    if (!data.contains(key)) return std::string("-");
                    return data[key].is_string() ? data[key].get<std::string>() : std::to_string(data[key].get<std::int64_t>());
                };
                beat.occurred = event.occurred_at;
                beat.row = kiosk + "," + store + "," + core::format_rfc3339(event.occurred_at) + "," +
                           std::to_string(data["pending"].get<std::int64_t>()) + "," + optional("quarantined") + "," +
                           optional("oldest_pending_s") + "," + optional("version");
            }
        }
        if (type == "smot.feedback" || type == "smot.topics" || type == "smot.comment") {
            Session& session = sessions[store + "," + event.session_id + "," + event.sku];
            if (!session.any || event.occurred_at > session.latest) {
                session.kiosk = kiosk;
                session.date = date;
                session.occurred = core::format_rfc3339(event.occurred_at);
                session.locale = event.locale;
                session.latest = event.occurred_at;
            }
            session.any = true;
            session.misuse = session.misuse || misuse;
            if (type == "smot.feedback") {
                const int rating = data["rating"];
                add("rating", std::to_string(rating));
                add("verified", verified ? "yes" : "no");
                session.rating = std::to_string(rating);
                session.verified = verified ? 1 : 0;
            } else if (type == "smot.topics") {
                std::string pains;
                for (const char* kind : {"glory", "pain"}) {
                    if (!data.contains(kind)) continue;
                    for (const auto& topic : data[kind]) {
                        add(kind, topic);
                        if (std::string(kind) == "pain") pains += (pains.empty() ? "" : ",") + topic.get<std::string>();
                    }
                }
                if (!pains.empty()) session.pain = pains;
            } else {
                session.comment = data["comment"];
            }
        }
    }

    std::vector<std::string> answer_rows() const { return as_rows(answers); }
    std::vector<std::string> local_hour_rows() const { return as_rows(local_hours); }
    std::vector<std::string> feedback_rows() const {
        std::vector<std::string> out;
        for (const auto& [key, s] : sessions) {
            out.push_back(key + "," + s.kiosk + "," + s.date + "," + s.occurred + "," + s.locale + "," + s.rating + "," +
                          std::to_string(s.verified) + "," + s.pain + "," + s.comment + "," + std::to_string(s.misuse));
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::vector<std::string> heartbeat_rows() const {
        std::vector<std::string> out;
        for (const auto& [kiosk, beat] : beats) out.push_back(beat.row);
        std::sort(out.begin(), out.end());
        return out;
    }

private:
    static std::vector<std::string> as_rows(const std::map<std::string, std::int64_t>& counts) {
        std::vector<std::string> out;
        for (const auto& [key, events] : counts) {
            if (events != 0) out.push_back(key + "=" + std::to_string(events));
        }
        std::sort(out.begin(), out.end());
        return out;
    }
};

// rollup_tiers against rollup_answers, each as "key=events" rows without zeros: the region tiers summed over
// regions, against the answers summed over stores (and products) by day, ISO week and month; a product's
// hours by month against rollup_local_hours; the stores' reactions by day and month.
// Each pair must be equal.
std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> tiers_and_answers(const TestDatabase& database) {
    const std::string misuse = misuse_column("misuse");
    const auto tier = [&](const std::string& key, const std::string& where) {
        return rows(database, "SELECT " + key + " || '=' || sum(events) AS k FROM rollup_tiers WHERE " + where +
                                  " GROUP BY " + key + " HAVING sum(events) <> 0");
    };
    const auto answers = [&](const std::string& key, const std::string& where) {
        return rows(database, "SELECT " + key + " || '=' || sum(events) AS k FROM rollup_answers WHERE " + where +
                                  " GROUP BY " + key + " HAVING sum(events) <> 0");
    };
    const std::string month = "substr(local_date, 1, 7)";
    // The Monday of local_date's ISO week, and "D-HH" (ISO weekday, local hour), in each engine's SQL.
    const bool pg = database.is_postgresql();
    const std::string monday = pg ? "to_char(local_date::date - (extract(isodow FROM local_date::date)::integer - 1), 'YYYY-MM-DD')"
                                  : "date(local_date, '-6 days', 'weekday 1')";
    const std::string weekday_hour =
        pg ? "extract(isodow FROM local_date::date)::integer || '-' || lpad(local_hour::text, 2, '0')"
           : "((CAST(strftime('%w', local_date) AS INTEGER) + 6) % 7 + 1) || '-' || printf('%02d', local_hour)";
    const auto hours = [&](const std::string& key) {
        return rows(database, "SELECT " + key + " || '=' || sum(events) AS k FROM rollup_local_hours WHERE sku <> '' GROUP BY " +
                                  key + " HAVING sum(events) <> 0");
    };
    return {
        {tier("period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_week'"),
         answers(monday + " || ' ' || question || ' ' || answer || ' ' || " + misuse, "1 = 1")},
        {tier("sku || ' ' || period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_product_week'"),
         answers("sku || ' ' || " + monday + " || ' ' || question || ' ' || answer || ' ' || " + misuse, "sku <> ''")},
        {tier("sku || ' ' || period || ' ' || question || ' ' || answer || ' ' || " + misuse,
              "tier = 'region_product_hour_month'"),
         hours("sku || ' ' || " + month + " || ' ' || " + weekday_hour + " || ' ' || reaction || ' ' || " + misuse)},
        {tier("period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_day'"),
         answers("local_date || ' ' || question || ' ' || answer || ' ' || " + misuse, "1 = 1")},
        {tier("period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_month'"),
         answers(month + " || ' ' || question || ' ' || answer || ' ' || " + misuse, "1 = 1")},
        {tier("sku || ' ' || period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_product_month'"),
         answers("sku || ' ' || " + month + " || ' ' || question || ' ' || answer || ' ' || " + misuse, "sku <> ''")},
        {tier("sku || ' ' || period || ' ' || question || ' ' || answer || ' ' || " + misuse, "tier = 'region_product_day'"),
         answers("sku || ' ' || local_date || ' ' || question || ' ' || answer || ' ' || " + misuse, "sku <> ''")},
        {tier("place || ' ' || period || ' ' || answer || ' ' || " + misuse, "tier = 'store_totals_day'"),
         answers("store_id || ' ' || local_date || ' ' || answer || ' ' || " + misuse, "question = 'reaction'")},
        {tier("place || ' ' || period || ' ' || answer || ' ' || " + misuse,
              "tier = 'store_totals_month' AND question = 'reaction'"),
         answers("store_id || ' ' || " + month + " || ' ' || answer || ' ' || " + misuse, "question = 'reaction'")},
    };
}

template <typename T>
const T& pick(std::mt19937& random, const std::vector<T>& items) {
    return items[random() % items.size()];
}

}  // namespace

TEST_CASE("the dashboard's rollups equal a count of the raw events, on each store's clock", "[hub][store][dashboard_rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-utc");
    hub_test::enrol(*store, "k-2", "s-teh");
    hub_test::enrol(*store, "k-3", "s-teh");
    REQUIRE(store->set_store("s-teh", "Asia/Tehran", std::string("Tehran"), core::now_utc()));
    // Feedback on sku-1 naming receipt A is a verified purchase in s-teh only.
    REQUIRE(store->store_receipts("s-teh", {Receipt{hub_test::kReceiptHashA, core::now_utc(), {"sku-1"}}}, core::now_utc()));

    std::mt19937 random(7);
    const std::vector<std::string> reactions{"very_unhappy", "unhappy", "happy", "very_happy"};
    const std::vector<std::string> drivers{"packaging", "price", "promotion", "brand", "label", "habit"};
    const std::vector<std::string> topics{"quality", "value_for_money", "freshness", "checkout", "staff_help"};
    const std::vector<std::int64_t> decide{0, 999, 1000, 1001, 7500, 7501, 60000, 120000, 120001, 900000};
    const core::Timestamp base = at("2026-03-10T00:00:00.000Z");
    const auto random_time = [&] { return base + std::chrono::minutes(random() % (4 * 24 * 60)) + std::chrono::milliseconds(random() % 60000); };

    struct Sent {
        KioskIdentity sender;
        core::Event event;
    };
    std::vector<std::vector<Sent>> batches(10);
    const std::vector<KioskIdentity> senders{{"k-1", "s-utc", ""}, {"k-2", "s-teh", ""}, {"k-3", "s-teh", ""}};
    for (int n = 0; n < 400; ++n) {
        const KioskIdentity& sender = pick(random, senders);
        const std::string sku = "sku-" + std::to_string(random() % 3);
        core::Event event;
        switch (random() % 10) {
            case 0:
                event = hub_test::make_event(core::EventType::FmotReaction, sku);
                event.data["reaction"] = pick(random, reactions);
                break;
            case 1: {
                event = hub_test::make_event(core::EventType::FmotDriver, sku);
                event.data["drivers"] = {pick(random, drivers)};
                if (random() % 3) event.data["reaction"] = pick(random, reactions);  // else an older kiosk's
                break;
            }
            case 2:
                event = hub_test::make_event(core::EventType::FmotIntent, sku);
                event.data["intent"] = random() % 2 ? "buy_now" : "not_buying";
                if (event.data["intent"] == "not_buying" && random() % 2) event.data["why_not"] = "price";
                if (random() % 4) event.data["ms_to_answer"] = pick(random, decide);
                break;
            case 3: {
                event = hub_test::make_event(core::EventType::StaffShelf, sku);
                event.data["observation"] = random() % 2 ? "picked_up" : "put_back";
                if (random() % 3 == 0) {  // taken back by staff, in this batch or a later one
                    core::Event undo = hub_test::make_event(core::EventType::StaffUndo, sku);
                    undo.data = {{"undoes", event.id}, {"observation", event.data["observation"]}};
                    undo.occurred_at = event.occurred_at = random_time();
                    undo.occurred_at += 5s;
                    batches[random() % batches.size()].push_back({sender, undo});
                }
                break;
            }
            case 4: {
                // A post-purchase session: rating, topics and comment, each in any batch.
                const std::string session = core::UuidV7Generator().next();
                const bool receipt = random() % 2;
                const std::string product = receipt ? "sku-1" : sku;
                core::Event rating = hub_test::make_event(core::EventType::SmotFeedback, product);
                rating.data = {{"rating", static_cast<int>(1 + random() % 5)}};
                if (receipt) rating.data.update({{"receipt", "keypad"}, {"receipt_hash", hub_test::kReceiptHashA}});
                core::Event pains = hub_test::make_event(core::EventType::SmotTopics, product);
                pains.data = {{"glory", {pick(random, topics)}}};
                if (random() % 2) pains.data["pain"] = {"checkout", "freshness"};
                core::Event comment = hub_test::make_event(core::EventType::SmotComment, product);
                comment.data = {{"comment", "note " + std::to_string(n)}};
                const core::Timestamp when = random_time();
                int step = 0;
                for (core::Event* answer : {&rating, &pains, &comment}) {
                    answer->session_id = session;
                    answer->locale = random() % 2 ? "fa" : "en";
                    answer->occurred_at = when + std::chrono::seconds(20 * step++);
                    if (step == 3 && random() % 2) continue;  // no comment
                    if (random() % 9 == 0) answer->data["misuse"] = true;
                    batches[random() % batches.size()].push_back({sender, *answer});
                }
                continue;
            }
            case 5:
                event = hub_test::make_event(random() % 2 ? core::EventType::SmotExpectations : core::EventType::SmotRecommend, sku);
                if (event.type == core::EventType::SmotRecommend) event.data["score"] = static_cast<int>(random() % 11);
                break;
            case 6:
                event = hub_test::make_event(random() % 2 ? core::EventType::UmotReview : core::EventType::SessionStart, sku);
                break;
            case 7:
                event = hub_test::make_event(core::EventType::SorryCard, sku);
                if (random() % 2) {
                    event.data = {{"reason", "low_rating"}, {"offer", true}, {"card_id", core::UuidV7Generator().next()},
                                  {"code", "ABCDEFGH2345"}, {"offer_text", "10% off"}};
                }
                break;
            case 8:
                event = hub_test::make_event(core::EventType::KioskHeartbeat);
                event.data = {{"pending", static_cast<int>(random() % 50)}};
                if (random() % 2) event.data["quarantined"] = static_cast<int>(random() % 3);
                if (random() % 2) event.data["oldest_pending_s"] = static_cast<int>(random() % 900);
                if (random() % 2) event.data["version"] = "1.4." + std::to_string(random() % 3);
                break;
            default:
                event = hub_test::make_event(core::EventType::FmotReaction, sku);
                event.data["reaction"] = pick(random, reactions);
                break;
        }
        if (event.type != core::EventType::StaffShelf) event.occurred_at = random_time();
        if (random() % 8 == 0) event.data["misuse"] = true;
        REQUIRE_FALSE(core::validate_event(event));
        batches[random() % batches.size()].push_back({sender, event});
    }

    // Half the batches one transaction each, the others in groups; each batch has one sender.
    Expected expected;
    std::vector<BatchToStore> group;
    for (std::size_t b = 0; b < batches.size(); ++b) {
        std::map<std::string, BatchToStore> by_kiosk;
        for (const Sent& sent : batches[b]) {
            BatchToStore& batch = by_kiosk[sent.sender.kiosk_id];
            batch.sender = sent.sender;
            batch.received_at = base + std::chrono::hours(24 * 5);
            batch.events.push_back(incoming(sent.event));
            const bool tehran = sent.sender.store_id == "s-teh";
            const bool verified = tehran && sent.event.type == core::EventType::SmotFeedback &&
                                  sent.event.data.contains("receipt_hash") && sent.event.sku == "sku-1";
            expected.count(sent.sender.store_id, sent.sender.kiosk_id, sent.event,
                           tehran ? std::chrono::duration_cast<std::chrono::minutes>(kTehranOffset) : 0min, verified);
        }
        for (auto& [kiosk, batch] : by_kiosk) {
            if (b % 2) {
                REQUIRE(store->store_events(batch.sender, batch.events, batch.received_at));
            } else {
                group.push_back(std::move(batch));
                if (group.size() >= 3) {
                    for (const auto& stored : store->store_batches(group)) REQUIRE(stored);
                    group.clear();
                }
            }
        }
        // Folded in several runs: each fold counts from where the last one stopped.
        if (b % 3 == 1) REQUIRE(store->catch_up_rollups());
    }
    for (const auto& stored : store->store_batches(group)) REQUIRE(stored);
    // A resend counts nothing.
    REQUIRE(store->store_events(senders[1], {incoming(batches[0].front().event)}, core::now_utc()));
    REQUIRE(store->catch_up_rollups());

    CHECK(expected.answers.size() > 50);
    CHECK(expected.sessions.size() > 10);
    CHECK(answer_rows(database) == expected.answer_rows());
    CHECK(local_hour_rows(database) == expected.local_hour_rows());
    CHECK(feedback_rows(database) == expected.feedback_rows());
    CHECK(heartbeat_rows(database) == expected.heartbeat_rows());
    for (const auto& [tiers, answers] : tiers_and_answers(database)) {
        CHECK_FALSE(answers.empty());
        CHECK(tiers == answers);
    }

    SECTION("counting the store's events again gives the same rows") {
        REQUIRE(store->set_store("s-teh", "UTC", std::nullopt, core::now_utc()));
        for (const auto& [tiers, answers] : tiers_and_answers(database)) CHECK(tiers == answers);  // on UTC's days
        REQUIRE(store->set_store("s-teh", "Asia/Tehran", std::nullopt, core::now_utc()));
        CHECK(answer_rows(database) == expected.answer_rows());
        CHECK(local_hour_rows(database) == expected.local_hour_rows());
        CHECK(feedback_rows(database) == expected.feedback_rows());
        CHECK(heartbeat_rows(database) == expected.heartbeat_rows());
        for (const auto& [tiers, answers] : tiers_and_answers(database)) CHECK(tiers == answers);
        auto listed = store->list_stores();
        REQUIRE(listed);
        REQUIRE(listed->size() == 1);
        CHECK(listed->front().name == "Tehran");  // kept when not given
    }
}

TEST_CASE("Tehran's half hour: local hours, a zone change and the dashboard's smaller rules", "[hub][store][dashboard_rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    hub_test::enrol(*store, "k-1", "s-1");
    const KioskIdentity sender{"k-1", "s-1", ""};
    const auto reaction = [](const std::string& when, const std::string& face = "happy", bool misuse = false) {
        core::Event event = hub_test::make_event(core::EventType::FmotReaction, "sku-1");
        event.occurred_at = at(when);
        event.data["reaction"] = face;
        if (misuse) event.data["misuse"] = true;
        return incoming(event);
    };
    // Each read catches the rollups up first, as the dashboard does.
    const auto hours = [&] {
        REQUIRE(store->catch_up_rollups());
        return rows(database, "SELECT local_date || ' ' || local_hour || ' ' || " + misuse_column("misuse") +
                                  " || '=' || events AS k FROM rollup_local_hours");
    };
    const auto reaction_days = [&] {
        REQUIRE(store->catch_up_rollups());
        return rows(database, "SELECT local_date || ' ' || answer || ' ' || " + misuse_column("misuse") +
                                  " || '=' || events AS k FROM rollup_answers WHERE question = 'reaction'");
    };

    SECTION("at 06:29:59Z it is 09:59 in Tehran, at 06:30:00Z 10:00") {
        REQUIRE(store->set_store("s-1", "Asia/Tehran", std::nullopt, core::now_utc()));
        REQUIRE(store->store_events(sender, {reaction("2026-06-01T06:29:59.999Z"), reaction("2026-06-01T06:30:00.000Z")},
                                    core::now_utc()));
        CHECK(hours() == std::vector<std::string>{"2026-06-01 10 0=1", "2026-06-01 9 0=1"});
    }
    SECTION("a zone change counts the store's events again on the new clock; totals stay") {
        // 21:00Z is the next day in Tehran (00:30) and the same day in UTC.
        REQUIRE(store->store_events(sender, {reaction("2026-06-01T21:00:00.000Z"), reaction("2026-06-01T10:00:00.000Z", "unhappy")},
                                    core::now_utc()));
        CHECK(reaction_days() == std::vector<std::string>{"2026-06-01 happy 0=1", "2026-06-01 unhappy 0=1"});
        CHECK(hours() == std::vector<std::string>{"2026-06-01 10 0=1", "2026-06-01 21 0=1"});
        auto set = store->set_store("s-1", "Asia/Tehran", std::string("Vanak"), core::now_utc());
        REQUIRE(set);
        CHECK(set->time_zone == "Asia/Tehran");
        CHECK(reaction_days() == std::vector<std::string>{"2026-06-01 unhappy 0=1", "2026-06-02 happy 0=1"});
        CHECK(hours() == std::vector<std::string>{"2026-06-01 13 0=1", "2026-06-02 0 0=1"});
        // The UTC-hour rollups are not touched: the stats stay.
        CHECK(store->stats()->total_events == 2);
        // New events after the change land on the new clock too.
        REQUIRE(store->store_events(sender, {reaction("2026-06-01T20:45:00.000Z")}, core::now_utc()));
        CHECK(hours() == std::vector<std::string>{"2026-06-01 13 0=1", "2026-06-02 0 0=2"});
    }
    SECTION("staff.undo takes its shelf tap back; misuse is counted apart") {
        core::Event shelf = hub_test::make_event(core::EventType::StaffShelf, "sku-1");
        shelf.data["observation"] = "picked_up";
        shelf.occurred_at = at("2026-06-01T10:00:00.000Z");
        core::Event kept = shelf;
        kept.id = core::UuidV7Generator().next();
        core::Event undo = hub_test::make_event(core::EventType::StaffUndo, "sku-1");
        undo.data = {{"undoes", shelf.id}, {"observation", "picked_up"}};
        undo.occurred_at = at("2026-06-01T10:00:05.000Z");
        REQUIRE(store->store_events(sender, {incoming(shelf), incoming(kept)}, core::now_utc()));
        REQUIRE(store->store_events(sender, {incoming(undo), reaction("2026-06-01T10:00:00.000Z", "happy", true)},
                                    core::now_utc()));
        CHECK(reaction_days() == std::vector<std::string>{"2026-06-01 happy 1=1"});
        CHECK(hours() == std::vector<std::string>{"2026-06-01 10 1=1"});
        CHECK(database.execute("SELECT events FROM rollup_answers WHERE question = 'shelf' AND answer = 'picked_up'") == "1");
    }
    SECTION("a session answered over two batches is one feedback row") {
        const std::string session = core::UuidV7Generator().next();
        core::Event rating = hub_test::make_event(core::EventType::SmotFeedback, "sku-1");
        rating.data = {{"rating", 2}};
        rating.session_id = session;
        rating.occurred_at = at("2026-06-01T10:00:00.000Z");
        core::Event topics = hub_test::make_event(core::EventType::SmotTopics, "sku-1");
        topics.data = {{"pain", {"checkout", "freshness"}}};
        topics.session_id = session;
        topics.occurred_at = at("2026-06-01T10:00:10.000Z");
        core::Event comment = hub_test::make_event(core::EventType::SmotComment, "sku-1");
        comment.data = {{"comment", "slow till"}, {"misuse", true}};
        comment.session_id = session;
        comment.occurred_at = at("2026-06-01T10:00:30.000Z");
        comment.locale = "en";
        REQUIRE(store->store_events(sender, {incoming(rating), incoming(topics)}, core::now_utc()));
        REQUIRE(store->store_events(sender, {incoming(comment)}, core::now_utc()));
        REQUIRE(store->catch_up_rollups());
        CHECK(feedback_rows(database) ==
              std::vector<std::string>{"s-1," + session + ",sku-1,k-1,2026-06-01,2026-06-01T10:00:30.000Z,en,2,0,"
                                       "checkout,freshness,slow till,1"});
    }
    SECTION("a receipt arriving after its rating moves the rating to verified") {
        core::Event rating = hub_test::feedback("sku-1", hub_test::kReceiptHashB);
        rating.data["receipt"] = "scanner";
        rating.occurred_at = at("2026-06-01T10:00:00.000Z");
        REQUIRE_FALSE(core::validate_event(rating));
        REQUIRE(store->store_events(sender, {incoming(rating)}, core::now_utc()));
        const auto verified = [&] {
            REQUIRE(store->catch_up_rollups());
            return rows(database, "SELECT local_date || ' ' || answer || '=' || events AS k FROM rollup_answers "
                                  "WHERE question = 'verified' AND events <> 0");
        };
        CHECK(verified() == std::vector<std::string>{"2026-06-01 no=1"});
        REQUIRE(store->store_receipts("s-1", {Receipt{hub_test::kReceiptHashB, core::now_utc(), {"sku-1"}}},
                                      core::now_utc()));
        CHECK(verified() == std::vector<std::string>{"2026-06-01 yes=1"});
        CHECK(database.execute("SELECT " + misuse_column("verified") + " FROM feedback_sessions") == "1");
        for (const auto& [tiers, answers] : tiers_and_answers(database)) CHECK(tiers == answers);
    }
    SECTION("a receipt arriving before its rating is folded: the fold counts the rating verified") {
        core::Event rating = hub_test::feedback("sku-1", hub_test::kReceiptHashB);
        rating.occurred_at = at("2026-06-01T10:00:00.000Z");
        core::Event earlier = hub_test::feedback("sku-1", hub_test::kReceiptHashB);
        earlier.occurred_at = at("2026-06-01T09:00:00.000Z");
        REQUIRE(store->store_events(sender, {incoming(earlier)}, core::now_utc()));
        REQUIRE(store->catch_up_rollups());  // `earlier` is counted, `rating` not yet stored
        REQUIRE(store->store_events(sender, {incoming(rating)}, core::now_utc()));
        REQUIRE(store->store_receipts("s-1", {Receipt{hub_test::kReceiptHashB, core::now_utc(), {"sku-1"}}},
                                      core::now_utc()));
        REQUIRE(store->catch_up_rollups());
        CHECK(rows(database, "SELECT local_date || ' ' || answer || '=' || events AS k FROM rollup_answers "
                             "WHERE question = 'verified' AND events <> 0") ==
              std::vector<std::string>{"2026-06-01 yes=2"});
        for (const auto& [tiers, answers] : tiers_and_answers(database)) CHECK(tiers == answers);
    }
    SECTION("an older heartbeat does not replace a newer one") {
        const auto heartbeat = [](const std::string& when, int pending) {
            core::Event event = hub_test::make_event(core::EventType::KioskHeartbeat);
            event.occurred_at = at(when);
            event.data = {{"pending", pending}, {"version", "1.2.3"}};
            return incoming(event);
        };
        REQUIRE(store->store_events(sender, {heartbeat("2026-06-01T10:05:00.000Z", 7)}, core::now_utc()));
        REQUIRE(store->store_events(sender, {heartbeat("2026-06-01T10:00:00.000Z", 99)}, core::now_utc()));
        REQUIRE(store->catch_up_rollups());
        CHECK(heartbeat_rows(database) == std::vector<std::string>{"k-1,s-1,2026-06-01T10:05:00.000Z,7,-,-,1.2.3"});
        REQUIRE(store->store_events(sender, {heartbeat("2026-06-01T10:06:00.000Z", 0)}, core::now_utc()));
        REQUIRE(store->catch_up_rollups());
        CHECK(heartbeat_rows(database) == std::vector<std::string>{"k-1,s-1,2026-06-01T10:06:00.000Z,0,-,-,1.2.3"});
    }
    SECTION("an unknown zone is refused, naming it, and nothing is stored") {
        auto set = store->set_store("s-1", "Mars/Olympus_Mons", std::nullopt, core::now_utc());
        REQUIRE_FALSE(set);
        CHECK(set.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(set.error().message, Catch::Contains("Mars/Olympus_Mons"));
        CHECK(store->list_stores()->empty());
    }
}

TEST_CASE("migrating to schema 10 counts the events already held into the dashboard's tables", "[hub][store][dashboard_rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    {
        auto store = database.open();
        hub_test::enrol(*store, "k-1", "s-1", "north");
        core::Event reaction = hub_test::make_event(core::EventType::FmotReaction, "sku-1");
        reaction.occurred_at = at("2026-06-01T23:30:00.000Z");
        core::Event heartbeat = hub_test::make_event(core::EventType::KioskHeartbeat);
        heartbeat.occurred_at = at("2026-06-01T23:31:00.000Z");
        REQUIRE(store->store_events({"k-1", "s-1", "north"}, {incoming(reaction), incoming(heartbeat)}, core::now_utc()));
    }
    // Back to schema 9, as a hub from before the tiers left it, with schema 9's tables empty (as a hub
    // that migrated from 8 and stopped before 10 would have them): rollup_tiers and schema 11's
    // rollup_progress gone, the UTC-hour rollups there.
    for (const char* statement :
         {"DROP TABLE rollup_progress", "DROP TABLE rollup_tiers", "DROP INDEX feedback_comments_by_time", "DELETE FROM rollup_answers", "DELETE FROM rollup_local_hours",
          "DELETE FROM feedback_sessions", "DELETE FROM kiosk_heartbeats", "CREATE TABLE rollup_hourly (events INTEGER)",
          "CREATE TABLE rollup_reactions (events INTEGER)"}) {
        database.execute(statement);
    }
    hub_test::drop_alert_tables(database);
    database.execute(database.is_postgresql() ? "DELETE FROM schema_migrations WHERE version >= 10" : "PRAGMA user_version = 9");
    CHECK(database.execute("SELECT count(*) FROM events") == "2");

    auto reopened = database.open();  // migrates to 10, then 11
    CHECK(database.execute("SELECT folded_through FROM rollup_progress") ==
          database.execute(database.is_postgresql() ? "SELECT max(received_seq) FROM events" : "SELECT max(rowid) FROM events"));
    CHECK(local_hour_rows(database) == std::vector<std::string>{"s-1,2026-06-01,23,sku-1,happy,0=1"});  // on UTC
    CHECK(answer_rows(database) == std::vector<std::string>{"s-1,2026-06-01,sku-1,reaction,happy,0=1"});
    CHECK(heartbeat_rows(database) == std::vector<std::string>{"k-1,s-1,2026-06-01T23:31:00.000Z,0,-,-,-"});
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE tier = 'region_day' AND place = 'north' AND "
                           "period = '2026-06-01' AND question = 'reaction' AND answer = 'happy'") == "1");
    CHECK(database.execute("SELECT sum(events) FROM rollup_tiers WHERE tier = 'store_totals_month' AND place = 's-1' "
                           "AND question = 'type'") == "2");
    CHECK(reopened->stats()->total_events == 2);
}

TEST_CASE("migrating to schema 12 sums the week and product-hour tiers from the day tiers", "[hub][store][dashboard_rollups]") {
    const std::string engine = GENERATE(as<std::string>{}, hub_test::kSqlite, hub_test::kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    const std::string new_tiers = "tier IN ('region_week', 'region_product_week', 'region_product_hour_month')";
    const std::string all_tiers =
        "SELECT tier || ' ' || place || ' ' || sku || ' ' || period || ' ' || question || ' ' || answer || ' ' || " +
        misuse_column("misuse") + " || '=' || events AS k FROM rollup_tiers";
    std::vector<std::string> folded;
    {
        auto store = database.open();
        hub_test::enrol(*store, "k-1", "s-1", "north");
        hub_test::enrol(*store, "k-2", "s-2", "south");
        REQUIRE(store->set_store("s-2", "Asia/Tehran", std::nullopt, core::now_utc()));
        std::vector<IncomingEvent> events;
        // Across a week's and a month's end, at both ends of the local day.
        for (const char* when : {"2026-05-31T20:45:00.000Z", "2026-06-01T07:10:00.000Z", "2026-06-07T21:00:00.000Z",
                                 "2026-06-08T09:00:00.000Z"}) {
            for (const char* sku : {"sku-1", "sku-2"}) {
                core::Event reaction = hub_test::make_event(core::EventType::FmotReaction, sku);
                reaction.data["reaction"] = "happy";
                reaction.occurred_at = at(when);
                events.push_back(incoming(reaction));
            }
        }
        REQUIRE(store->store_events({"k-1", "s-1", "north"}, events, core::now_utc()));
        REQUIRE(store->store_events({"k-2", "s-2", "south"}, events, core::now_utc()));
        REQUIRE(store->catch_up_rollups());
        folded = rows(database, all_tiers);
    }
    REQUIRE(database.execute("SELECT count(*) FROM rollup_tiers WHERE " + new_tiers) != "0");
    // Back to schema 11, as a hub from before these tiers left it: without them, and the older index.
    for (const std::string& statement :
         {"DELETE FROM rollup_tiers WHERE " + new_tiers, std::string("DROP INDEX feedback_comments_by_time"),
          std::string("CREATE INDEX feedback_comments_by_time ON feedback_sessions(occurred_at) WHERE comment IS NOT "
                      "NULL AND comment <> ''")}) {
        database.execute(statement);
    }
    hub_test::drop_alert_tables(database);
    database.execute(database.is_postgresql() ? "DELETE FROM schema_migrations WHERE version >= 12" : "PRAGMA user_version = 11");

    auto reopened = database.open();  // migrates to 12
    CHECK(rows(database, all_tiers) == folded);
    for (const auto& [tiers, answers] : tiers_and_answers(database)) CHECK(tiers == answers);
}
