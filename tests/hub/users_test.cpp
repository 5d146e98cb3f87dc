// Dashboard and BI logins: `truthpoint-hub user add/list/remove`, sign-in by form and by API, sessions,
// what a manager (one region) and an admin (every region) see, and GET /api/v1/events paged by cursor.
#include <catch2/catch.hpp>

#include <atomic>
#include <barrier>
#include <set>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/hub/users.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

constexpr const char* kPassword = "correct horse battery";

// A user with a real argon2id hash, as `user add` stores it.
void add_user(hub::Store& store, const std::string& name, hub::UserRole role, const std::string& region = "") {
    REQUIRE(store.add_user(hub::UserRecord{name, role, region, hub::hash_password(kPassword).value(), core::now_utc()}));
}

std::string form(const std::string& name, const std::string& password) {
    return "name=" + name + "&password=" + password;  // test values need no percent-encoding but spaces
}

std::string session_cookie_of(const httplib::Response& response) {
    const std::string cookie = response.get_header_value("Set-Cookie");
    const auto start = cookie.find("truthpoint_session=");
    if (start == std::string::npos) return {};
    const auto value = start + std::string("truthpoint_session=").size();
    return cookie.substr(value, cookie.find(';', value) - value);
}

// Posts `count` reactions as `kiosk`; REQUIREs a 200.
void post_events(RunningHub& hub, const EnrolledKiosk& kiosk, int count) {
    std::vector<core::Event> events;
    for (int i = 0; i < count; ++i) events.push_back(make_event(core::EventType::FmotReaction));
    auto posted = hub.post_batch(batch_body(events), {{"Authorization", "Bearer " + kiosk.token}});
    REQUIRE(posted);
    REQUIRE(posted->status == 200);
}

// Every event a client gets by following "next" from the start, `limit` at a time.
std::vector<nlohmann::json> read_all_pages(httplib::Client& client, const httplib::Headers& headers, int limit,
                                           int* pages = nullptr) {
    std::vector<nlohmann::json> all;
    std::string after = "0";
    for (int page = 1;; ++page) {
        auto answer = client.Get(("/api/v1/events?after=" + after + "&limit=" + std::to_string(limit)).c_str(), headers);
        REQUIRE(answer);
        REQUIRE(answer->status == 200);
        const auto json = nlohmann::json::parse(answer->body);
        for (const auto& event : json["events"]) all.push_back(event);
        if (json["events"].empty()) {
            CHECK(json["next"] == after);  // an empty page keeps the cursor
            if (pages) *pages = page;
            return all;
        }
        CHECK(json["next"] == json["events"].back()["cursor"]);
        after = json["next"].get<std::string>();
    }
}

}  // namespace

TEST_CASE("password rules and argon2id hashes", "[hub][users]") {
    CHECK(hub::check_password_rules("short") != std::nullopt);
    CHECK(hub::check_password_rules("ααααααααα") != std::nullopt);  // 9 letters, 18 bytes: counted in letters
    CHECK(hub::check_password_rules("αααααααααα") == std::nullopt);
    CHECK(hub::check_password_rules(std::string(2000, 'x')) != std::nullopt);
    CHECK(hub::check_password_rules("line\nbreak inside") != std::nullopt);
    CHECK(hub::check_user_name("anna.berg@north") == std::nullopt);
    CHECK(hub::check_user_name("") != std::nullopt);
    CHECK(hub::check_user_name("anna berg") != std::nullopt);
    const std::string hash = hub::hash_password(kPassword).value();
    CHECK_THAT(hash, Catch::StartsWith("$argon2id$"));
    CHECK(hub::verify_password(hash, kPassword));
    CHECK_FALSE(hub::verify_password(hash, "correct horse battery!"));
}

