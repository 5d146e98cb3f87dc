// The kiosk configuration at the hub: checks at `config set`, storage with versions, GET /api/v1/config
// with its ETag and 304, store before chain-wide, and the `truthpoint-hub config` commands.
#include <catch2/catch.hpp>

#include <fstream>

#include "support.hpp"
#include "truthpoint/core/config_document.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/tokens.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

// A valid document; `tag` changes a product's English name so that documents differ.
nlohmann::json sample_document(const std::string& tag = "a") {
    return {
        {"format", 1},
        {"catalog",
         {{"products",
           {{{"sku", "5206142000310"}, {"names", {{"en", "Wildflower Honey " + tag}, {"fa", "عسل"}}},
             {"image", "wildflower-honey.png"}},
            {{"sku", "5905471003701"}, {"names", {{"en", "Strawberry Jam"}}}}}}}},
        {"questions", {{"drivers", {"price", "packaging", "promotion"}}, {"why_not", {"price", "other_brand"}}}},
        {"reviews", {{{"sku", "5206142000310"}, {"text", "Lovely honey"}, {"rating", 5}, {"locale", "en"}}}},
        {"offers", nlohmann::json::array()},
    };
}

std::string prepare_error(const nlohmann::json& document) {
    auto prepared = hub::prepare_config(document.dump());
    REQUIRE_FALSE(prepared);
    CHECK(prepared.error().code == hub::ErrorCode::InvalidArgument);
    return prepared.error().message;
}

hub::ConfigPut put(hub::Store& store, std::string_view scope, const nlohmann::json& document) {
    auto prepared = hub::prepare_config(document.dump(2));
    REQUIRE(prepared);
    auto stored = store.put_config(scope, prepared->canonical, prepared->etag, core::now_utc());
    REQUIRE(stored);
    return stored.value();
}

httplib::Result get_config(const RunningHub& hub, const std::string& token, const std::string& if_none_match = "") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (!if_none_match.empty()) headers.emplace("If-None-Match", if_none_match);
    return hub.client()->Get("/api/v1/config", headers);
}

std::string error_of(const httplib::Result& result, int status) {
    REQUIRE(result);
    INFO(result->body);
    REQUIRE(result->status == status);
    const auto body = nlohmann::json::parse(result->body, nullptr, false);
    REQUIRE(body.is_object());
    REQUIRE(body.contains("error"));
    return body["error"].get<std::string>();
}

}  // namespace

