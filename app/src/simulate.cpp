// Simulated shoppers: sessions driven through FmotFlow with a fake clock, and staff shelf logs.
#include "truthpoint/app/simulate.hpp"

#include <random>
#include <stdexcept>
#include <vector>

#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/app/staff_mode.hpp"

namespace truthpoint::app {
namespace {

// Commits each event before the flow goes on, as the kiosk's recorder does, and reports it back.
class LedgerSink final : public EventSink {
public:
    explicit LedgerSink(Ledger& ledger) : ledger_(ledger) {}
    void record(core::Event event) override {
        ledger_.append(event);
        committed_.push_back(event.id);
        ++written;
    }
    void confirm_to(FmotFlow& flow, core::Timestamp now) {
        for (const auto& id : committed_) flow.event_committed(id, now);
        committed_.clear();
    }
    std::int64_t written = 0;

private:
    Ledger& ledger_;
    std::vector<std::string> committed_;
};

// The longest session writes 6 events: start, reaction, drivers, intent, end (+1 spare).
constexpr std::int64_t kLongestSession = 6;

}  // namespace

void simulate_shoppers(const KioskConfig& config, const std::vector<Product>& shelf, Ledger& ledger,
                       const SimulationOptions& options) {
    if (shelf.empty()) throw std::invalid_argument("simulate needs at least one product on the shelf");
    std::mt19937_64 random(options.seed);
    core::UuidV7Generator ids;
    LedgerSink sink(ledger);
    const std::vector<std::string> locales = config.languages.empty() ? std::vector<std::string>{"en"} : config.languages;

    // Shoppers arrive every 5–60 s, ending about now.
    core::Timestamp clock = core::now_utc() - std::chrono::seconds(options.events * 12);
    std::uniform_int_distribution<int> gap_seconds(5, 60);
    std::uniform_int_distribution<int> think_ms(1500, 7000);  // the first moment of truth: 3–7 s
    std::uniform_int_distribution<int> answer_ms(1200, 5000);
    std::discrete_distribution<int> reaction_weights{10, 18, 42, 30};
    std::discrete_distribution<int> intent_weights{45, 30, 25};
    std::bernoulli_distribution abandons(0.08);
    std::bernoulli_distribution answers_drivers(0.7);
    std::bernoulli_distribution answers_why_not(0.7);
    std::bernoulli_distribution staff_logs(0.1);
    std::uniform_int_distribution<std::size_t> pick_product(0, shelf.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_locale(0, locales.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_driver(0, kAllDrivers.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_why_not(0, kAllWhyNots.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_observation(0, kShelfObservations.size() - 1);
    auto wait = [&](int ms) { clock += std::chrono::milliseconds(ms); };

    const FmotTimings timings{.idle_reset = std::chrono::seconds(config.idle_reset_seconds)};
    while (sink.written < options.events) {
        clock += std::chrono::seconds(gap_seconds(random));
        const Product& product = shelf[pick_product(random)];

        if (options.events - sink.written < kLongestSession || staff_logs(random)) {
            StaffMode staff(sink, ids, true);
            staff.open_pin_pad(clock);
            staff.press_digit('1', clock);
            if (staff.submit(clock)) staff.pin_checked(true, clock);  // the PIN check itself is not simulated
            staff.log_shelf(kShelfObservations[pick_observation(random)], product.sku, clock);
            continue;
        }

        FmotFlow flow(sink, ids, {product}, locales[pick_locale(random)], timings);
        flow.touch_attract(clock);
        if (abandons(random)) {
            clock += timings.idle_reset;
            flow.tick(clock);
            continue;
        }
        wait(think_ms(random));
        flow.tap_reaction(core::kAllReactions[static_cast<std::size_t>(reaction_weights(random))], clock);
        wait(answer_ms(random));
        if (answers_drivers(random)) {
            flow.toggle_driver(kAllDrivers[pick_driver(random)], clock);
            flow.toggle_driver(kAllDrivers[pick_driver(random)], clock);  // a second tap may undo the first
            flow.drivers_done(clock);
        } else {
            flow.skip(clock);
        }
        wait(answer_ms(random));
        const Intent intent = kAllIntents[static_cast<std::size_t>(intent_weights(random))];
        flow.choose_intent(intent, clock);
        if (intent == Intent::NotBuying) {
            wait(answer_ms(random));
            if (answers_why_not(random)) {
                flow.choose_why_not(kAllWhyNots[pick_why_not(random)], clock);
            } else {
                flow.skip(clock);
            }
        }
        sink.confirm_to(flow, clock);
        wait(2500);
        flow.tick(clock);
    }
}

}  // namespace truthpoint::app
