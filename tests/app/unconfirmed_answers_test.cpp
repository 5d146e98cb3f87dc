// UnconfirmedAnswers: what a flow waits for before it says thank you, the ledger's error, and a retry
// that sends the very same events again.
#include <catch2/catch.hpp>

#include <vector>

#include "truthpoint/app/unconfirmed_answers.hpp"

using namespace truthpoint;

namespace {

struct SinkSpy : app::EventSink {
    void record(core::Event event) override { ids.push_back(event.id); }
    std::vector<std::string> ids;
};

core::Event event_with_id(const std::string& id) {
    core::Event event;
    event.id = id;
    event.type = core::EventType::SmotFeedback;
    return event;
}

}  // namespace

TEST_CASE("answers wait for the ledger, a failure keeps them and a retry sends the same ids again",
          "[unconfirmed_answers]") {
    SinkSpy sink;
    app::UnconfirmedAnswers answers;
    CHECK(answers.settled());
    answers.record(sink, event_with_id("a"));
    answers.record(sink, event_with_id("b"));
    CHECK(sink.ids == std::vector<std::string>{"a", "b"});
    CHECK_FALSE(answers.all_committed());

    SECTION("both committed: settled") {
        CHECK(answers.committed("a"));
        CHECK_FALSE(answers.settled());
        CHECK(answers.committed("b"));
        CHECK(answers.settled());
        CHECK_FALSE(answers.committed("b"));  // told twice: nothing changes
    }
    SECTION("an earlier shopper's verdict is not ours") {
        CHECK_FALSE(answers.committed("z"));
        CHECK_FALSE(answers.failed("z", "disk full"));
        CHECK(answers.error().empty());
    }
    SECTION("a failure, then a retry of what is still unconfirmed") {
        CHECK(answers.committed("a"));
        CHECK(answers.failed("b", "disk I/O error"));
        CHECK(answers.error() == "disk I/O error");
        CHECK_FALSE(answers.settled());
        CHECK(answers.retry(sink));
        CHECK(sink.ids == std::vector<std::string>{"a", "b", "b"});  // only b again, with its id
        CHECK(answers.error().empty());
        CHECK_FALSE(answers.retry(sink));  // no failure: nothing to retry
        CHECK(answers.committed("b"));
        CHECK(answers.settled());
    }
}