TEST_CASE("a configuration document is checked, and refusals name the field", "[hub][config]") {
    SECTION("a valid document becomes canonical text with a stable strong ETag") {
        auto compact = hub::prepare_config(sample_document().dump());
        auto indented = hub::prepare_config(sample_document().dump(4));
        REQUIRE(compact);
        REQUIRE(indented);
        CHECK(compact->canonical == indented->canonical);  // whitespace of the file does not matter
        CHECK(compact->etag == indented->etag);
        CHECK(compact->etag == "\"sha256-" + hub::sha256_hex(compact->canonical) + "\"");
        CHECK(compact->document.products.size() == 2);
        CHECK(compact->document.drivers == std::vector<std::string>{"price", "packaging", "promotion"});
        CHECK(hub::prepare_config(sample_document("b").dump())->etag != compact->etag);
    }
    SECTION("reviews and offers may be left out") {
        auto document = sample_document();
        document.erase("reviews");
        document.erase("offers");
        auto prepared = hub::prepare_config(document.dump());
        REQUIRE(prepared);
        CHECK(prepared->document.reviews.empty());
        CHECK(nlohmann::json::parse(prepared->canonical)["offers"] == nlohmann::json::array());
    }
    SECTION("bad documents") {
        auto document = sample_document();
        CHECK_THAT(hub::prepare_config("{\"format\": 1,").error().message, Catch::StartsWith("not valid JSON"));
        CHECK_THAT(hub::prepare_config("[]").error().message, Catch::Contains("expected an object"));

        document["format"] = 2;
        CHECK_THAT(prepare_error(document), Catch::StartsWith("format: "));

        document = sample_document();
        document["receipt_key"] = std::string(64, 'a');  // the hub adds its own; an operator never sets one
        CHECK_THAT(prepare_error(document), Catch::StartsWith("receipt_key: leave it out"));
        document = sample_document();
        document["earlier_receipt_key"] = std::string(64, 'a');
        CHECK_THAT(prepare_error(document), Catch::StartsWith("earlier_receipt_key: "));
        document = sample_document();
        document["sorry_card"] = {{"rating_at_most", 6}};
        CHECK_THAT(prepare_error(document), Catch::StartsWith("sorry_card.rating_at_most: "));
        document["sorry_card"] = {{"on_pain", "yes"}};
        CHECK_THAT(prepare_error(document), Catch::StartsWith("sorry_card.on_pain: "));

        document = sample_document();
        document["catalog"]["products"][1]["sku"] = "5905471003702";
        CHECK_THAT(prepare_error(document),
                   Catch::StartsWith("catalog.products[1] (sku 5905471003702).sku: ") && Catch::Contains("check digit"));

        document = sample_document();
        document["catalog"]["products"][0]["image"] = "../etc/passwd.png";
        CHECK_THAT(prepare_error(document), Catch::Contains(".image: ") && Catch::Contains("plain file name"));

        document = sample_document();
        document["catalog"]["products"][0]["names"].erase("en");
        CHECK_THAT(prepare_error(document), Catch::Contains(".names: no \"en\" name"));

        document = sample_document();
        document["catalog"]["products"] = nlohmann::json::array();
        CHECK_THAT(prepare_error(document), Catch::StartsWith("catalog.products: "));

        document = sample_document();
        document["questions"]["drivers"][1] = "pricee";
        CHECK_THAT(prepare_error(document), Catch::StartsWith("questions.drivers[1]: \"pricee\" is not a driver") &&
                                                Catch::Contains("online_reviews"));

        document = sample_document();
        document["questions"].erase("why_not");
        CHECK_THAT(prepare_error(document), Catch::StartsWith("questions: missing field \"why_not\""));

        document = sample_document();
        document["reviews"][0]["rating"] = 6;
        CHECK_THAT(prepare_error(document), Catch::StartsWith("reviews[0].rating: "));

        document = sample_document();
        document["offers"] = {{{"sku", "4006381333931"}, {"text", "2 for 1"}, {"locale", "en"}}};
        CHECK_THAT(prepare_error(document), Catch::StartsWith("offers[0].sku: 4006381333931 is not in catalog.products"));

        document = sample_document();
        document["question"] = document["questions"];
        CHECK_THAT(prepare_error(document), Catch::Contains("unknown field \"question\""));
    }
}

TEST_CASE("the store keeps one document per store and a chain-wide one, with versions", "[hub][config]") {
    TempDir dir;
    auto opened = hub::SqliteStore::open(dir.file("hub.db"));
    REQUIRE(opened);
    hub::Store& store = *opened.value();
    CHECK(hub::SqliteStore::latest_schema_version() >= 3);

    CHECK_FALSE(store.get_config("s-1").value().has_value());
    CHECK_FALSE(hub::config_for_store(store, "s-1").value().has_value());

    const auto first = put(store, hub::kChainWideScope, sample_document("a"));
    CHECK(first.changed);
    CHECK(first.record.version == 1);
    CHECK(first.record.scope == "*");

    SECTION("the same document again changes nothing") {
        const auto again = put(store, hub::kChainWideScope, sample_document("a"));
        CHECK_FALSE(again.changed);
        CHECK(again.record.version == 1);
    }
    SECTION("a new document bumps the version") {
        const auto second = put(store, hub::kChainWideScope, sample_document("b"));
        CHECK(second.changed);
        CHECK(second.record.version == 2);
        CHECK(store.get_config(hub::kChainWideScope).value()->etag == second.record.etag);
    }
    SECTION("a store's own document comes before the chain-wide one") {
        const auto own = put(store, "s-1", sample_document("own"));
        CHECK(own.record.version == 1);
        CHECK(hub::config_for_store(store, "s-1").value()->etag == own.record.etag);
        CHECK(hub::config_for_store(store, "s-2").value()->etag == first.record.etag);
    }
    SECTION("the documents survive reopening") {
        opened = hub::SqliteStore::open(dir.file("hub.db"));
        REQUIRE(opened);
        const auto record = opened.value()->get_config(hub::kChainWideScope).value();
        REQUIRE(record);
        CHECK(record->etag == first.record.etag);
        CHECK(record->document == first.record.document);
    }
}

