// `--db` URLs, the engine choice behind open_store, and the event facts both engines share.
#include <catch2/catch.hpp>

#include "support.hpp"
#include "support/temp_dir.hpp"
#include "truthpoint/hub/store.hpp"

using namespace truthpoint::hub;

TEST_CASE("database URLs name an engine and a location", "[hub][store]") {
    SECTION("sqlite:PATH is a file path") {
        auto url = parse_database_url("sqlite:/var/lib/truthpoint/hub.db");
        REQUIRE(url);
        CHECK(url->kind == DatabaseUrl::Kind::Sqlite);
        CHECK(url->location == "/var/lib/truthpoint/hub.db");
    }
    SECTION("sqlite:relative and sqlite:///absolute") {
        CHECK(parse_database_url("sqlite:hub.db")->location == "hub.db");
        CHECK(parse_database_url("sqlite:///tmp/x.db")->location == "/tmp/x.db");
    }
    SECTION("postgresql URLs are recognised") {
        CHECK(parse_database_url("postgresql://hub@db/truthpoint")->kind == DatabaseUrl::Kind::Postgresql);
        CHECK(parse_database_url("postgres://hub@db/truthpoint")->kind == DatabaseUrl::Kind::Postgresql);
    }
    SECTION("nonsense is refused with the accepted forms in the message") {
        auto url = parse_database_url("mysql://x");
        REQUIRE_FALSE(url);
        CHECK(url.error().code == ErrorCode::InvalidArgument);
        CHECK_THAT(url.error().message, Catch::Contains("sqlite:PATH"));
        CHECK_FALSE(parse_database_url("sqlite:"));
        CHECK_FALSE(parse_database_url("sqlite::memory:"));
    }
}

TEST_CASE("open_store opens SQLite and PostgreSQL", "[hub][store]") {
    truthpoint::testing::TempDir dir;
    SECTION("sqlite") {
        auto store = open_store("sqlite:" + dir.file("hub.db"));
        REQUIRE(store);
        CHECK((*store)->check_health());
    }
    SECTION("postgresql") {
        truthpoint::hub_test::TestDatabase database(truthpoint::hub_test::kPostgresql);
        auto store = open_store(database.url());
        REQUIRE(store);
        CHECK((*store)->check_health());
    }
    SECTION("a directory that does not exist") {
        auto store = open_store("sqlite:" + dir.file("missing/dir/hub.db"));
        REQUIRE_FALSE(store);
        CHECK(store.error().code == ErrorCode::Unavailable);
        CHECK_THAT(store.error().message, Catch::Contains("cannot open database"));
    }
}

TEST_CASE("event_facts reads what the rollups and receipts need out of data", "[hub][store]") {
    using truthpoint::core::EventType;
    using truthpoint::hub_test::make_event;
    SECTION("a reaction") {
        auto event = make_event(EventType::FmotReaction);
        event.data["reaction"] = "love";
        const EventFacts facts = event_facts(event);
        CHECK_FALSE(facts.misuse);
        CHECK(facts.receipt_hash.empty());
    }
    SECTION("a reaction marked misuse is counted apart") {
        auto event = make_event(EventType::FmotReaction);
        event.data["reaction"] = "love";
        event.data["misuse"] = true;
        CHECK(event_facts(event).misuse);
    }
    SECTION("feedback names its receipt hash, lowercased; other types' receipt hashes are not read") {
        auto feedback = make_event(EventType::SmotFeedback);
        feedback.data["receipt_hash"] = "ABCDEF0123";
        CHECK(event_facts(feedback).receipt_hash == "abcdef0123");
        auto reaction = make_event(EventType::FmotReaction);
        reaction.data["receipt_hash"] = "abcdef0123";
        CHECK(event_facts(reaction).receipt_hash.empty());
    }
}
