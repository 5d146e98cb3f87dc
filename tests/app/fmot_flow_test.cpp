// The FMOT flow without a window: taps and a fake clock in, events and timings out.
#include <catch2/catch.hpp>

#include <vector>

#include "truthpoint/app/fmot_flow.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;

namespace {

struct CapturingSink final : app::EventSink {
    std::vector<core::Event> events;
    void record(core::Event event) override { events.push_back(std::move(event)); }
};

struct Fixture {
    CapturingSink sink;
    core::UuidV7Generator ids;
    app::FmotFlow flow{sink, ids, {"8710398500103", "Granola"}, "fa", {2500ms, 45s}};
    core::Timestamp t0 = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
};

}  // namespace

TEST_CASE("a shopper's reaction is recorded at the tap, thanked after the commit", "[fmot]") {
    Fixture f;
    CHECK(f.flow.step() == app::FmotStep::Attract);
    f.flow.touch_attract(f.t0);
    CHECK(f.flow.step() == app::FmotStep::Reaction);
    REQUIRE(f.sink.events.size() == 1);
    CHECK(f.sink.events[0].type == core::EventType::SessionStart);

    f.flow.tap_reaction(core::Reaction::VeryHappy, f.t0 + 3200ms);
    CHECK(f.flow.step() == app::FmotStep::Saving);
    REQUIRE(f.sink.events.size() == 2);
    const core::Event& reaction = f.sink.events[1];
    CHECK(reaction.type == core::EventType::FmotReaction);
    CHECK(reaction.data["reaction"] == "very_happy");
    CHECK(reaction.data["ms_to_react"] == 3200);
    CHECK(reaction.sku == "8710398500103");
    CHECK(reaction.locale == "fa");
    CHECK(reaction.session_id == f.sink.events[0].session_id);
    CHECK_FALSE(core::validate_event(reaction));

    SECTION("a second tap while saving is not a second answer") {
        f.flow.tap_reaction(core::Reaction::Unhappy, f.t0 + 3300ms);
        CHECK(f.sink.events.size() == 2);
    }
    SECTION("thank you lasts 2.5 s, then the session ends completed and nothing of it remains") {
        f.flow.reaction_committed(reaction.id, f.t0 + 3210ms);
        CHECK(f.flow.step() == app::FmotStep::ThankYou);
        CHECK(f.flow.next_deadline() == f.t0 + 5710ms);
        CHECK_FALSE(f.flow.tick(f.t0 + 5700ms));
        CHECK(f.flow.tick(f.t0 + 5710ms));
        CHECK(f.flow.step() == app::FmotStep::Attract);
        REQUIRE(f.sink.events.size() == 3);
        CHECK(f.sink.events[2].type == core::EventType::SessionEnd);
        CHECK(f.sink.events[2].data["outcome"] == "completed");
        CHECK(f.flow.session().session_id.empty());
        CHECK_FALSE(f.flow.session().reaction);
    }
    SECTION("a failed commit returns to the faces with the error and no answer kept") {
        f.flow.reaction_failed(reaction.id, "disk full");
        CHECK(f.flow.step() == app::FmotStep::Reaction);
        CHECK(f.flow.session().save_error == "disk full");
        CHECK_FALSE(f.flow.session().reaction);
    }
}

TEST_CASE("an idle shopper's session ends abandoned", "[fmot]") {
    Fixture f;
    f.flow.touch_attract(f.t0);
    CHECK_FALSE(f.flow.tick(f.t0 + 44s));
    CHECK(f.flow.tick(f.t0 + 45s));
    CHECK(f.flow.step() == app::FmotStep::Attract);
    REQUIRE(f.sink.events.size() == 2);
    CHECK(f.sink.events[1].data["outcome"] == "abandoned");
    CHECK(f.sink.events[1].data["last_step"] == "reaction");
}
