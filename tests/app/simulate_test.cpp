// `simulate` writes exactly N valid events, through the flow, into the ledger.
#include <catch2/catch.hpp>

#include "support/temp_dir.hpp"
#include "truthpoint/app/simulate.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;

TEST_CASE("simulate writes exactly N valid events", "[simulate]") {
    TempDir dir;
    app::KioskConfig config;
    config.languages = {"en", "fa"};
    app::Ledger ledger(dir.file("kiosk.db"));
    const std::vector<app::Product> shelf{{"8710398500103", {{"en", "Granola"}}, ""},
                                          {"5000159407236", {{"en", "Chocolate"}}, ""}};
    app::simulate_shoppers(config, shelf, ledger, {.events = 257, .seed = 7});
    CHECK(ledger.status().pending == 257);

    std::map<std::string, int> by_type;
    app::Database db(dir.file("kiosk.db"));
    auto query = db.prepare("SELECT type, count(*) FROM events GROUP BY type");
    while (query.step()) by_type[query.column_text(0)] = static_cast<int>(query.column_int(1));
    CHECK(by_type["session.start"] > 50);
    CHECK(by_type["fmot.reaction"] > 50);
    CHECK(by_type["staff.shelf"] > 0);
    CHECK(by_type["fmot.driver"] > 20);
    CHECK(by_type["fmot.intent"] > 20);
    CHECK(by_type["session.end"] >= by_type["fmot.reaction"]);
}