TEST_CASE("users and sessions are kept by both engines", "[hub][users][store]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    const auto now = core::now_utc();
    REQUIRE(store->add_user({"zoe", hub::UserRole::Admin, "", "$argon2id$h1", now}));
    REQUIRE(store->add_user({"anna", hub::UserRole::Manager, "north", "$argon2id$h2", now}));

    auto again = store->add_user({"anna", hub::UserRole::Admin, "", "$argon2id$h3", now});
    REQUIRE_FALSE(again);
    CHECK(again.error().code == hub::ErrorCode::AlreadyExists);

    auto users = store->list_users().value();
    REQUIRE(users.size() == 2);
    CHECK(users[0].name == "anna");
    CHECK(users[0].role == hub::UserRole::Manager);
    CHECK(users[0].region == "north");
    CHECK(users[0].password_hash == "$argon2id$h2");
    CHECK(users[1].name == "zoe");
    CHECK(users[1].role == hub::UserRole::Admin);

    REQUIRE(store->add_session({hub::hash_token("live"), "anna", now, now + std::chrono::hours(1)}));
    REQUIRE(store->add_session({hub::hash_token("stale"), "anna", now - std::chrono::hours(2), now - std::chrono::hours(1)}));
    CHECK(store->find_session_user(hub::hash_token("live"), now).value()->name == "anna");
    CHECK_FALSE(store->find_session_user(hub::hash_token("stale"), now).value().has_value());
    CHECK_FALSE(store->find_session_user(hub::hash_token("live"), now + std::chrono::hours(2)).value().has_value());
    CHECK_FALSE(store->find_session_user(hub::hash_token("never"), now).value().has_value());

    REQUIRE(store->remove_session(hub::hash_token("live")));
    CHECK_FALSE(store->find_session_user(hub::hash_token("live"), now).value().has_value());

    REQUIRE(store->add_session({hub::hash_token("before"), "anna", now, now + std::chrono::hours(1)}));
    REQUIRE(store->set_password("anna", "$argon2id$h4"));
    CHECK(store->find_user("anna").value()->password_hash == "$argon2id$h4");
    CHECK_FALSE(store->find_session_user(hub::hash_token("before"), now).value().has_value());  // ended by the change
    CHECK(store->find_user("zoe").value()->password_hash == "$argon2id$h1");                   // nobody else's
    auto nobody = store->set_password("nobody", "$argon2id$h5");
    REQUIRE_FALSE(nobody);
    CHECK(nobody.error().code == hub::ErrorCode::NotFound);

    REQUIRE(store->add_session({hub::hash_token("again"), "anna", now, now + std::chrono::hours(1)}));
    REQUIRE(store->remove_user("anna"));
    CHECK_FALSE(store->find_session_user(hub::hash_token("again"), now).value().has_value());  // ended with the user
    CHECK_FALSE(store->find_user("anna").value().has_value());
    auto missing = store->remove_user("anna");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == hub::ErrorCode::NotFound);
}

