// kiosk.toml: good files load; every mistake names its key and its file.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/config.hpp"
#include "truthpoint/app/staff_mode.hpp"

using truthpoint::app::hash_staff_pin;
using truthpoint::app::load_config;
using truthpoint::testing::TempDir;

namespace {

std::string write(const TempDir& dir, const std::string& text) {
    const std::string path = dir.file("kiosk.toml");
    std::ofstream(path) << text;
    return path;
}

const char* kGood = R"(
[kiosk]
id = "k-001"
store = "s-042"
db = "kiosk.db"
languages = ["en", "fa", "ar", "el", "tr"]
idle_reset_seconds = 30

[hub]
url = "http://127.0.0.1:8080/"
token = "abc123"
sync_interval_seconds = 10
)";

}  // namespace

TEST_CASE("a good kiosk.toml loads", "[config]") {
    TempDir dir;
    const auto config = load_config(write(dir, kGood));
    REQUIRE(config);
    CHECK(config.value().kiosk_id == "k-001");
    CHECK(config.value().store_id == "s-042");
    CHECK(config.value().db_path == dir.file("kiosk.db"));  // relative to the file
    CHECK(config.value().languages.size() == 5);
    CHECK(config.value().idle_reset_seconds == 30);
    CHECK(config.value().hub_url == "http://127.0.0.1:8080");
    CHECK(config.value().hub_token == "abc123");
}

TEST_CASE("the token may come from a file", "[config]") {
    TempDir dir;
    std::ofstream(dir.file("kiosk.token")) << "tok-from-file\n";
    std::string text = kGood;
    text.replace(text.find("token = \"abc123\""), 16, "token_file = \"kiosk.token\"");
    const auto config = load_config(write(dir, text));
    REQUIRE(config);
    CHECK(config.value().hub_token == "tok-from-file");
}

TEST_CASE("config errors name the key and the file", "[config]") {
    TempDir dir;
    auto error_for = [&](const std::string& from, const std::string& to) {
        std::string text = kGood;
        text.replace(text.find(from), from.size(), to);
        const std::string path = write(dir, text);
        const auto config = load_config(path);
        REQUIRE_FALSE(config);
        CHECK(config.error().message.rfind(path, 0) == 0);
        return config.error().message;
    };
    CHECK_THAT(error_for("id = \"k-001\"\n", ""), Catch::Contains("kiosk.id is missing"));
    CHECK_THAT(error_for("idle_reset_seconds = 30", "idle_reset_seconds = \"soon\""),
               Catch::Contains("kiosk.idle_reset_seconds must be a whole number"));
    CHECK_THAT(error_for("idle_reset_seconds = 30", "idle_reset_seconds = 1"),
               Catch::Contains("kiosk.idle_reset_seconds must be between 5 and 3600"));
    CHECK_THAT(error_for("\"tr\"]", "\"xx\"]"),
               Catch::Contains("kiosk.languages holds 'xx', which is not a language this kiosk speaks"));
    CHECK_THAT(error_for("url = \"http://127.0.0.1:8080/\"", "url = \"ftp://hub\""),
               Catch::Contains("hub.url must start with http:// or https://"));
    CHECK_THAT(error_for("token = \"abc123\"", ""), Catch::Contains("hub.token is missing"));
    CHECK_THAT(error_for("sync_interval_seconds", "sync_intervall_seconds"),
               Catch::Contains("hub.sync_intervall_seconds is not a known key"));
    CHECK_THAT(error_for("[hub]", "[hub\n"), Catch::Contains(":9:"));  // TOML syntax errors carry the line
    CHECK_THAT(error_for("idle_reset_seconds = 30", "idle_reset_seconds = 30\nreceipt_pattern = \"R[0-9\""),
               Catch::Contains("kiosk.receipt_pattern is not a regular expression"));
    CHECK_THAT(error_for("idle_reset_seconds = 30", "idle_reset_seconds = 30\nreceipt_pattern = 12"),
               Catch::Contains("kiosk.receipt_pattern must be a string"));
}

