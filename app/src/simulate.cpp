// Simulated shoppers: sessions driven through FmotFlow with a fake clock, and staff shelf logs.
#include "truthpoint/app/simulate.hpp"

#include <random>
#include <vector>

#include "truthpoint/app/fmot_flow.hpp"

namespace truthpoint::app {
namespace {

// Commits each event before the flow goes on, as the kiosk's recorder does.
class LedgerSink final : public EventSink {
public:
    explicit LedgerSink(Ledger& ledger) : ledger_(ledger) {}
    void record(core::Event event) override {
        ledger_.append(event);
        last_id = event.id;
        ++written;
    }
    std::string last_id;
    std::int64_t written = 0;

private:
    Ledger& ledger_;
};

const std::vector<Product> kDemoShelf{
    {"8710398500103", "Oat & honey granola"},
    {"5000159407236", "Dark chocolate 70%"},
    {"4006381333931", "Sparkling water, lemon"},
    {"3017620422003", "Hazelnut spread"},
};

constexpr std::array kShelfObservations{"picked_up", "put_back", "compared", "read_label", "asked_for_help",
                                        "added_to_basket"};

}  // namespace

void simulate_shoppers(const KioskConfig& config, Ledger& ledger, const SimulationOptions& options) {
    std::mt19937_64 random(options.seed);
    core::UuidV7Generator ids;
    LedgerSink sink(ledger);

    std::vector<Product> shelf = kDemoShelf;
    if (!config.product_sku.empty()) shelf.insert(shelf.begin(), {config.product_sku, config.product_name});
    const std::vector<std::string> locales = config.languages.empty() ? std::vector<std::string>{"en"} : config.languages;

    // Shoppers arrive every 5–60 s, ending about now.
    core::Timestamp clock = core::now_utc() - std::chrono::seconds(options.events * 12);
    std::uniform_int_distribution<int> gap_seconds(5, 60);
    std::uniform_int_distribution<int> think_ms(800, 7000);  // the first moment of truth: 3–7 s
    std::discrete_distribution<int> reaction_weights{10, 18, 42, 30};
    std::bernoulli_distribution abandons(0.08);
    std::bernoulli_distribution staff_logs(0.1);
    std::uniform_int_distribution<std::size_t> pick_product(0, shelf.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_locale(0, locales.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_observation(0, kShelfObservations.size() - 1);

    while (sink.written < options.events) {
        const std::int64_t remaining = options.events - sink.written;
        clock += std::chrono::seconds(gap_seconds(random));
        const Product& product = shelf[pick_product(random)];

        if (remaining < 3 || staff_logs(random)) {
            core::Event shelf_log;
            shelf_log.id = ids.next_at(clock);
            shelf_log.type = core::EventType::StaffShelf;
            shelf_log.occurred_at = clock;
            shelf_log.session_id = ids.next_at(clock);
            shelf_log.locale = "en";
            shelf_log.sku = product.sku;
            shelf_log.data = {{"observation", kShelfObservations[pick_observation(random)]}};
            sink.record(std::move(shelf_log));
            continue;
        }

        FmotFlow flow(sink, ids, product, locales[pick_locale(random)],
                      {std::chrono::milliseconds(2500), std::chrono::seconds(config.idle_reset_seconds)});
        flow.touch_attract(clock);
        if (abandons(random)) {
            clock += std::chrono::seconds(config.idle_reset_seconds);
            flow.tick(clock);
            continue;
        }
        clock += std::chrono::milliseconds(think_ms(random));
        flow.tap_reaction(core::kAllReactions[static_cast<std::size_t>(reaction_weights(random))], clock);
        flow.reaction_committed(sink.last_id, clock);
        clock += std::chrono::milliseconds(2500);
        flow.tick(clock);
    }
}

}  // namespace truthpoint::app
