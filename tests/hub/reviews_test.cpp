// Review moderation's storage (hub/src/reviews.cpp) on a SQLite file and on PostgreSQL: the queue, decisions
// with their reasons, the first decision winning between two stores on one database, and the approved
// reviews that served_config (hub/src/kiosk_config.cpp) adds to a kiosk's document.
#include <catch2/catch.hpp>

#include <future>

#include "support.hpp"
#include "truthpoint/core/config_document.hpp"
#include "truthpoint/hub/kiosk_config.hpp"
#include "truthpoint/hub/reviews.hpp"

using namespace truthpoint;
using namespace truthpoint::hub_test;

namespace {

const std::string kHoney = "5206142000310";
const std::string kJam = "5905471003701";

core::Event review_event(const std::string& text, int rating = 4, const std::string& sku = kHoney,
                         const std::string& locale = "en") {
    core::Event event = make_event(core::EventType::UmotReview, sku);
    event.locale = locale;
    event.data = {{"rating", rating}, {"text", text}, {"consent", true}};
    REQUIRE_FALSE(core::validate_event(event).has_value());
    return event;
}

// Stored as kiosk k-1 of store s-1 in region north would send it.
void store_reviews(hub::Store& store, const std::vector<core::Event>& events) {
    std::vector<hub::IncomingEvent> incoming_events;
    for (const core::Event& event : events) incoming_events.push_back(incoming(event));
    auto stored = store.store_events({"k-1", "s-1", "north"}, incoming_events, core::now_utc());
    REQUIRE(stored);
    for (const hub::EventOutcome outcome : *stored) REQUIRE(outcome == hub::EventOutcome::Stored);
}

std::vector<std::string> ids_of(const std::vector<hub::ReviewRecord>& reviews) {
    std::vector<std::string> ids;
    for (const hub::ReviewRecord& review : reviews) ids.push_back(review.id);
    return ids;
}

std::vector<hub::ReviewRecord> listed(hub::Store& store, hub::ReviewState state,
                                      std::optional<std::string> region = std::nullopt) {
    hub::ReviewFilter filter;
    filter.state = state;
    filter.region = std::move(region);
    auto reviews = store.reviews().list(filter);
    REQUIRE(reviews);
    return *reviews;
}

nlohmann::json catalog_document() {
    return {
        {"format", 1},
        {"catalog",
         {{"products",
           {{{"sku", kHoney}, {"names", {{"en", "Wildflower Honey"}, {"fa", "عسل"}}}},
            {{"sku", kJam}, {"names", {{"en", "Strawberry Jam"}}}}}}}},
        {"questions", {{"drivers", {"price", "packaging"}}, {"why_not", {"price"}}}},
        {"reviews", {{{"sku", kHoney}, {"text", "The operator's own"}, {"rating", 5}, {"locale", "en"}}}},
    };
}

void put_catalog(hub::Store& store) {
    auto prepared = hub::prepare_config(catalog_document().dump());
    REQUIRE(prepared);
    REQUIRE(store.put_config(hub::kChainWideScope, prepared->canonical, prepared->etag, core::now_utc()));
}

hub::ConfigRecord served(hub::Store& store) {
    auto config = hub::served_config(store, "s-1");
    REQUIRE(config);
    REQUIRE(config->has_value());
    return **config;
}

std::vector<core::ConfigReview> served_reviews(hub::Store& store) {
    auto document = core::decode_config_document(served(store).document);
    REQUIRE(document);
    return document.value().reviews;
}

}  // namespace

