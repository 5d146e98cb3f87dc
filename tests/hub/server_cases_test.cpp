// The cases over HTTP (hub/src/server.cpp, case_json.cpp), on a real hub on loopback: a pain posted by a
// kiosk becomes a case an admin lists, reads, acknowledges and closes; a close without a cause is a 400
// that changes nothing; wrong states are 409; a manager of another region gets 404; another site's page
// cannot post with the cookie.
#include <catch2/catch.hpp>

#include "support.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

std::string first_case_id(RunningHub& hub) {
    auto listed = hub.client()->Get("/api/v1/cases?state=open", hub.admin_headers());
    REQUIRE(listed);
    REQUIRE(listed->status == 200);
    const auto cases = nlohmann::json::parse(listed->body)["cases"];
    REQUIRE(cases.size() == 1);
    return cases[0]["id"].get<std::string>();
}

}  // namespace

TEST_CASE("cases over HTTP: listed, read with their trail, acknowledged, closed with a cause", "[hub][http][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    core::Event pain = make_event(core::EventType::PainReported);
    pain.data = {{"moment", "smot"}, {"reason", "low_rating"}, {"rating", 1}};
    auto posted = hub.post_batch(batch_body({pain}));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    const std::string id = first_case_id(hub);
    const auto path = [&](const char* tail) { return "/api/v1/cases/" + id + tail; };
    auto client = hub.client();
    const auto state_of = [&] {
        auto read = client->Get(path("").c_str(), hub.admin_headers());
        REQUIRE(read);
        REQUIRE(read->status == 200);
        return nlohmann::json::parse(read->body);
    };

    const auto opened = state_of();
    CHECK(opened["rule"] == "pain");
    CHECK(opened["store_id"] == "s-1");
    CHECK(opened["kiosk_id"].is_null());
    CHECK(opened["state"] == "open");
    CHECK(opened["age_s"].get<std::int64_t>() >= 0);
    CHECK(opened["details"]["rating"] == 1);
    REQUIRE(opened["audit"].size() == 1);
    CHECK(opened["audit"][0]["actor"] == "hub");

    SECTION("acknowledge, then close with a cause; each step in the trail; a second close is a 409") {
        auto acknowledged = client->Post(path("/acknowledge").c_str(), hub.admin_headers(), R"({"note": "on my way"})",
                                         "application/json");
        REQUIRE(acknowledged);
        CHECK(acknowledged->status == 200);
        CHECK(nlohmann::json::parse(acknowledged->body)["state"] == "acknowledged");
        auto again = client->Post(path("/acknowledge").c_str(), hub.admin_headers(), "", "application/json");
        REQUIRE(again);
        CHECK(again->status == 409);

        auto closed = client->Post(path("/close").c_str(), hub.admin_headers(),
                                   R"({"cause": "service", "note": "talked to the shopper"})", "application/json");
        REQUIRE(closed);
        CHECK(closed->status == 200);
        const auto now = state_of();
        CHECK(now["state"] == "closed");
        CHECK(now["close_cause"] == "service");
        CHECK(now["closed_by"] == "test-admin");
        REQUIRE(now["audit"].size() == 3);
        CHECK(now["audit"][1]["note"] == "on my way");
        CHECK(now["audit"][2]["action"] == "closed");
        auto twice = client->Post(path("/close").c_str(), hub.admin_headers(), R"({"cause": "service"})",
                                  "application/json");
        REQUIRE(twice);
        CHECK(twice->status == 409);
        auto listed = client->Get("/api/v1/cases?state=closed", hub.admin_headers());
        REQUIRE(listed);
        CHECK(nlohmann::json::parse(listed->body)["cases"].size() == 1);
    }
    SECTION("a close without a cause, or with an unknown one, is a 400 naming it, and nothing changes") {
        auto without = client->Post(path("/close").c_str(), hub.admin_headers(), R"({"note": "done"})", "application/json");
        REQUIRE(without);
        CHECK(without->status == 400);
        CHECK_THAT(without->body, Catch::Contains("cause"));
        auto unknown = client->Post(path("/close").c_str(), hub.admin_headers(), R"({"cause": "weather"})",
                                    "application/json");
        REQUIRE(unknown);
        CHECK(unknown->status == 400);
        CHECK_THAT(unknown->body, Catch::Contains("weather"));
        const auto unchanged = state_of();
        CHECK(unchanged["state"] == "open");
        CHECK(unchanged["audit"].size() == 1);
    }
    SECTION("an unknown case is a 404; a bad state filter a 400") {
        auto missing = client->Post("/api/v1/cases/nope/close", hub.admin_headers(), R"({"cause": "other"})",
                                    "application/json");
        REQUIRE(missing);
        CHECK(missing->status == 404);
        auto bad = client->Get("/api/v1/cases?state=pending", hub.admin_headers());
        REQUIRE(bad);
        CHECK(bad->status == 400);
        CHECK_THAT(bad->body, Catch::Contains("pending"));
    }
    SECTION("a manager of another region sees no case and cannot change one: 404") {
        const auto manager = session_headers(open_session(hub.store(), "sam", hub::UserRole::Manager, "south"));
        auto listed = client->Get("/api/v1/cases", manager);
        REQUIRE(listed);
        CHECK(nlohmann::json::parse(listed->body)["cases"].empty());
        auto read = client->Get(path("").c_str(), manager);
        REQUIRE(read);
        CHECK(read->status == 404);
        auto closed = client->Post(path("/close").c_str(), manager, R"({"cause": "other"})", "application/json");
        REQUIRE(closed);
        CHECK(closed->status == 404);
        CHECK(state_of()["state"] == "open");
    }
    SECTION("another site's page cannot post with the cookie; without a session it is a 401") {
        auto headers = hub.admin_headers();
        headers.emplace("Origin", "https://evil.example");
        auto forged = client->Post(path("/acknowledge").c_str(), headers, "", "application/json");
        REQUIRE(forged);
        CHECK(forged->status == 403);
        auto anonymous = client->Post(path("/acknowledge").c_str(), "", "application/json");
        REQUIRE(anonymous);
        CHECK(anonymous->status == 401);
        CHECK(state_of()["state"] == "open");
    }
}
