// docs/configuration.md documents exactly the keys load_config knows: a key added to the loader without a
// line on the page fails here, and so does a page that documents a key the loader would refuse.
//
// The page's convention: each key has one table row whose first cell is the key as `table.key`,
// e.g. "| `kiosk.id` | string | ... |". Other rows (the hub's options, environment variables) do not
// have that shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "truthpoint/app/config.hpp"

namespace {

const std::string kPagePath = std::string(TRUTHPOINT_SOURCE_DIR) + "/docs/configuration.md";

// How often each `table.key` appears as the first cell of a table row.
std::map<std::string, int> documented_keys(const std::string& page) {
    static const std::regex key_row(R"(^\|\s*`([a-z_]+\.[a-z_]+)`\s*\|)");
    std::map<std::string, int> keys;
    std::istringstream lines(page);
    std::string line;
    std::smatch match;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, match, key_row)) ++keys[match[1].str()];
    }
    return keys;
}

struct Mismatch {
    std::vector<std::string> undocumented;  // the loader knows them, the page does not
    std::vector<std::string> unknown;       // the page documents them, the loader refuses them
    std::vector<std::string> repeated;      // documented in more than one row
};

Mismatch compare(const std::vector<std::string>& known, const std::map<std::string, int>& documented) {
    Mismatch mismatch;
    const std::set<std::string> known_set(known.begin(), known.end());
    for (const auto& key : known) {
        if (!documented.count(key)) mismatch.undocumented.push_back(key);
    }
    for (const auto& [key, rows] : documented) {
        if (!known_set.count(key)) mismatch.unknown.push_back(key);
        if (rows > 1) mismatch.repeated.push_back(key);
    }
    return mismatch;
}

std::string joined(const std::vector<std::string>& keys) {
    std::string text;
    for (const auto& key : keys) text += (text.empty() ? "" : ", ") + key;
    return text.empty() ? "(none)" : text;
}

}  // namespace

TEST_CASE("docs/configuration.md documents every key the loader knows and no other", "[config][docs]") {
    std::ifstream file(kPagePath);
    REQUIRE(file);
    std::ostringstream page;
    page << file.rdbuf();

    const auto known = truthpoint::app::known_config_keys();
    REQUIRE(known.size() > 10);  // the list is the loader's, not an empty stand-in
    const Mismatch mismatch = compare(known, documented_keys(page.str()));

    INFO("the loader knows these keys, but docs/configuration.md has no row \"| `table.key` | ...\" for them: "
         << joined(mismatch.undocumented));
    CHECK(mismatch.undocumented.empty());
    INFO("docs/configuration.md documents these keys, which the loader refuses as unknown: " << joined(mismatch.unknown));
    CHECK(mismatch.unknown.empty());
    INFO("docs/configuration.md documents these keys in more than one row: " << joined(mismatch.repeated));
    CHECK(mismatch.repeated.empty());
}

TEST_CASE("the page check finds a missing and an unknown and a repeated key", "[config][docs]") {
    const std::string page =
        "| key | type |\n"
        "|---|---|\n"
        "| `kiosk.id` | string |\n"
        "| `kiosk.id` | string |\n"
        "| `kiosk.colour` | string |\n"
        "Text that names `hub.url` is not a row.\n";
    const Mismatch mismatch = compare({"hub.url", "kiosk.id"}, documented_keys(page));
    CHECK(mismatch.undocumented == std::vector<std::string>{"hub.url"});
    CHECK(mismatch.unknown == std::vector<std::string>{"kiosk.colour"});
    CHECK(mismatch.repeated == std::vector<std::string>{"kiosk.id"});
}

TEST_CASE("known_config_keys is the list that refuses unknown keys", "[config][docs]") {
    const auto known = truthpoint::app::known_config_keys();
    for (const char* key : {"kiosk.id", "kiosk.receipt_pattern", "hub.url", "hub.pinned_public_key", "staff.pin_hash"}) {
        CHECK(std::find(known.begin(), known.end(), key) != known.end());
    }
    CHECK(std::is_sorted(known.begin(), known.end()));
}
