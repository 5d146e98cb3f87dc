// Simulated shoppers: sessions driven through FmotFlow and PostPurchaseFlow with a fake clock, and staff
// shelf logs.
#include "truthpoint/app/simulate.hpp"

#include <algorithm>
#include <map>
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
        if (auto saved = ledger_.append(event); !saved) throw std::runtime_error(saved.error().message);
        committed_.push_back(event.id);
        ++written;
    }
    template <typename Flow>
    void confirm_to(Flow& flow, core::Timestamp now) {
        for (const auto& id : committed_) flow.event_committed(id, now);
        committed_.clear();
    }
    std::int64_t written = 0;

private:
    Ledger& ledger_;
    std::vector<std::string> committed_;
};

// The longest FMOT session writes 6 events: start, reaction, drivers, intent, end (+1 spare).
constexpr std::int64_t kLongestSession = 6;
// The longest post-purchase session: start, rating, pain, expectations, recommend, topics, pain, comment,
// consent, review, sorry card, end.
constexpr std::int64_t kLongestPostPurchase = 12;

// What shoppers write, by language; some leave a phone number or an address, which the flow removes.
const std::map<std::string, std::vector<std::string>> kComments{
    {"en", {"Tasted great, will buy again.", "The lid was broken when I opened it.", "Too sweet for me.",
            "Good value for the price", "Call me on +44 7700 900123 if you want details"}},
    {"fa", {"خیلی خوشمزه بود، باز هم می‌خرم.", "بسته‌بندی خراب بود.", "قیمتش کمی بالاست.",
            "تازه و خوب بود", "با من تماس بگیرید ۰۹۱۲ ۳۴۵ ۶۷۸۹"}},
    {"ar", {"طعم رائع، سأشتريه مرة أخرى.", "كان التغليف تالفاً.", "السعر مرتفع قليلاً.", "منتج طازج وممتاز",
            "راسلوني على omar@example.com"}},
    {"el", {"Πολύ νόστιμο, θα το ξαναγοράσω.", "Η συσκευασία ήταν σπασμένη.", "Λίγο ακριβό.",
            "Φρέσκο και καλό", "Τηλέφωνο 210 123 4567"}},
    {"tr", {"Çok lezzetli, tekrar alacağım.", "Ambalaj yırtıktı.", "Fiyatı biraz yüksek.", "Taze ve güzeldi",
            "Beni 0532 123 45 67 numarasından arayın"}},
};

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
    std::uniform_int_distribution<std::size_t> pick_observation(0, core::kShelfObservations.size() - 1);
    auto wait = [&](int ms) { clock += std::chrono::milliseconds(ms); };

    std::bernoulli_distribution comes_back(0.15);  // a shopper back after a purchase
    std::discrete_distribution<int> stars_weights{8, 10, 17, 35, 30};
    std::discrete_distribution<int> receipt_weights{45, 25, 30};  // keypad, scanner, none
    std::uniform_int_distribution<int> nine(0, 9);
    std::bernoulli_distribution answers_question(0.75);
    std::bernoulli_distribution comments(0.35);
    std::bernoulli_distribution consents(0.6);
    std::bernoulli_distribution reports_pain(0.2);
    std::uniform_int_distribution<std::size_t> pick_topic(0, core::kPostPurchaseTopics.size() - 1);
    std::uniform_int_distribution<std::size_t> pick_comment(0, 4);
    PostPurchaseSettings post_purchase_settings = options.post_purchase;
    post_purchase_settings.receipt_pattern = "[0-9]{12}";  // the simulated till's receipt codes

    const FmotTimings timings{.idle_reset = std::chrono::seconds(config.idle_reset_seconds)};
    const PostPurchaseTimings post_purchase_timings{.idle_reset = std::chrono::seconds(config.idle_reset_seconds)};
    while (sink.written < options.events) {
        clock += std::chrono::seconds(gap_seconds(random));
        const Product& product = shelf[pick_product(random)];
        const std::int64_t left = options.events - sink.written;

        if (left >= kLongestPostPurchase && comes_back(random)) {
            PostPurchaseFlow flow(sink, ids, {product}, post_purchase_settings, post_purchase_timings);
            const std::string locale = locales[pick_locale(random)];
            std::string code;
            for (int i = 0; i < 12; ++i) code += static_cast<char>('0' + nine(random));
            const int how = receipt_weights(random);
            if (how == 1 && flow.has_receipt_key()) {
                flow.start_with_scanned_receipt(code, locale, clock);
            } else {
                flow.start(locale, clock);
                wait(answer_ms(random));
                if (how == 0) {
                    for (const char digit : code) flow.press_digit(digit, clock += std::chrono::milliseconds(350));
                    flow.receipt_done(clock);
                } else {
                    flow.skip(clock);
                }
            }
            if (abandons(random)) {
                clock += post_purchase_timings.idle_reset;
                flow.tick(clock);
                continue;
            }
            wait(answer_ms(random));
            const int stars = stars_weights(random) + 1;
            flow.rate(stars, clock);
            wait(answer_ms(random));
            if (answers_question(random)) {
                flow.choose_expectations(stars >= 4 ? (stars == 5 ? Expectations::Beyond : Expectations::Met)
                                                    : Expectations::Below,
                                         clock);
            } else {
                flow.skip(clock);
            }
            wait(answer_ms(random));
            if (answers_question(random)) {
                flow.choose_recommend(std::clamp(stars * 2 + nine(random) % 3 - 1, 0, 10), clock);
            } else {
                flow.skip(clock);
            }
            wait(answer_ms(random));
            if (answers_question(random)) {
                const auto topic = std::string(core::kPostPurchaseTopics[pick_topic(random)].wire);
                if (stars <= 2 || reports_pain(random)) {
                    flow.toggle_pain(topic, clock);
                } else {
                    flow.toggle_glory(topic, clock);
                }
                flow.topics_done(clock);
            } else {
                flow.skip(clock);
            }
            wait(answer_ms(random));
            if (comments(random)) {
                const auto found = kComments.find(locale);
                const auto& texts = found != kComments.end() ? found->second : kComments.at("en");
                flow.edit_comment(texts[pick_comment(random) % texts.size()], clock += std::chrono::seconds(20));
                flow.comment_done(clock);
            } else {
                flow.skip(clock);
            }
            wait(answer_ms(random));
            flow.choose_consent(consents(random), clock);  // asked of everyone who rated
            sink.confirm_to(flow, clock);
            flow.done(clock += std::chrono::seconds(5));
            continue;
        }

        if (left < kLongestSession || staff_logs(random)) {
            // A visit writes the PIN's audit event and one shelf log; the run's very last event may be a
            // mistyped PIN alone. The argon2id check itself is not simulated.
            StaffMode staff(sink, ids, true);
            staff.open_pin_pad(clock);
            staff.press_digit('1', clock);
            const bool right_pin = left >= 2;
            if (staff.submit(clock)) staff.pin_checked(right_pin, clock);
            if (right_pin) {
                staff.choose_product(product.sku, clock);
                staff.log_shelf(core::kShelfObservations[pick_observation(random)].wire.data(), clock);
            }
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
