// `truthpoint-hub alert-rule set/list` and `store hours`, run as the real executable on a real database:
// settings merged per scope and read back by the store, a region in its enrolled spelling, and every
// wrong value refused with exit 2 naming it, nothing stored.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "truthpoint/hub/alerts.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

TEST_CASE("alert-rule set and list keep each scope's settings, and bad values exit 2 naming them", "[hub][cli][alerts]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    REQUIRE(run_hub_cli({"kiosk", "add", "--kiosk", "k-1", "--store", "s-1", "--region", "North"}, db).exit_code == 0);

    auto chain = run_hub_cli({"alert-rule", "set", "--rule", "unhappy_share", "--chain", "--threshold", "60"}, db);
    CHECK(chain.exit_code == 0);
    CHECK_THAT(chain.out, Catch::Contains("unhappy_share") && Catch::Contains("chain"));
    auto region = run_hub_cli({"alert-rule", "set", "--rule", "unhappy_share", "--region", "north", "--off"}, db);
    CHECK(region.exit_code == 0);
    CHECK_THAT(region.err, Catch::Contains("'North'"));  // the enrolled spelling is used
    REQUIRE(run_hub_cli({"alert-rule", "set", "--rule", "kiosk_silent", "--store", "s-1", "--window-minutes", "45"}, db)
                .exit_code == 0);

    auto listed = run_hub_cli({"alert-rule", "list", "--json"}, db);
    REQUIRE(listed.exit_code == 0);
    const auto rows = nlohmann::json::parse(listed.out);
    REQUIRE(rows.size() == 7);  // four defaults and three settings
    CHECK(rows[0] == nlohmann::json{{"rule", "unhappy_share"}, {"scope_kind", "default"}, {"scope", nullptr},
                                    {"enabled", true}, {"threshold", 50}, {"min_count", 4}, {"window_minutes", 15}});
    CHECK(rows[1]["scope_kind"] == "chain");
    CHECK(rows[1]["threshold"] == 60);
    CHECK(rows[2]["scope"] == "North");
    CHECK(rows[2]["enabled"] == false);
    auto table = run_hub_cli({"alert-rule", "list"}, db);
    CHECK_THAT(table.out, Catch::Contains("RULE") && Catch::Contains("store s-1") && Catch::Contains("45"));

    struct Refusal {
        std::vector<std::string> arguments;
        const char* named;
    };
    for (const Refusal& refusal : std::vector<Refusal>{
             {{"--rule", "loud_noise", "--chain", "--off"}, "'loud_noise'"},
             {{"--rule", "pain", "--threshold", "1"}, "one scope"},
             {{"--rule", "pain", "--chain", "--store", "s-1", "--off"}, "one scope"},
             {{"--rule", "pain", "--chain"}, "nothing to set"},
             {{"--rule", "pain", "--chain", "--threshold", "9"}, "--threshold: 9"},
             {{"--rule", "pain", "--chain", "--min-count", "2"}, "--min-count"},
             {{"--rule", "pain", "--store", "s 1", "--off"}, "'s 1'"},
             {{"--rule", "pain", "--chain", "--threshold", "two"}, "--threshold"}}) {
        std::vector<std::string> arguments{"alert-rule", "set"};
        arguments.insert(arguments.end(), refusal.arguments.begin(), refusal.arguments.end());
        CAPTURE(arguments);
        auto refused = run_hub_cli(arguments, db);
        CHECK(refused.exit_code == 2);
        CHECK_THAT(refused.err, Catch::Contains(refusal.named));
    }
    CHECK(nlohmann::json::parse(run_hub_cli({"alert-rule", "list", "--json"}, db).out).size() == 7);
}

TEST_CASE("store hours sets and shows a store's opening hours, and bad hours exit 2 naming the part", "[hub][cli][alerts]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    auto set = run_hub_cli({"store", "hours", "s-1", "--set", "mon-fri 09:00-21:00; sat 10:00-18:00"}, db);
    CHECK(set.exit_code == 0);
    auto shown = run_hub_cli({"store", "hours", "s-1"}, db);
    CHECK(shown.exit_code == 0);
    CHECK_THAT(shown.out, Catch::Contains("fri 09:00-21:00; sat 10:00-18:00"));
    auto bad = run_hub_cli({"store", "hours", "s-1", "--set", "mon-fri 09:00-25:00"}, db);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("'25:00'"));
    CHECK_THAT(run_hub_cli({"store", "hours", "s-1"}, db).out, Catch::Contains("sat 10:00-18:00"));
    CHECK(run_hub_cli({"store", "hours", "s-1", "--set", "closed"}, db).exit_code == 0);
    CHECK_THAT(run_hub_cli({"store", "hours", "s-1"}, db).out, Catch::Contains("closed"));
}