TEST_CASE("a mistyped hub address is named when the configuration loads", "[config]") {
    TempDir dir;
    const auto load_with_url = [&](const std::string& url) {
        std::string text = kGood;
        text.replace(text.find("http://127.0.0.1:8080/"), 22, url);
        return load_config(write(dir, text));
    };
    for (const std::string good : {"https://hub.example.com", "http://10.0.0.5:8080", "https://[::1]:8443/",
                                   "https://hub.example.com/truthpoint"}) {
        INFO(good);
        CHECK(load_with_url(good));
    }
    const std::pair<std::string, std::string> bad[] = {
        {"https//hub.example.com", "must start with http:// or https://"},
        {"https://", "names no host"},
        {"https://:8443", "names no host"},
        {"https://hub.example.com:84433", "a port is a number from 1 to 65535"},
        {"https://hub.example.com:0", "a port is a number from 1 to 65535"},
        {"https://hub.example.com:port", "a port is a number from 1 to 65535"},
        {"https://hub.example.com:", "gives no port"},
        {"https://hub example.com", "holds a space"},
        {"https://user:secret@hub.example.com", "must not hold a user or password"},
        {"https://hub_example!.com", "characters a host name cannot hold"},
        {"https://[::1", "without its closing ']'"},
    };
    for (const auto& [url, problem] : bad) {
        INFO(url);
        const auto config = load_with_url(url);
        REQUIRE_FALSE(config);
        CHECK_THAT(config.error().message, Catch::Contains("hub.url") && Catch::Contains(problem));
    }
}

TEST_CASE("a pin_hash that is not an argon2id hash is named when the configuration loads", "[config]") {
    TempDir dir;
    const auto load_with_pin_hash = [&](const std::string& hash) {
        return load_config(write(dir, std::string(kGood) + "\n[staff]\npin_hash = '" + hash + "'\n"));
    };
    CHECK(load_with_pin_hash(hash_staff_pin("2468")));
    for (const std::string bad : {"2468", "$argon2i$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                                  "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA", "$argon2id$...", "x"}) {
        INFO(bad);
        const auto config = load_with_pin_hash(bad);
        REQUIRE_FALSE(config);
        CHECK_THAT(config.error().message,
                   Catch::Contains("staff.pin_hash is not an argon2id hash") && Catch::Contains("set-pin"));
    }
}

TEST_CASE("receipt codes are told apart from product barcodes by [kiosk] receipt_pattern", "[config]") {
    TempDir dir;
    std::string text = kGood;
    text.replace(text.find("idle_reset_seconds = 30"), 23, "idle_reset_seconds = 30\nreceipt_pattern = 'R?[0-9]{12}'");
    const auto config = load_config(write(dir, text));
    REQUIRE(config);
    CHECK(config.value().receipt_pattern == "R?[0-9]{12}");
    CHECK(load_config(write(dir, kGood)).value().receipt_pattern.empty());  // no receipts by scan by default
}

TEST_CASE("a missing file is a clear error", "[config]") {
    const auto config = load_config("/nonexistent/kiosk.toml");
    REQUIRE_FALSE(config);
    CHECK(config.error().message ==
          "/nonexistent/kiosk.toml: cannot read the kiosk configuration (does the file exist?)");
}

TEST_CASE("the shelf comes from the catalog, old single-product keys say what replaced them", "[config]") {
    TempDir dir;
    std::string text = kGood;
    text.replace(text.find("idle_reset_seconds = 30"), 23,
                 "idle_reset_seconds = 30\nproducts = [\"8710398500103\"]\ncatalog = \"shelf.json\"");
    auto config = load_config(write(dir, text));
    REQUIRE(config);
    CHECK(config.value().shelf_skus == std::vector<std::string>{"8710398500103"});
    CHECK(config.value().catalog_path == dir.file("shelf.json"));

    text = kGood;
    text.replace(text.find("idle_reset_seconds = 30"), 23, "idle_reset_seconds = 30\nsku = \"8710398500103\"");
    config = load_config(write(dir, text));
    REQUIRE_FALSE(config);
    CHECK_THAT(config.error().message, Catch::Contains("kiosk.sku was replaced by kiosk.products"));
}
