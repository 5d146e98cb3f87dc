// The FMOT flow without a window: taps and a fake clock in, events and timings out.
#include <catch2/catch.hpp>

#include <vector>

#include "truthpoint/app/fmot_flow.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using app::FmotStep;

namespace {

struct CapturingSink final : app::EventSink {
    std::vector<core::Event> events;
    void record(core::Event event) override { events.push_back(std::move(event)); }
    std::vector<std::string> types() const {
        std::vector<std::string> names;
        for (const auto& e : events) names.emplace_back(core::to_string(e.type));
        return names;
    }
};

const app::Product kGranola{"8710398500103", {{"en", "Granola"}}, ""};
const app::Product kChocolate{"5000159407236", {{"en", "Chocolate"}}, ""};

struct Fixture {
    explicit Fixture(std::vector<app::Product> shelf = {kGranola, kChocolate}) : flow(sink, ids, shelf, "en", {}) {}
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::FmotFlow flow;
    core::Timestamp t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");

    void commit_all(core::Timestamp now) {
        for (const auto& e : sink.events) flow.event_committed(e.id, now);
    }
};

}  // namespace

TEST_CASE("a face tapped on the attract screen is the reaction to the product shown", "[fmot][attract]") {
    Fixture f;
    const app::Product shown = f.flow.attract_product(f.t0 + 7s);
    f.flow.tap_attract_face(shown.sku, core::Reaction::VeryUnhappy, f.t0 + 7s);
    CHECK(f.flow.step() == FmotStep::Drivers);  // not asked for the product again, nor the face
    REQUIRE(f.sink.types() == std::vector<std::string>{"session.start", "fmot.reaction"});
    CHECK(f.sink.events[0].data["entry"] == "face");
    const auto& reaction = f.sink.events[1];
    CHECK(reaction.sku == shown.sku);
    CHECK(reaction.data["reaction"] == "very_unhappy");
    CHECK(reaction.data["entry"] == "attract_face");
    CHECK_FALSE(reaction.data.contains("misuse"));  // no "faster than anyone can look" at the first touch
    for (const auto& e : f.sink.events) CHECK_FALSE(core::validate_event(e));

    SECTION("the rest of the session as usual") {
        f.flow.skip(f.t0 + 8s);
        f.flow.choose_intent(app::Intent::BuyNow, f.t0 + 9s);
        f.commit_all(f.t0 + 9s);
        CHECK(f.flow.step() == FmotStep::ThankYou);
    }
    SECTION("a face tapped after the shelf changed is ignored, and only on the attract screen") {
        Fixture g;
        g.flow.tap_attract_face("0000000000000", core::Reaction::Happy, g.t0);
        CHECK(g.sink.events.empty());
        f.flow.tap_attract_face(kGranola.sku, core::Reaction::Happy, f.t0 + 8s);
        CHECK(f.sink.events.size() == 2);
    }
}

TEST_CASE("a whole FMOT session: product, reaction, drivers, intent, why not", "[fmot]") {
    Fixture f;
    f.flow.choose_language("fa", f.t0);  // choosing a language is the first touch
    CHECK(f.flow.step() == FmotStep::ProductPick);
    CHECK(f.flow.locale() == "fa");
    f.flow.pick_product(kChocolate.sku, f.t0 + 1500ms);
    CHECK(f.flow.step() == FmotStep::Reaction);
    CHECK(f.flow.progress_position() == 1);

    f.flow.tap_reaction(core::Reaction::Unhappy, f.t0 + 4200ms);
    CHECK(f.flow.step() == FmotStep::Drivers);
    f.flow.toggle_driver(app::Driver::Price, f.t0 + 5000ms);
    f.flow.toggle_driver(app::Driver::Packaging, f.t0 + 5500ms);
    f.flow.toggle_driver(app::Driver::Price, f.t0 + 6000ms);  // changed their mind
    f.flow.drivers_done(f.t0 + 6500ms);
    CHECK(f.flow.step() == FmotStep::Intent);
    f.flow.choose_intent(app::Intent::NotBuying, f.t0 + 8000ms);
    CHECK(f.flow.step() == FmotStep::WhyNot);
    f.flow.choose_why_not(app::WhyNot::OtherBrand, f.t0 + 9100ms);
    CHECK(f.flow.step() == FmotStep::Saving);  // thank you waits for the ledger

    CHECK(f.sink.types() ==
          std::vector<std::string>{"session.start", "fmot.reaction", "fmot.driver", "fmot.intent"});
    for (const auto& event : f.sink.events) {
        CHECK(event.locale == "fa");
        CHECK(event.session_id == f.sink.events[0].session_id);
        CHECK_FALSE(core::validate_event(event));
    }
    const auto& reaction = f.sink.events[1];
    CHECK(reaction.sku == kChocolate.sku);
    CHECK(reaction.data["reaction"] == "unhappy");
    CHECK(reaction.data["ms_to_react"] == 4200);
    CHECK(f.sink.events[2].data["drivers"] == nlohmann::json::array({"packaging"}));
    CHECK(f.sink.events[2].data["ms_to_answer"] == 6500);
    CHECK(f.sink.events[2].data["reaction"] == "unhappy");  // the reaction these drivers explain
    CHECK(f.sink.events[3].data["intent"] == "not_buying");
    CHECK(f.sink.events[3].data["why_not"] == "other_brand");
    CHECK(f.sink.events[3].data["ms_to_answer"] == 9100);
    CHECK_FALSE(reaction.data.contains("misuse"));

    f.commit_all(f.t0 + 9110ms);
    CHECK(f.flow.step() == FmotStep::ThankYou);
    CHECK_FALSE(f.flow.tick(f.t0 + 11600ms));
    CHECK(f.flow.tick(f.t0 + 11610ms));
    CHECK(f.flow.step() == FmotStep::Attract);
    CHECK(f.sink.events.back().type == core::EventType::SessionEnd);
    CHECK(f.sink.events.back().data["outcome"] == "completed");
    CHECK(f.sink.events.back().data["last_step"] == "thank_you");

    SECTION("nothing of the shopper is left for the next one") {
        CHECK(f.flow.session().session_id.empty());
        CHECK_FALSE(f.flow.session().product);
        CHECK_FALSE(f.flow.session().reaction);
        CHECK(f.flow.session().drivers.empty());
        CHECK(f.flow.locale() == "en");  // back to the kiosk's first language
    }
}