TEST_CASE("the dashboard asks for a sign-in and shows a manager only their region", "[hub][users][http]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);  // kiosk k-1 in store s-1, no region
    const auto north = enrol(hub.store(), "k-north", "s-north", "north");
    const auto south = enrol(hub.store(), "k-south", "s-south", "south");
    post_events(hub, north, 3);
    post_events(hub, south, 5);
    post_events(hub, EnrolledKiosk{hub.kiosk().kiosk_id, hub.kiosk().store_id, hub.kiosk().token}, 1);
    add_user(hub.store(), "anna", hub::UserRole::Manager, "north");
    add_user(hub.store(), "zoe", hub::UserRole::Admin);
    auto client = hub.client();

    SECTION("without a session, / leads to the sign-in form and the API answers 401") {
        auto page = client->Get("/");
        REQUIRE(page);
        CHECK(page->status == 303);
        CHECK(page->get_header_value("Location") == "/login");
        auto login = client->Get("/login");
        REQUIRE(login);
        CHECK(login->status == 200);
        CHECK_THAT(login->body, Catch::Contains("<form class=\"login\" method=\"post\" action=\"/login\">"));
        CHECK_THAT(login->get_header_value("Content-Security-Policy"), Catch::Contains("default-src 'none'"));
        for (const char* path : {"/api/v1/stats", "/api/v1/events"}) {
            auto api = client->Get(path);
            REQUIRE(api);
            CHECK(api->status == 401);
            CHECK_THAT(api->body, Catch::Contains("POST /api/v1/sessions"));
        }
        // A kiosk's token is not a manager's.
        auto as_kiosk = client->Get("/api/v1/events", {{"Authorization", "Bearer " + north.token}});
        REQUIRE(as_kiosk);
        CHECK(as_kiosk->status == 401);
    }
    SECTION("a wrong password or an unknown name is refused alike, with no cookie") {
        for (const auto& [name, password] : {std::pair{"anna", "wrong password!"}, {"nobody", kPassword}}) {
            auto answer = client->Post("/login", form(name, password), "application/x-www-form-urlencoded");
            REQUIRE(answer);
            CHECK(answer->status == 401);
            CHECK_THAT(answer->body, Catch::Contains("wrong name or password"));
            CHECK_FALSE(answer->has_header("Set-Cookie"));
        }
    }
    SECTION("a manager signs in, sees their region's stores only, and signs out") {
        auto signed_in = client->Post("/login", form("anna", "correct+horse+battery"), "application/x-www-form-urlencoded");
        REQUIRE(signed_in);
        REQUIRE(signed_in->status == 303);
        CHECK(signed_in->get_header_value("Location") == "/");
        const std::string cookie_header = signed_in->get_header_value("Set-Cookie");
        CHECK_THAT(cookie_header, Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict"));
        const std::string token = session_cookie_of(*signed_in);
        REQUIRE(token.size() == 64);
        const httplib::Headers cookie{{"Cookie", "truthpoint_session=" + token}};

        auto page = client->Get("/", cookie);
        REQUIRE(page);
        REQUIRE(page->status == 200);
        CHECK_THAT(page->body, Catch::Contains("Signed in as anna (manager of region north)"));
        CHECK_THAT(page->body, Catch::Contains("<option value=\"s-north\""));  // the stores to choose from
        CHECK_THAT(page->body, !Catch::Contains("s-south") && !Catch::Contains("\"s-1\""));
        CHECK_THAT(page->body, Catch::Contains("<td>k-north"));  // the region's kiosks' health

        auto stats = client->Get("/api/v1/stats", cookie);
        REQUIRE(stats);
        REQUIRE(stats->status == 200);
        const auto json = nlohmann::json::parse(stats->body);
        CHECK(json["total_events"] == 3);
        REQUIRE(json["by_store"].size() == 1);
        CHECK(json["by_store"][0]["store_id"] == "s-north");

        auto out = client->Post("/logout", cookie, "", "application/x-www-form-urlencoded");
        REQUIRE(out);
        CHECK(out->status == 303);
        CHECK_THAT(out->get_header_value("Set-Cookie"), Catch::Contains("Max-Age=0"));
        auto after = client->Get("/", cookie);
        REQUIRE(after);
        CHECK(after->status == 303);  // the old cookie is worth nothing now
    }
    SECTION("an admin sees every store") {
        auto signed_in = client->Post("/login", form("zoe", "correct+horse+battery"), "application/x-www-form-urlencoded");
        REQUIRE(signed_in);
        REQUIRE(signed_in->status == 303);
        auto page = client->Get("/", {{"Cookie", "truthpoint_session=" + session_cookie_of(*signed_in)}});
        REQUIRE(page);
        REQUIRE(page->status == 200);
        CHECK_THAT(page->body, Catch::Contains("Signed in as zoe (admin, every region)"));
        for (const char* store : {"s-1", "s-north", "s-south"}) {
            CHECK_THAT(page->body, Catch::Contains(std::string("<option value=\"") + store + "\""));
        }
    }
    SECTION("a BI client gets a token from POST /api/v1/sessions and pages through its region's events") {
        auto bad = client->Post("/api/v1/sessions", R"({"name": "anna"})", "application/json");
        REQUIRE(bad);
        CHECK(bad->status == 400);
        auto wrong = client->Post("/api/v1/sessions", R"({"name": "anna", "password": "nope nope nope"})",
                                  "application/json");
        REQUIRE(wrong);
        CHECK(wrong->status == 401);
        auto form_typed = client->Post("/api/v1/sessions", "name=anna", "application/x-www-form-urlencoded");
        REQUIRE(form_typed);
        CHECK(form_typed->status == 415);

        auto session = client->Post("/api/v1/sessions", nlohmann::json{{"name", "anna"}, {"password", kPassword}}.dump(),
                                    "application/json");
        REQUIRE(session);
        REQUIRE(session->status == 201);
        const auto answer = nlohmann::json::parse(session->body);
        CHECK(answer["role"] == "manager");
        CHECK(answer["region"] == "north");
        CHECK(answer["token"].get<std::string>().size() == 64);
        const httplib::Headers bearer{{"Authorization", "Bearer " + answer["token"].get<std::string>()}};

        const auto events = read_all_pages(*client, bearer, 2);
        REQUIRE(events.size() == 3);
        for (const auto& event : events) {
            CHECK(event["kiosk_id"] == "k-north");
            CHECK(event["store_id"] == "s-north");
            CHECK(event["type"] == "fmot.reaction");
            CHECK(event["data"].is_object());
            CHECK(event["verified_purchase"] == false);
        }
        for (const char* query : {"?after=-1", "?after=abc", "?limit=0", "?limit=10001", "?limit=1x"}) {
            auto refused = client->Get((std::string("/api/v1/events") + query).c_str(), bearer);
            REQUIRE(refused);
            CHECK(refused->status == 400);
        }

        auto ended = client->Delete("/api/v1/sessions", bearer);
        REQUIRE(ended);
        CHECK(ended->status == 204);
        auto after = client->Get("/api/v1/events", bearer);
        REQUIRE(after);
        CHECK(after->status == 401);
    }
    SECTION("removing a user ends their sessions at once") {
        const std::string token = open_session(hub.store(), "temp", hub::UserRole::Admin);
        CHECK(client->Get("/", session_headers(token))->status == 200);
        REQUIRE(hub.store().remove_user("temp"));
        CHECK(client->Get("/", session_headers(token))->status == 303);
    }
}

TEST_CASE("repeated failed sign-ins pause the name with 429 and Retry-After", "[hub][users][http]") {
    RunningHub hub;
    add_user(hub.store(), "anna", hub::UserRole::Manager, "north");
    auto client = hub.client();
    for (int i = 0; i < 5; ++i) {
        auto wrong = client->Post("/login", form("anna", "wrong password " + std::to_string(i)),
                                  "application/x-www-form-urlencoded");
        REQUIRE(wrong);
        CHECK(wrong->status == 401);
    }
    // Now even the right password waits: guessing costs the guesser, not the hub.
    auto paused = client->Post("/api/v1/sessions", nlohmann::json{{"name", "anna"}, {"password", kPassword}}.dump(),
                               "application/json");
    REQUIRE(paused);
    CHECK(paused->status == 429);
    CHECK(std::stoi(paused->get_header_value("Retry-After")) > 0);
    CHECK_THAT(paused->body, Catch::Contains("too many failed sign-ins"));
}

TEST_CASE("a sign-in or sign-out form sent from another site is refused (login CSRF)", "[hub][users][http]") {
    RunningHub hub;
    add_user(hub.store(), "anna", hub::UserRole::Manager, "north");
    auto client = hub.client();
    const std::string here = "http://127.0.0.1:" + std::to_string(hub.port());
    const auto post_login = [&](const httplib::Headers& headers) {
        auto answer = client->Post("/login", headers, form("anna", "correct+horse+battery"),
                                   "application/x-www-form-urlencoded");
        REQUIRE(answer);
        return *answer;
    };

    SECTION("another site's Origin or Referer: 403, and no session") {
        for (const httplib::Headers& headers :
             {httplib::Headers{{"Origin", "https://evil.example"}}, httplib::Headers{{"Origin", "null"}},
              httplib::Headers{{"Referer", "https://evil.example/page"}},
              httplib::Headers{{"Origin", "http://127.0.0.1:1"}}}) {
            const auto answer = post_login(headers);
            CHECK(answer.status == 403);
            CHECK(session_cookie_of(answer).empty());
            CHECK_THAT(answer.body, Catch::Contains("sent from another site"));
        }
        auto out = client->Post("/logout", {{"Origin", "https://evil.example"}}, "", "application/x-www-form-urlencoded");
        REQUIRE(out);
        CHECK(out->status == 403);
    }
    SECTION("this site's own form, and a client that is no browser, sign in") {
        CHECK(post_login({{"Origin", here}}).status == 303);
        CHECK(post_login({{"Referer", here + "/login"}}).status == 303);
        CHECK(post_login({}).status == 303);
    }
}

TEST_CASE("failed sign-ins are counted in the database: two hubs pause a name together", "[hub][users][store]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store_a = database.open();
    auto store_b = database.open();  // a second hub on the same database

    SECTION("the store counts attempts, pauses, forgets") {
        using std::chrono::seconds;
        const core::Timestamp now = core::now_utc();
        const auto attempt = [](hub::Store& store, const char* name, core::Timestamp at) {
            return store.begin_sign_in_attempt(name, at, 5, seconds(30)).value();
        };
        for (int i = 0; i < 4; ++i) CHECK_FALSE(attempt(*store_a, "anna", now));
        CHECK_FALSE(attempt(*store_b, "anna", now));  // the fifth is still checked, and starts the pause
        const auto paused = attempt(*store_a, "anna", now + seconds(29));
        REQUIRE(paused);
        CHECK(*paused == now + seconds(30));
        CHECK(attempt(*store_b, "anna", now + seconds(29)) == paused);  // refused, and not counted
        CHECK_FALSE(attempt(*store_a, "zoe", now));                      // nobody else
        // The count started again with the pause; forgetting clears it.
        for (int i = 0; i < 4; ++i) CHECK_FALSE(attempt(*store_a, "anna", now + seconds(30)));
        REQUIRE(store_b->forget_sign_in_failures("anna"));
        for (int i = 0; i < 5; ++i) CHECK_FALSE(attempt(*store_a, "anna", now + seconds(30)));
        CHECK(attempt(*store_a, "anna", now + seconds(31)));
        // An hour without an attempt forgets the name too, so sprayed names do not pile up.
        const auto later = now + std::chrono::hours(2);
        for (int i = 0; i < 5; ++i) CHECK_FALSE(attempt(*store_b, "anna", later));
        CHECK(attempt(*store_b, "anna", later));
    }
    SECTION("failures on either hub pause the name on both, for a known name and an unknown one alike") {
        add_user(*store_a, "anna", hub::UserRole::Manager, "north");
        hub::SignIn hub_a(*store_a), hub_b(*store_b);
        for (const std::string name : {"anna", "nobody"}) {
            CAPTURE(name);
            for (int i = 0; i < 5; ++i) {
                auto& hub = i % 2 == 0 ? hub_a : hub_b;
                const auto outcome = hub.sign_in(name, "wrong password " + std::to_string(i));
                REQUIRE(std::holds_alternative<hub::SignIn::Refusal>(outcome));
                CHECK(std::get<hub::SignIn::Refusal>(outcome).error.code == hub::ErrorCode::Unauthorized);
            }
            for (auto* hub : {&hub_a, &hub_b}) {
                const auto outcome = hub->sign_in(name, kPassword);
                REQUIRE(std::holds_alternative<hub::SignIn::Refusal>(outcome));
                const auto& refusal = std::get<hub::SignIn::Refusal>(outcome);
                CHECK(refusal.error.code == hub::ErrorCode::Unavailable);
                REQUIRE(refusal.retry_after);
                CHECK(refusal.retry_after->count() > 0);
                CHECK(refusal.retry_after->count() <= 30);
                CHECK_THAT(refusal.error.message, Catch::Contains("too many failed sign-ins"));
            }
        }
    }
    SECTION("a right password before the fifth failure starts the count again") {
        add_user(*store_a, "anna", hub::UserRole::Manager, "north");
        hub::SignIn hub_a(*store_a), hub_b(*store_b);
        for (int i = 0; i < 4; ++i) (void)hub_a.sign_in("anna", "wrong");
        REQUIRE(std::holds_alternative<hub::Session>(hub_b.sign_in("anna", kPassword)));
        for (int i = 0; i < 4; ++i) (void)hub_b.sign_in("anna", "wrong");
        CHECK(std::holds_alternative<hub::Session>(hub_a.sign_in("anna", kPassword)));
    }
}

TEST_CASE("a flood of sign-ins is refused at once beyond the checks running and waiting", "[hub][users]") {
    TestDatabase database(kSqlite);
    auto store = database.open();
    add_user(*store, "anna", hub::UserRole::Admin);
    hub::SignInOptions options;
    options.max_concurrent_checks = 1;
    options.max_waiting_checks = 1;
    hub::SignIn sign_in(*store, options);
    std::atomic<int> signed_in{0}, busy{0};
    std::barrier start(6);
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            auto outcome = sign_in.sign_in("anna", kPassword);
            if (std::holds_alternative<hub::Session>(outcome)) {
                ++signed_in;
            } else if (std::get<hub::SignIn::Refusal>(outcome).retry_after) {
                ++busy;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CAPTURE(signed_in.load(), busy.load());
    CHECK(signed_in + busy == 6);
    CHECK(signed_in >= 1);
    CHECK(busy >= 1);  // six at once into one running and one waiting: the rest are told to come back
}

TEST_CASE("paging GET /api/v1/events while kiosks keep sending misses nothing and repeats nothing",
          "[hub][users][http][events]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    RunningHub hub(engine);
    auto client = hub.client();
    const httplib::Headers admin = hub.admin_headers();

    std::atomic<int> sent{0};
    std::vector<std::thread> kiosks;
    for (int k = 0; k < 3; ++k) {
        const auto kiosk = enrol(hub.store(), "k-load-" + std::to_string(k), "s-load");
        kiosks.emplace_back([&, kiosk] {
            auto own = hub.client();
            for (int batch = 0; batch < 40; ++batch) {
                std::vector<core::Event> events;
                for (int i = 0; i < 25; ++i) events.push_back(make_event(core::EventType::FmotReaction));
                auto posted = own->Post("/api/v1/batches", {{"Authorization", "Bearer " + kiosk.token}},
                                        batch_body(events), "application/json");
                if (posted && posted->status == 200) sent += 25;
            }
        });
    }
    // Page while they send, then once more after they stop: the union must be every event, once.
    std::set<std::string> seen;
    std::int64_t repeats = 0;
    std::string after = "0";
    std::int64_t last_cursor = 0;
    const auto drain = [&] {
        for (;;) {
            auto answer = client->Get(("/api/v1/events?limit=37&after=" + after).c_str(), admin);
            REQUIRE(answer);
            REQUIRE(answer->status == 200);
            const auto json = nlohmann::json::parse(answer->body);
            for (const auto& event : json["events"]) {
                const std::int64_t cursor = std::stoll(event["cursor"].get<std::string>());
                CHECK(cursor > last_cursor);
                last_cursor = cursor;
                if (!seen.insert(event["id"].get<std::string>()).second) ++repeats;
            }
            after = json["next"].get<std::string>();
            if (json["events"].empty()) return;
        }
    };
    while (sent < 1500) drain();
    for (auto& kiosk : kiosks) kiosk.join();
    drain();
    CHECK(sent == 3000);
    CHECK(repeats == 0);
    CHECK(static_cast<int>(seen.size()) == sent);
}

TEST_CASE("truthpoint-hub user add, list, passwd and remove", "[hub][users][cli]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const std::string twice = std::string(kPassword) + "\n" + kPassword + "\n";

    SECTION("refusals name the option and add nobody") {
        auto no_region = run_hub_cli({"user", "add", "--name", "anna", "--role", "manager"}, db, twice);
        CHECK(no_region.exit_code == 2);
        CHECK_THAT(no_region.err, Catch::Contains("--region"));
        auto admin_region = run_hub_cli({"user", "add", "--name", "zoe", "--role", "admin", "--region", "x"}, db, twice);
        CHECK(admin_region.exit_code == 2);
        CHECK_THAT(admin_region.err, Catch::Contains("--region"));
        auto bad_role = run_hub_cli({"user", "add", "--name", "anna", "--role", "owner", "--region", "n"}, db, twice);
        CHECK(bad_role.exit_code == 2);
        CHECK_THAT(bad_role.err, Catch::Contains("--role"));
        auto bad_name = run_hub_cli({"user", "add", "--name", "anna berg", "--role", "admin"}, db, twice);
        CHECK(bad_name.exit_code == 2);
        CHECK_THAT(bad_name.err, Catch::Contains("--name"));
        auto short_password = run_hub_cli({"user", "add", "--name", "anna", "--role", "admin"}, db, "short\nshort\n");
        CHECK(short_password.exit_code == 2);
        CHECK_THAT(short_password.err, Catch::Contains("at least 10 characters"));
        auto differ = run_hub_cli({"user", "add", "--name", "anna", "--role", "admin"}, db,
                                  std::string(kPassword) + "\nsomething else entirely\n");
        CHECK(differ.exit_code == 2);
        CHECK_THAT(differ.err, Catch::Contains("differ"));
        auto list = run_hub_cli({"user", "list"}, db);
        CHECK(list.exit_code == 0);
        CHECK(split_lines(list.out).size() == 1);  // the header only
    }
    SECTION("an added manager can sign in; list shows them; remove ends them") {
        auto added = run_hub_cli({"user", "add", "--name", "anna", "--role", "manager", "--region", "north"}, db, twice);
        INFO(added.err);
        REQUIRE(added.exit_code == 0);
        CHECK_THAT(added.out, Catch::Contains("manager 'anna' for region 'north'"));
        CHECK_THAT(added.err, Catch::Contains("no kiosk is enrolled in region 'north'"));
        CHECK_THAT(added.out + added.err, !Catch::Contains(kPassword));

        auto again = run_hub_cli({"user", "add", "--name", "anna", "--role", "admin"}, db, twice);
        CHECK(again.exit_code == 2);
        CHECK_THAT(again.err, Catch::Contains("exists already"));

        auto list = run_hub_cli({"user", "list"}, db);
        REQUIRE(list.exit_code == 0);
        const auto lines = split_lines(list.out);
        REQUIRE(lines.size() == 2);
        CHECK_THAT(lines[0], Catch::StartsWith("NAME"));
        CHECK_THAT(lines[1], Catch::StartsWith("anna") && Catch::Contains("manager") && Catch::Contains("north"));
        REQUIRE(run_hub_cli({"user", "add", "--name", "zoe", "--role", "admin"}, db, twice).exit_code == 0);
        auto json = run_hub_cli({"user", "list", "--json"}, db);
        REQUIRE(json.exit_code == 0);
        const auto users = nlohmann::json::parse(json.out);
        REQUIRE(users.size() == 2);
        CHECK(users[0]["name"] == "anna");
        CHECK(users[0]["role"] == "manager");
        CHECK(users[0]["region"] == "north");
        CHECK(core::parse_rfc3339(users[0]["created_at"].get<std::string>()));
        CHECK(users[1]["name"] == "zoe");
        CHECK(users[1]["role"] == "admin");
        CHECK(users[1]["region"].is_null());
        CHECK_THAT(json.out, !Catch::Contains("argon2"));

        {
            auto store = hub::open_store(db).value();
            const auto user = store->find_user("anna").value();
            REQUIRE(user.has_value());
            CHECK_THAT(user->password_hash, Catch::StartsWith("$argon2id$"));
            CHECK(hub::verify_password(user->password_hash, kPassword));
            hub::SignIn sign_in(*store);
            CHECK(std::holds_alternative<hub::Session>(sign_in.sign_in("anna", kPassword)));
        }

        // A new password: the old one no longer signs in, nor does a session made with it.
        constexpr const char* kNewPassword = "a different one, longer";
        std::string old_session;
        {
            auto store = hub::open_store(db).value();
            old_session = hub::generate_token().value();
            const auto now = core::now_utc();
            REQUIRE(store->add_session({hub::hash_token(old_session), "anna", now, now + std::chrono::hours(1)}));
        }
        auto short_change = run_hub_cli({"user", "passwd", "--name", "anna"}, db, "short\nshort\n");
        CHECK(short_change.exit_code == 2);
        CHECK_THAT(short_change.err, Catch::Contains("at least 10 characters") && Catch::Contains("not changed"));
        auto differ = run_hub_cli({"user", "passwd", "--name", "anna"}, db,
                                  std::string(kNewPassword) + "\nsomething else entirely\n");
        CHECK(differ.exit_code == 2);
        CHECK_THAT(differ.err, Catch::Contains("differ"));
        auto no_one = run_hub_cli({"user", "passwd", "--name", "nobody"}, db, twice);
        CHECK(no_one.exit_code == 2);
        CHECK_THAT(no_one.err, Catch::Contains("--name") && Catch::Contains("no user named 'nobody'"));
        auto changed = run_hub_cli({"user", "passwd", "--name", "anna"}, db,
                                   std::string(kNewPassword) + "\n" + kNewPassword + "\n");
        INFO(changed.err);
        REQUIRE(changed.exit_code == 0);
        CHECK_THAT(changed.out, Catch::Contains("changed the password of 'anna'"));
        CHECK_THAT(changed.out + changed.err, !Catch::Contains(kNewPassword));
        {
            auto store = hub::open_store(db).value();
            hub::SignIn sign_in(*store);
            CHECK_FALSE(std::holds_alternative<hub::Session>(sign_in.sign_in("anna", kPassword)));
            CHECK(std::holds_alternative<hub::Session>(sign_in.sign_in("anna", kNewPassword)));
            CHECK_FALSE(store->find_session_user(hub::hash_token(old_session), core::now_utc()).value().has_value());
            CHECK(store->find_user("anna").value()->role == hub::UserRole::Manager);  // role and region kept
            CHECK(store->find_user("anna").value()->region == "north");
        }

        auto removed = run_hub_cli({"user", "remove", "--name", "anna"}, db);
        CHECK(removed.exit_code == 0);
        auto unknown = run_hub_cli({"user", "remove", "--name", "anna"}, db);
        CHECK(unknown.exit_code == 2);
        CHECK_THAT(unknown.err, Catch::Contains("no user named 'anna'"));
    }
}
