// Review moderation over HTTP (hub/src/server.cpp), on a real hub on loopback: a review a kiosk shares is
// listed with its flags, approved or rejected with a reason; every refusal (no reason, unknown id, decided
// before, another region, another site, no session) is a clear 4xx with nothing stored; the dashboard's
// forms do the same and go back to the page; an approved review reaches the kiosk's GET /api/v1/config.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "truthpoint/hub/kiosk_config.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

const std::string kHoney = "5206142000310";

core::Event review_event(const std::string& text, int rating) {
    core::Event event = make_event(core::EventType::UmotReview, kHoney);
    event.data = {{"rating", rating}, {"text", text}, {"consent", true}};
    return event;
}

nlohmann::json get_json(RunningHub& hub, const std::string& path, const httplib::Headers& headers, int status = 200) {
    auto answer = hub.client()->Get(path.c_str(), headers);
    REQUIRE(answer);
    INFO(answer->body);
    REQUIRE(answer->status == status);
    return nlohmann::json::parse(answer->body);
}

std::string decisions(RunningHub& hub) { return hub.database().execute("SELECT count(*) FROM review_decisions"); }

}  // namespace

TEST_CASE("reviews over HTTP: listed with flags, approved, rejected with a reason, refusals store nothing",
          "[hub][http][reviews]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    const core::Event kind = review_event("Lovely honey", 5);
    const core::Event rude = review_event("salak satıcı, call 0912 345 6789", 1);
    auto posted = hub.post_batch(batch_body({kind, rude}));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    auto client = hub.client();
    const auto post = [&](const std::string& path, const std::string& body, httplib::Headers headers) {
        auto answer = client->Post(path.c_str(), headers, body, "application/json");
        REQUIRE(answer);
        return *answer;
    };

    const auto pending = get_json(hub, "/api/v1/reviews", hub.admin_headers())["reviews"];
    REQUIRE(pending.size() == 2);
    CHECK(pending[0]["id"] == kind.id);
    CHECK(pending[0]["state"] == "pending");
    CHECK(pending[0]["flags"].empty());
    CHECK(pending[0]["rating"] == 5);
    CHECK(pending[0]["store_id"] == "s-1");
    CHECK(pending[0]["decided_at"].is_null());
    CHECK(pending[1]["flags"] == nlohmann::json{"phone number", "profanity (tr)"});

    SECTION("approve one, reject the other with its reason; each list then holds its own") {
        const auto approved = post("/api/v1/reviews/" + kind.id + "/approve", "", hub.admin_headers());
        CHECK(approved.status == 200);
        CHECK(nlohmann::json::parse(approved.body)["state"] == "approved");
        const auto rejected = post("/api/v1/reviews/" + rude.id + "/reject", R"({"reason": "insult and a phone number"})",
                                   hub.admin_headers());
        CHECK(rejected.status == 200);
        CHECK(get_json(hub, "/api/v1/reviews", hub.admin_headers())["reviews"].empty());
        const auto approved_list = get_json(hub, "/api/v1/reviews?state=approved", hub.admin_headers())["reviews"];
        REQUIRE(approved_list.size() == 1);
        CHECK(approved_list[0]["decided_by"] == "test-admin");
        const auto rejected_list = get_json(hub, "/api/v1/reviews?state=rejected", hub.admin_headers())["reviews"];
        REQUIRE(rejected_list.size() == 1);
        CHECK(rejected_list[0]["reason"] == "insult and a phone number");

        // Decided before: 409, whichever way, and nothing changes.
        const auto again = post("/api/v1/reviews/" + kind.id + "/reject", R"({"reason": "no"})", hub.admin_headers());
        CHECK(again.status == 409);
        CHECK_THAT(again.body, Catch::Contains("approved"));
        CHECK(decisions(hub) == "2");
    }
    SECTION("a reject without a reason, or with a blank one, or a body that is not JSON: 400, nothing stored") {
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", "", hub.admin_headers()).status == 400);
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", R"({"reason": ""})", hub.admin_headers()).status == 400);
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", R"({"reason": "   "})", hub.admin_headers()).status == 400);
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", R"({"reason": 7})", hub.admin_headers()).status == 400);
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", "not json", hub.admin_headers()).status == 400);
        const auto too_long = nlohmann::json{{"reason", std::string(2001, 'x')}}.dump();
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", too_long, hub.admin_headers()).status == 400);
        CHECK(decisions(hub) == "0");
    }
    SECTION("an unknown review is a 404; a bad state or limit a 400") {
        CHECK(post("/api/v1/reviews/no-such-id/approve", "", hub.admin_headers()).status == 404);
        get_json(hub, "/api/v1/reviews?state=open", hub.admin_headers(), 400);
        get_json(hub, "/api/v1/reviews?limit=0", hub.admin_headers(), 400);
        CHECK(decisions(hub) == "0");
    }
    SECTION("a manager of another region sees none and may decide none: 403") {
        const auto manager = session_headers(open_session(hub.store(), "sam", hub::UserRole::Manager, "south"));
        CHECK(get_json(hub, "/api/v1/reviews", manager)["reviews"].empty());
        CHECK(post("/api/v1/reviews/" + kind.id + "/approve", "", manager).status == 403);
        CHECK(post("/api/v1/reviews/" + rude.id + "/reject", R"({"reason": "no"})", manager).status == 403);
        CHECK(decisions(hub) == "0");
    }
    SECTION("another site's page cannot post with the cookie; without a session it is a 401") {
        auto headers = hub.admin_headers();
        headers.emplace("Origin", "https://evil.example");
        CHECK(post("/api/v1/reviews/" + kind.id + "/approve", "", headers).status == 403);
        CHECK(post("/api/v1/reviews/" + kind.id + "/approve", "", {}).status == 401);
        auto anonymous = client->Get("/api/v1/reviews");
        REQUIRE(anonymous);
        CHECK(anonymous->status == 401);
        CHECK(decisions(hub) == "0");
    }
    SECTION("the dashboard's forms: a reject needs its reason; an approve goes back to the page") {
        const std::string token = open_session(hub.store(), "maryam", hub::UserRole::Admin);
        const httplib::Headers cookie{{"Cookie", "truthpoint_session=" + token}};
        auto no_reason = client->Post("/reviews/reject", cookie, "review=" + rude.id + "&reason=+&back=%2F%3Fperiod%3D7d",
                                      "application/x-www-form-urlencoded");
        REQUIRE(no_reason);
        CHECK(no_reason->status == 400);
        CHECK(decisions(hub) == "0");
        auto approved = client->Post("/reviews/approve", cookie, "review=" + kind.id + "&back=%2F%3Fperiod%3D7d",
                                     "application/x-www-form-urlencoded");
        REQUIRE(approved);
        CHECK(approved->status == 303);
        CHECK(approved->get_header_value("Location") == "/?period=7d");
        auto rejected = client->Post("/reviews/reject", cookie, "review=" + rude.id + "&reason=insult&back=%2F",
                                     "application/x-www-form-urlencoded");
        REQUIRE(rejected);
        CHECK(rejected->status == 303);
        CHECK(decisions(hub) == "2");
        auto twice = client->Post("/reviews/approve", cookie, "review=" + kind.id, "application/x-www-form-urlencoded");
        REQUIRE(twice);
        CHECK(twice->status == 409);
    }
}