TEST_CASE("every question after the reaction can be skipped", "[fmot]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    CHECK(f.flow.step() == FmotStep::Reaction);  // one product: no grid
    f.flow.tap_reaction(core::Reaction::VeryHappy, f.t0 + 3s);
    f.flow.skip(f.t0 + 4s);
    CHECK(f.flow.step() == FmotStep::Intent);
    f.flow.skip(f.t0 + 5s);
    CHECK(f.flow.step() == FmotStep::Saving);
    f.commit_all(f.t0 + 5s);
    CHECK(f.flow.step() == FmotStep::ThankYou);
    CHECK(f.sink.types() == std::vector<std::string>{"session.start", "fmot.reaction"});
}

TEST_CASE("a double tap never answers twice", "[fmot]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 3000ms);
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 3080ms);
    f.flow.choose_intent(app::Intent::BuyNow, f.t0 + 3100ms);  // the intent screen is not shown yet
    CHECK(f.sink.types() == std::vector<std::string>{"session.start", "fmot.reaction"});
}

TEST_CASE("a barcode scan picks the product", "[fmot]") {
    Fixture f;
    CHECK_FALSE(f.flow.scan_barcode("0000000000000", f.t0));
    CHECK(f.flow.step() == FmotStep::Attract);
    CHECK(f.flow.scan_barcode(kChocolate.sku, f.t0));
    CHECK(f.flow.step() == FmotStep::Reaction);
    CHECK(f.flow.session().product->sku == kChocolate.sku);
    CHECK(f.sink.types() == std::vector<std::string>{"session.start"});
}

TEST_CASE("back goes only where nothing was recorded", "[fmot]") {
    Fixture f;
    f.flow.touch_attract(f.t0);
    f.flow.pick_product(kGranola.sku, f.t0 + 1s);
    f.flow.back(f.t0 + 2s);
    CHECK(f.flow.step() == FmotStep::ProductPick);
    f.flow.pick_product(kGranola.sku, f.t0 + 3s);
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 5s);
    f.flow.back(f.t0 + 6s);
    CHECK(f.flow.step() == FmotStep::Drivers);  // the reaction stands
    f.flow.skip(f.t0 + 7s);
    f.flow.back(f.t0 + 8s);
    CHECK(f.flow.step() == FmotStep::Drivers);
}

TEST_CASE("an idle shopper is warned, then the session ends abandoned", "[fmot]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 5s);
    f.commit_all(f.t0 + 5s);
    CHECK(f.flow.next_deadline(f.t0 + 6s) == f.t0 + 40s);  // 45 s idle reset, warned 10 s before
    CHECK_FALSE(f.flow.idle_countdown(f.t0 + 39s));
    CHECK(f.flow.idle_countdown(f.t0 + 40s) == 10);
    CHECK(f.flow.idle_countdown(f.t0 + 50s - 1ms) == 1);
    CHECK(f.flow.next_deadline(f.t0 + 41500ms) == f.t0 + 42s);  // each second of the countdown

    SECTION("a touch continues the session") {
        f.flow.note_touch(f.t0 + 42s);
        CHECK_FALSE(f.flow.idle_countdown(f.t0 + 43s));
        CHECK_FALSE(f.flow.tick(f.t0 + 50s));
        CHECK(f.flow.step() == FmotStep::Drivers);
    }
    SECTION("no touch: abandoned at the step reached") {
        CHECK(f.flow.tick(f.t0 + 50s));
        CHECK(f.flow.step() == FmotStep::Attract);
        CHECK(f.sink.events.back().data["outcome"] == "abandoned");
        CHECK(f.sink.events.back().data["last_step"] == "drivers");
    }
}