TEST_CASE("reviews: the queue holds shared reviews until decided, then each list holds its own",
          "[hub][reviews][store]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    enrol(*store, "k-1", "s-1", "north");
    core::Event first = review_event("Lovely honey", 5);
    first.occurred_at -= std::chrono::minutes(10);
    const core::Event second = review_event("call 0912 345 6789", 2, kJam, "fa");
    const core::Event rating_only = review_event("", 3);
    store_reviews(*store, {first, second, rating_only, make_event(core::EventType::SmotFeedback, kHoney)});

    // Oldest first; other events are not reviews.
    const auto pending = listed(*store, hub::ReviewState::Pending);
    REQUIRE(pending.size() == 3);
    CHECK(pending[0].id == first.id);
    CHECK(pending[0].rating == 5);
    CHECK(pending[0].text == "Lovely honey");
    CHECK(pending[0].sku == kHoney);
    CHECK(pending[0].store_id == "s-1");
    CHECK(pending[0].kiosk_id == "k-1");
    CHECK(pending[0].region == "north");
    CHECK(pending[0].state == hub::ReviewState::Pending);
    CHECK_FALSE(pending[0].decided_at.has_value());
    CHECK(listed(*store, hub::ReviewState::Pending, "south").empty());

    const core::Timestamp now = core::now_utc();
    auto approved = store->reviews().decide(first.id, hub::ReviewState::Approved, "", "maryam", now);
    REQUIRE(approved);
    CHECK(approved->state == hub::ReviewState::Approved);
    CHECK(approved->decided_by == "maryam");
    auto rejected = store->reviews().decide(second.id, hub::ReviewState::Rejected, "a phone number", "maryam", now);
    REQUIRE(rejected);

    CHECK(ids_of(listed(*store, hub::ReviewState::Pending)) == std::vector<std::string>{rating_only.id});
    CHECK(ids_of(listed(*store, hub::ReviewState::Approved)) == std::vector<std::string>{first.id});
    const auto rejected_list = listed(*store, hub::ReviewState::Rejected);
    REQUIRE(rejected_list.size() == 1);
    CHECK(rejected_list[0].reason == "a phone number");
    CHECK(rejected_list[0].decided_by == "maryam");
    REQUIRE(rejected_list[0].decided_at.has_value());
    CHECK(core::format_rfc3339(*rejected_list[0].decided_at) == core::format_rfc3339(now));

    SECTION("a second decision is a Conflict naming the first, and changes nothing") {
        auto again = store->reviews().decide(first.id, hub::ReviewState::Rejected, "changed my mind", "omid", now);
        REQUIRE_FALSE(again);
        CHECK(again.error().code == hub::ErrorCode::Conflict);
        CHECK_THAT(again.error().message, Catch::Contains("approved by maryam"));
        auto found = store->reviews().find(first.id);
        REQUIRE(found);
        REQUIRE(found->has_value());
        CHECK((*found)->state == hub::ReviewState::Approved);
    }
    SECTION("a rejection without a reason, an unknown id, a reason too long: refused, nothing stored") {
        auto blank = store->reviews().decide(rating_only.id, hub::ReviewState::Rejected, "  \n", "omid", now);
        REQUIRE_FALSE(blank);
        CHECK(blank.error().code == hub::ErrorCode::InvalidArgument);
        auto unknown = store->reviews().decide("no-such-review", hub::ReviewState::Approved, "", "omid", now);
        REQUIRE_FALSE(unknown);
        CHECK(unknown.error().code == hub::ErrorCode::NotFound);
        // Another type's event is not a review.
        const core::Event feedback = make_event(core::EventType::SmotFeedback, kHoney);
        store_reviews(*store, {feedback});
        auto not_review = store->reviews().decide(feedback.id, hub::ReviewState::Approved, "", "omid", now);
        REQUIRE_FALSE(not_review);
        CHECK(not_review.error().code == hub::ErrorCode::NotFound);
        auto long_reason =
            store->reviews().decide(rating_only.id, hub::ReviewState::Rejected, std::string(2001, 'x'), "omid", now);
        REQUIRE_FALSE(long_reason);
        CHECK(long_reason.error().code == hub::ErrorCode::InvalidArgument);
        CHECK(ids_of(listed(*store, hub::ReviewState::Pending)) == std::vector<std::string>{rating_only.id});
        CHECK(database.execute("SELECT count(*) FROM review_decisions") == "2");
    }
}

TEST_CASE("reviews: two stores on one database deciding the same review at once, one decision stands",
          "[hub][reviews][store][race]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto first_hub = database.open();
    auto second_hub = database.open();
    enrol(*first_hub, "k-1", "s-1", "north");
    std::vector<core::Event> events;
    for (int i = 0; i < 8; ++i) events.push_back(review_event("review " + std::to_string(i)));
    store_reviews(*first_hub, events);

    for (const core::Event& event : events) {
        const auto decide = [&](hub::Store& store, hub::ReviewState decision, const char* user) {
            return std::async(std::launch::async, [&store, decision, user, id = event.id] {
                return store.reviews().decide(id, decision, "why not", user, core::now_utc());
            });
        };
        auto approving = decide(*first_hub, hub::ReviewState::Approved, "maryam");
        auto rejecting = decide(*second_hub, hub::ReviewState::Rejected, "omid");
        auto approved = approving.get();
        auto rejected = rejecting.get();
        CHECK(approved.ok() != rejected.ok());
        const auto& lost = approved ? rejected : approved;
        REQUIRE_FALSE(lost);
        CHECK(lost.error().code == hub::ErrorCode::Conflict);
        auto found = second_hub->reviews().find(event.id);
        REQUIRE(found);
        REQUIRE(found->has_value());
        CHECK((*found)->state == (approved ? hub::ReviewState::Approved : hub::ReviewState::Rejected));
    }
    CHECK(database.execute("SELECT count(*) FROM review_decisions") == "8");
}