TEST_CASE("reviews over HTTP: the dashboard shows the queue with flags, and an approved review reaches the "
          "kiosk's next conditional GET of its configuration",
          "[hub][http][reviews][config]") {
    RunningHub hub;
    auto prepared = hub::prepare_config(nlohmann::json{
        {"format", 1},
        {"catalog", {{"products", {{{"sku", kHoney}, {"names", {{"en", "Wildflower Honey"}, {"fa", "عسل"}}}}}}}},
        {"questions", {{"drivers", {"price"}}, {"why_not", {"price"}}}},
    }.dump());
    REQUIRE(prepared);
    REQUIRE(hub.store().put_config(hub::kChainWideScope, prepared->canonical, prepared->etag, core::now_utc()));
    const core::Event review = review_event("Best honey I had", 5);
    const core::Event rude = review_event("aptal ambalaj", 2);
    auto posted = hub.post_batch(batch_body({review, rude}));
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
    auto client = hub.client();
    const httplib::Headers kiosk{{"Authorization", "Bearer " + hub.kiosk().token}};

    auto page = client->Get("/", hub.admin_headers());
    REQUIRE(page);
    REQUIRE(page->status == 200);
    CHECK_THAT(page->body, Catch::Contains("Reviews waiting for moderation"));
    CHECK_THAT(page->body, Catch::Contains("id=\"review-" + review.id + "\""));
    CHECK_THAT(page->body, Catch::Contains("Wildflower Honey"));
    CHECK_THAT(page->body, Catch::Contains("<li class=\"flag\">profanity (tr)</li>"));
    CHECK_THAT(page->body, Catch::Contains("name=\"reason\" required"));

    auto before = client->Get("/api/v1/config", kiosk);
    REQUIRE(before);
    REQUIRE(before->status == 200);
    const std::string old_etag = before->get_header_value("ETag");
    CHECK(nlohmann::json::parse(before->body)["reviews"].empty());

    const auto approve = client->Post(("/api/v1/reviews/" + review.id + "/approve").c_str(), hub.admin_headers(), "",
                                      "application/json");
    REQUIRE(approve);
    REQUIRE(approve->status == 200);
    httplib::Headers conditional = kiosk;
    conditional.emplace("If-None-Match", old_etag);
    auto after = client->Get("/api/v1/config", conditional);
    REQUIRE(after);
    REQUIRE(after->status == 200);
    CHECK(after->get_header_value("ETag") != old_etag);
    const auto reviews = nlohmann::json::parse(after->body)["reviews"];
    REQUIRE(reviews.size() == 1);
    CHECK(reviews[0]["text"] == "Best honey I had");
    CHECK(reviews[0]["sku"] == kHoney);
    CHECK(reviews[0]["rating"] == 5);

    // Nothing new since: 304.
    httplib::Headers unchanged = kiosk;
    unchanged.emplace("If-None-Match", after->get_header_value("ETag"));
    auto again = client->Get("/api/v1/config", unchanged);
    REQUIRE(again);
    CHECK(again->status == 304);
}