TEST_CASE("GET /api/v1/config serves the kiosk's document with an ETag", "[hub][config]") {
    // No token cache: "a revoked kiosk is refused" below checks at once (the cache's delay is tested in
    // token_cache_test.cpp).
    hub::ServerOptions options;
    options.token_cache_ttl = std::chrono::seconds(0);
    RunningHub hub(options);
    const std::string token = hub.kiosk().token;  // k-1 in s-1

    SECTION("without a token: 401") {
        CHECK_THAT(error_of(get_config(hub, ""), 401), Catch::Contains("Authorization"));
        CHECK_THAT(error_of(get_config(hub, "not-a-token"), 401), Catch::Contains("not known"));
    }
    SECTION("with the chain's receipt key kept, kiosks get it in their document, under an ETag of the whole") {
        put(hub.store(), hub::kChainWideScope, sample_document("a"));
        const auto key = hub::chain_receipt_key(hub.store(), core::now_utc());
        REQUIRE(key);
        auto result = get_config(hub, token);
        REQUIRE(result);
        REQUIRE(result->status == 200);
        CHECK(result->get_header_value("ETag") == hub::config_etag(result->body));
        const auto served = core::decode_config_document(result->body);
        REQUIRE(served);
        CHECK(served.value().receipt_key == key->hex());
        CHECK(served.value().sorry_card.rating_at_most == 2);
        CHECK(get_config(hub, token, result->get_header_value("ETag"))->status == 304);
    }
    SECTION("nothing set: 404 saying what to do") {
        CHECK_THAT(error_of(get_config(hub, token), 404),
                   Catch::Contains("store 's-1'") && Catch::Contains("truthpoint-hub config set --store s-1"));
    }
    SECTION("ETag, 304, and a new document") {
        const auto chain = put(hub.store(), hub::kChainWideScope, sample_document("a"));
        auto result = get_config(hub, token);
        REQUIRE(result);
        REQUIRE(result->status == 200);
        CHECK(result->get_header_value("Content-Type") == "application/json");
        CHECK(result->get_header_value("Cache-Control") == "no-cache");
        const std::string etag = result->get_header_value("ETag");
        CHECK(etag == chain.record.etag);
        CHECK(etag == hub::config_etag(result->body));
        CHECK(result->body == chain.record.document);
        CHECK(core::decode_config_document(result->body));

        auto same = get_config(hub, token, etag);
        REQUIRE(same);
        CHECK(same->status == 304);
        CHECK(same->body.empty());
        CHECK(same->get_header_value("ETag") == etag);

        for (const std::string& header : {"W/" + etag, "\"other\", " + etag, std::string("*")}) {
            INFO(header);
            auto matched = get_config(hub, token, header);
            REQUIRE(matched);
            CHECK(matched->status == 304);
        }
        auto stale = get_config(hub, token, "\"sha256-0000\"");
        REQUIRE(stale);
        CHECK(stale->status == 200);

        const auto changed = put(hub.store(), hub::kChainWideScope, sample_document("b"));
        auto updated = get_config(hub, token, etag);
        REQUIRE(updated);
        CHECK(updated->status == 200);
        CHECK(updated->get_header_value("ETag") == changed.record.etag);
        CHECK(updated->body == changed.record.document);

        SECTION("a store's own document wins for its kiosks only") {
            const auto own = put(hub.store(), "s-1", sample_document("own"));
            const auto other = enrol(hub.store(), "k-2", "s-2");
            auto mine = get_config(hub, token);
            REQUIRE(mine);
            CHECK(mine->get_header_value("ETag") == own.record.etag);
            auto theirs = get_config(hub, other.token);
            REQUIRE(theirs);
            CHECK(theirs->get_header_value("ETag") == changed.record.etag);
        }
        SECTION("a revoked kiosk is refused") {
            REQUIRE(hub.store().revoke_kiosk("k-1", core::now_utc()));
            CHECK_THAT(error_of(get_config(hub, token), 401), Catch::Contains("revoked"));
        }
        SECTION("gzip is served to a client that asks for it") {
            auto client = hub.client();
            client->set_decompress(false);
            auto zipped = client->Get("/api/v1/config", {{"Authorization", "Bearer " + token},
                                                         {"Accept-Encoding", "gzip"}});
            REQUIRE(zipped);
            CHECK(zipped->status == 200);
            CHECK(zipped->get_header_value("Content-Encoding") == "gzip");
        }
    }
}