TEST_CASE("reviews: a kiosk's served configuration holds the approved reviews of its products, and its ETag "
          "changes with each approval",
          "[hub][reviews][config]") {
    const std::string engine = GENERATE(as<std::string>{}, kSqlite, kPostgresql);
    CAPTURE(engine);
    TestDatabase database(engine);
    auto store = database.open();
    enrol(*store, "k-1", "s-1", "north");
    put_catalog(*store);
    core::Event older = review_event("Good honey", 4);
    older.occurred_at -= std::chrono::hours(1);
    const core::Event newer = review_event("خیلی خوب بود", 5, kHoney, "fa");
    const core::Event rejected = review_event("rude words", 1);
    const core::Event pending = review_event("still waiting", 3);
    const core::Event rating_only = review_event("", 5);
    const core::Event not_in_catalog = review_event("other product", 5, "4006381333931");
    store_reviews(*store, {older, newer, rejected, pending, rating_only, not_in_catalog});

    const hub::ConfigRecord before = served(*store);
    REQUIRE(served_reviews(*store).size() == 1);  // the operator's own

    const auto decide = [&](const core::Event& event, hub::ReviewState decision) {
        REQUIRE(store->reviews().decide(event.id, decision, "reason", "maryam", core::now_utc()));
    };
    decide(older, hub::ReviewState::Approved);
    const hub::ConfigRecord after_one = served(*store);
    CHECK(after_one.etag != before.etag);
    CHECK(after_one.etag == hub::config_etag(after_one.document));
    decide(newer, hub::ReviewState::Approved);
    decide(rejected, hub::ReviewState::Rejected);
    decide(rating_only, hub::ReviewState::Approved);
    decide(not_in_catalog, hub::ReviewState::Approved);
    CHECK(served(*store).etag != after_one.etag);

    // The operator's review first, then the approved ones with text, newest first; not the rejected, the
    // pending, the one without text or the product the catalog does not list.
    const auto reviews = served_reviews(*store);
    REQUIRE(reviews.size() == 3);
    CHECK(reviews[0].text == "The operator's own");
    CHECK(reviews[1].text == "خیلی خوب بود");
    CHECK(reviews[1].locale == "fa");
    CHECK(reviews[1].rating == 5);
    CHECK(reviews[1].sku == kHoney);
    CHECK(reviews[2].text == "Good honey");
    CHECK(reviews[2].rating == 4);
    // The same document as long as nothing is decided.
    CHECK(served(*store).etag == served(*store).etag);

    SECTION("at most five a product, and a long text cut to what a kiosk takes") {
        std::vector<core::Event> more;
        for (int i = 0; i < 6; ++i) {
            core::Event event = review_event(std::string(1500, 'a') + "é" + std::to_string(i), 5, kJam);
            event.occurred_at -= std::chrono::minutes(i);
            more.push_back(event);
        }
        store_reviews(*store, more);
        for (const core::Event& event : more) decide(event, hub::ReviewState::Approved);
        std::vector<core::ConfigReview> jam;
        for (const core::ConfigReview& review : served_reviews(*store)) {
            if (review.sku == kJam) jam.push_back(review);
        }
        REQUIRE(jam.size() == hub::kServedReviewsPerProduct);
        for (const core::ConfigReview& review : jam) {
            CHECK(review.text.size() <= hub::kMaxServedReviewBytes);
            CHECK(review.text.ends_with("\u2026"));
        }
    }
}

TEST_CASE("reviews: a long text is cut on a character boundary", "[hub][reviews][config]") {
    CHECK(hub::shortened_review_text("short") == "short");
    const std::string persian(600, 'x');
    const std::string cut = hub::shortened_review_text(persian + std::string(500, 'y'));
    CHECK(cut.size() <= hub::kMaxServedReviewBytes);
    // Two-byte letters: the cut never splits one.
    std::string letters;
    for (int i = 0; i < 700; ++i) letters += "ب";
    const std::string shortened = hub::shortened_review_text(letters);
    CHECK(shortened.size() <= hub::kMaxServedReviewBytes);
    CHECK(shortened.ends_with("\u2026"));
    CHECK((shortened.size() - 3) % 2 == 0);
}