TEST_CASE("a tapped 'not buying' is kept when the shopper walks away", "[fmot]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    f.flow.tap_reaction(core::Reaction::VeryUnhappy, f.t0 + 3s);
    f.flow.skip(f.t0 + 4s);
    f.flow.choose_intent(app::Intent::NotBuying, f.t0 + 5s);
    CHECK(f.flow.tick(f.t0 + 60s));
    CHECK(f.sink.types() ==
          std::vector<std::string>{"session.start", "fmot.reaction", "fmot.intent", "session.end"});
    CHECK(f.sink.events[2].data["intent"] == "not_buying");
    CHECK_FALSE(f.sink.events[2].data.contains("why_not"));
}

TEST_CASE("a hammering child is recorded, flagged as misuse", "[fmot][misuse]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    f.flow.tap_reaction(core::Reaction::VeryHappy, f.t0 + 120ms);  // faster than anyone can look
    for (int i = 0; i < 9; ++i) f.flow.toggle_driver(app::Driver::Habit, f.t0 + 200ms + i * 50ms);
    f.flow.drivers_done(f.t0 + 700ms);
    REQUIRE(f.sink.events.size() == 3);
    CHECK(f.sink.events[1].data["misuse"] == true);  // never dropped: flagged
    CHECK(f.sink.events[2].data["misuse"] == true);
    CHECK_FALSE(core::validate_event(f.sink.events[1]));

    SECTION("a calm shopper is not flagged") {
        Fixture calm({kGranola});
        calm.flow.touch_attract(calm.t0);
        calm.flow.tap_reaction(core::Reaction::Happy, calm.t0 + 2500ms);
        CHECK_FALSE(calm.sink.events[1].data.contains("misuse"));
    }
}

TEST_CASE("a failed commit is apologised for and retried with the same ids", "[fmot]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 3s);
    f.flow.skip(f.t0 + 4s);
    f.flow.choose_intent(app::Intent::BuyNow, f.t0 + 5s);
    const std::string intent_id = f.sink.events.back().id;
    f.flow.event_committed(f.sink.events[0].id, f.t0 + 5s);
    f.flow.event_committed(f.sink.events[1].id, f.t0 + 5s);
    f.flow.event_failed(intent_id, "disk full", f.t0 + 5s);
    CHECK(f.flow.step() == FmotStep::Saving);
    CHECK(f.flow.session().answers.error() == "disk full");

    f.flow.retry_save(f.t0 + 6s);
    CHECK(f.sink.events.back().id == intent_id);  // re-sent, not re-created
    CHECK(f.flow.session().answers.error().empty());
    f.flow.event_committed(intent_id, f.t0 + 6s);
    CHECK(f.flow.step() == FmotStep::ThankYou);
}

TEST_CASE("the attract screen cycles through the shelf", "[fmot]") {
    Fixture f;
    const auto first = f.flow.attract_product(f.t0).sku;
    const auto second = f.flow.attract_product(f.t0 + 6s).sku;
    CHECK(first != second);
    CHECK(f.flow.attract_product(f.t0 + 12s).sku == first);
}

TEST_CASE("a new shelf from the hub waits for the shopper to finish", "[fmot][config]") {
    Fixture f({kGranola});
    f.flow.touch_attract(f.t0);
    CHECK_FALSE(f.flow.back_allowed());  // one product: nothing to go back to
    f.flow.replace_shelf({kChocolate, kGranola}, {app::Driver::Price}, {});
    CHECK(f.flow.shelf().size() == 1);  // mid-session: unchanged
    f.flow.tap_reaction(core::Reaction::Happy, f.t0 + 3s);
    CHECK(f.flow.drivers().size() == app::kAllDrivers.size());
    CHECK(f.flow.tick(f.t0 + 60s));  // walked away: reset
    CHECK(f.flow.shelf().size() == 2);
    CHECK(f.flow.drivers() == std::vector<app::Driver>{app::Driver::Price});
    CHECK(f.flow.why_nots().size() == app::kAllWhyNots.size());

    f.flow.touch_attract(f.t0 + 61s);
    CHECK(f.flow.step() == FmotStep::ProductPick);
    CHECK(f.flow.back_allowed());
}