TEST_CASE("truthpoint-hub config set and show", "[hub][config][cli]") {
    TempDir dir;
    const std::string db = new_sqlite_hub(dir);
    const std::string file = dir.file("config.json");
    std::ofstream(file) << sample_document("cli").dump(2);

    auto set = run_hub_cli({"config", "set", "--store", "s-1", "--file", file}, db);
    INFO(set.err);
    REQUIRE(set.exit_code == 0);
    CHECK_THAT(set.out, Catch::Contains("store s-1: version 1") && Catch::Contains("2 products") &&
                            Catch::Contains("ETag \"sha256-"));

    SECTION("the same file again is unchanged") {
        auto again = run_hub_cli({"config", "set", "--store", "s-1", "--file", file}, db);
        REQUIRE(again.exit_code == 0);
        CHECK_THAT(again.out, Catch::Contains("unchanged: version 1"));
    }
    SECTION("show prints the document, and says whose it is on stderr") {
        auto show = run_hub_cli({"config", "show", "--store", "s-1"}, db);
        REQUIRE(show.exit_code == 0);
        const auto printed = nlohmann::json::parse(show.out);
        CHECK(printed["catalog"]["products"][0]["names"]["en"] == "Wildflower Honey cli");
        CHECK_THAT(show.err, Catch::Contains("store s-1: version 1"));
        // What show prints can be set again as is: the same document.
        std::ofstream(dir.file("shown.json")) << show.out;
        auto reset = run_hub_cli({"config", "set", "--store", "s-1", "--file", dir.file("shown.json")}, db);
        CHECK_THAT(reset.out, Catch::Contains("unchanged"));
    }
    SECTION("a store without its own document shows the chain-wide one, or nothing") {
        auto none = run_hub_cli({"config", "show", "--store", "s-2"}, db);
        CHECK(none.exit_code == 1);
        CHECK_THAT(none.err, Catch::Contains("not set") && Catch::Contains("config set --store s-2"));
        std::ofstream(file) << sample_document("chain").dump();
        REQUIRE(run_hub_cli({"config", "set", "--all", "--file", file}, db).exit_code == 0);
        auto chain = run_hub_cli({"config", "show", "--store", "s-2"}, db);
        REQUIRE(chain.exit_code == 0);
        CHECK_THAT(chain.err, Catch::Contains("no kiosk configuration of its own"));
        CHECK(nlohmann::json::parse(chain.out)["catalog"]["products"][0]["names"]["en"] == "Wildflower Honey chain");
        auto all = run_hub_cli({"config", "show", "--all"}, db);
        REQUIRE(all.exit_code == 0);
        CHECK_THAT(all.err, Catch::Contains("chain-wide"));
    }
    SECTION("a bad document is refused, naming the field, and nothing changes") {
        auto document = sample_document("bad");
        document["questions"]["drivers"] = {"habit", "gut_feeling"};
        std::ofstream(file) << document.dump(2);
        auto bad = run_hub_cli({"config", "set", "--store", "s-1", "--file", file}, db);
        CHECK(bad.exit_code == 2);
        CHECK_THAT(bad.err, Catch::Contains("questions.drivers[1]: \"gut_feeling\" is not a driver") &&
                                Catch::Contains("nothing was stored"));
        auto show = run_hub_cli({"config", "show", "--store", "s-1"}, db);
        CHECK_THAT(show.err, Catch::Contains("version 1"));
    }
    SECTION("usage errors") {
        auto neither = run_hub_cli({"config", "set", "--file", file}, db);
        CHECK(neither.exit_code == 2);
        CHECK_THAT(neither.err, Catch::Contains("--store ID or --all"));
        auto both = run_hub_cli({"config", "show", "--store", "s-1", "--all"}, db);
        CHECK(both.exit_code == 2);
        auto missing = run_hub_cli({"config", "set", "--all", "--file", dir.file("nope.json")}, db);
        CHECK(missing.exit_code == 2);
        CHECK_THAT(missing.err, Catch::Contains("cannot read"));
        auto typo = run_hub_cli({"config", "sett"}, db);
        CHECK(typo.exit_code == 2);
        CHECK_THAT(typo.err, Catch::Contains("unknown command 'sett'"));
    }
}

TEST_CASE("an operator's document must not carry alerts: the hub adds them", "[hub][config][alerts]") {
    nlohmann::json document = sample_document();
    document["alerts"] = nlohmann::json::array();
    CHECK(hub::prepare_config(document.dump()));  // an empty list is no alert
    document["alerts"] = {{{"id", "018f0000-0000-7000-8000-000000000001"},
                           {"rule", "pain"},
                           {"state", "open"},
                           {"summary", "pain reported"},
                           {"opened_at", "2026-03-02T10:00:00.000Z"},
                           {"last_fired_at", "2026-03-02T10:00:00.000Z"},
                           {"times_fired", 1}}};
    CHECK_THAT(prepare_error(document), Catch::StartsWith("alerts: leave it out"));
}

namespace {

core::Event pain_event() {
    core::Event event = make_event(core::EventType::PainReported);
    event.data = {{"moment", "smot"}, {"reason", "pain_topics"}, {"topics", {"checkout"}}};
    return event;
}

void store_batch(hub::Store& store, const hub::KioskIdentity& sender, const core::Event& event) {
    std::vector<hub::BatchToStore> batches(1);
    batches[0].sender = sender;
    batches[0].received_at = core::now_utc();
    batches[0].events.push_back(incoming(event));
    auto results = store.store_batches(batches);
    REQUIRE(results.size() == 1);
    REQUIRE(results[0]);
}

hub::ConfigRecord served(hub::Store& store, const std::string& store_id) {
    auto record = hub::served_config(store, store_id);
    REQUIRE(record);
    REQUIRE(record->has_value());
    CHECK((*record)->etag == hub::config_etag((*record)->document));
    return **record;
}

std::vector<core::ConfigAlert> alerts_in(const hub::ConfigRecord& record) {
    auto document = core::decode_config_document(record.document);
    REQUIRE(document);
    return document.value().alerts;
}

}  // namespace

TEST_CASE("kiosks are served their store's cases that are not closed, and the ETag follows them",
          "[hub][config][alerts]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto opened = database.open();
    hub::Store& store = *opened;
    enrol(store, "k-1", "s-1", "north");
    enrol(store, "k-2", "s-2", "north");
    put(store, hub::kChainWideScope, sample_document());
    const std::string quiet_etag = served(store, "s-1").etag;
    CHECK(alerts_in(served(store, "s-1")).empty());
    CHECK(served(store, "s-1").document == store.get_config(hub::kChainWideScope).value()->document);

    store_batch(store, {"k-1", "s-1", "north"}, pain_event());
    const hub::ConfigRecord with_pain = served(store, "s-1");
    CHECK(with_pain.etag != quiet_etag);  // a kiosk polling with the old ETag gets the new document
    const auto listed = alerts_in(with_pain);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].rule == "pain");
    CHECK(listed[0].state == "open");
    CHECK(listed[0].kiosk_id.empty());  // a store's rule
    CHECK(listed[0].times_fired == 1);
    CHECK_THAT(listed[0].summary, Catch::Contains("checkout"));
    CHECK(alerts_in(served(store, "s-2")).empty());  // another store's kiosks do not see it

    REQUIRE(store.alerts().acknowledge(listed[0].id, "ann", "", core::now_utc()));
    const hub::ConfigRecord acknowledged = served(store, "s-1");
    CHECK(acknowledged.etag != with_pain.etag);
    REQUIRE(alerts_in(acknowledged).size() == 1);
    CHECK(alerts_in(acknowledged)[0].state == "acknowledged");
    CHECK(served(store, "s-1").etag == acknowledged.etag);  // the same cases, the same bytes

    REQUIRE(store.alerts().close(listed[0].id, "ann", "service", "", core::now_utc()));
    const hub::ConfigRecord closed = served(store, "s-1");
    CHECK(alerts_in(closed).empty());
    CHECK(closed.etag == quiet_etag);
}

TEST_CASE("at most 20 alerts are served, the newest first", "[hub][config][alerts]") {
    TestDatabase database(kSqlite);
    auto opened = database.open();
    hub::Store& store = *opened;
    for (int i = 0; i < 22; ++i) enrol(store, "k-" + std::to_string(i), "s-1");
    put(store, hub::kChainWideScope, sample_document());
    auto hours = hub::parse_opening_hours("mon-sun 00:00-24:00");
    REQUIRE(hours);
    REQUIRE(store.alerts().set_store_hours("s-1", *hours));
    const auto silent = store.alerts().check_silent_kiosks(core::now_utc() + std::chrono::hours(2));
    REQUIRE(silent);
    REQUIRE(*silent == 22);
    store_batch(store, {"k-0", "s-1", ""}, pain_event());  // opened now, before the silent kiosks' cases: left out

    const auto listed = alerts_in(served(store, "s-1"));
    REQUIRE(listed.size() == core::kMaxConfigAlerts);
    CHECK(listed[0].rule == "kiosk_silent");  // opened at the check's later time
    CHECK_FALSE(listed[0].kiosk_id.empty());
    for (std::size_t i = 1; i < listed.size(); ++i) CHECK(listed[i - 1].opened_at >= listed[i].opened_at);
    for (const core::ConfigAlert& alert : listed) CHECK(alert.rule == "kiosk_silent");
}
