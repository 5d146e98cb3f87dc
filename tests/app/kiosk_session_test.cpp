// app::KioskSession without a window: a fake clock, the real recorder on a real SQLite ledger, the real
// PIN checker (argon2id), the hub's shelf through the real mailbox. What a shopper and a staff member do
// in front of the kiosk, checked in the ledger they leave behind.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "support/temp_dir.hpp"
#include "truthpoint/app/hub_alerts.hpp"
#include "truthpoint/app/kiosk_session.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/shelf.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint;
using namespace std::chrono_literals;
using app::FmotStep;
using app::StaffStep;

namespace {

const app::Product kGranola{"8710398500103", {{"en", "Granola"}}, ""};
const app::Product kChocolate{"5000159407236", {{"en", "Chocolate"}}, ""};
const app::Product kTea{"4006381333931", {{"en", "Tea"}}, ""};

// staff mode's seam to the uploader, counting what the session asks of it.
struct CountingSyncControl final : app::SyncControl {
    std::atomic<int> views_requested{0};
    std::atomic<int> syncs{0};
    int pending = 0;
    std::optional<core::Timestamp> last_attempt;  // the uploader's last pass began then
    void request_view() override { ++views_requested; }
    std::optional<app::SyncView> take_view() override {
        if (views_requested.load() == views_taken) return std::nullopt;
        views_taken = views_requested.load();
        app::SyncView view;
        view.pending = pending;
        view.last_attempt = last_attempt;
        return view;
    }
    void sync_now() override { ++syncs; }
    void set_wake(std::function<void()>) override {}
    int views_taken = 0;
};

struct Kiosk {
    explicit Kiosk(std::vector<std::string> skus = {}, app::KioskServices services = {}, std::string pin_hash = {}) {
        config.path = dir.file("kiosk.toml");
        config.kiosk_id = "k-1";
        config.store_id = "s-1";
        config.db_path = dir.file("kiosk.db");
        config.languages = {"en", "fa", "en"};
        config.shelf_skus = std::move(skus);
        config.staff_pin_hash = std::move(pin_hash);
        app::ShelfChoice shelf;
        shelf.products = {kGranola, kChocolate};
        app::KioskSessionOptions options;
        options.wake = [this] { ++wakes; };
        options.log = [this](const std::string& line) { log.push_back(line); };
        session = std::make_unique<app::KioskSession>(config, shelf, services, options);
    }

    // Polls (with the fake clock standing still) until the workers have answered or 10 s have passed.
    app::KioskSession::Changes poll_until(const std::function<bool()>& done) {
        app::KioskSession::Changes last;
        for (int i = 0; i < 1000 && !done(); ++i) {
            last = session->poll(now);
            if (done()) break;
            std::this_thread::sleep_for(10ms);
        }
        REQUIRE(done());
        return last;
    }

    std::vector<core::Event> ledger_events() {
        auto ledger = app::Ledger::open(config.db_path).value();
        std::vector<core::Event> events;
        const auto pending_events = ledger.next_batch(1000, 1 << 24);
        REQUIRE(pending_events);
        for (const auto& pending : pending_events.value()) {
            auto event = core::decode_event_text(pending.payload);
            REQUIRE(event);
            events.push_back(event.value());
        }
        return events;
    }

    testing::TempDir dir;
    app::KioskConfig config;
    std::atomic<int> wakes{0};
    std::vector<std::string> log;
    core::Timestamp now = *core::parse_rfc3339("2026-11-22T10:00:00.000Z");
    std::unique_ptr<app::KioskSession> session;
};

std::vector<std::string> types_of(const std::vector<core::Event>& events) {
    std::vector<std::string> types;
    for (const auto& event : events) types.emplace_back(core::to_string(event.type));
    return types;
}

}  // namespace

TEST_CASE("a whole shopper session through the kiosk session, with a fake clock", "[kiosk_session]") {
    Kiosk kiosk;
    app::KioskSession& session = *kiosk.session;
    app::FmotFlow& flow = session.flow();
    CHECK(session.languages() == std::vector<std::string>{"en", "fa"});  // each language once

    flow.touch_attract(kiosk.now);
    CHECK(flow.step() == FmotStep::ProductPick);
    flow.pick_product(kChocolate.sku, kiosk.now += 2s);
    flow.tap_reaction(core::Reaction::VeryHappy, kiosk.now += 2s);
    flow.toggle_driver(app::Driver::Price, kiosk.now += 1s);
    flow.drivers_done(kiosk.now += 1s);
    flow.choose_intent(app::Intent::BuyNow, kiosk.now += 1s);
    CHECK(flow.step() == FmotStep::Saving);  // "thank you" waits for the ledger

    // The recorder's thread commits and wakes the window; poll() hands the commits to the flow.
    const auto changes = kiosk.poll_until([&] { return flow.step() == FmotStep::ThankYou; });
    CHECK(kiosk.wakes.load() >= 1);
    (void)changes;

    // Thank you for 2.5 s, then back to attract; the deadline says when to wake.
    const auto deadline = session.next_deadline(kiosk.now);
    REQUIRE(deadline);
    CHECK(*deadline <= kiosk.now + 2500ms);
    CHECK(session.poll(kiosk.now += 3s).redraw);
    CHECK(flow.step() == FmotStep::Attract);

    kiosk.poll_until([&] { return kiosk.ledger_events().size() == 5; });
    const auto events = kiosk.ledger_events();
    CHECK(types_of(events) ==
          std::vector<std::string>{"session.start", "fmot.reaction", "fmot.driver", "fmot.intent", "session.end"});
    for (const auto& event : events) {
        if (event.type == core::EventType::FmotReaction) CHECK(event.sku == kChocolate.sku);
    }
}

TEST_CASE("an unknown barcode raises a notice that the clock takes down", "[kiosk_session]") {
    Kiosk kiosk;
    app::KioskSession& session = *kiosk.session;
    session.scan_barcode("4006381333931", kiosk.now);  // not on this shelf
    CHECK(session.unknown_barcode_shown());
    CHECK(session.flow().step() == FmotStep::Attract);
    REQUIRE(session.next_deadline(kiosk.now));
    CHECK(*session.next_deadline(kiosk.now) <= kiosk.now + 3s);
    CHECK(session.poll(kiosk.now + 3s).redraw);
    CHECK_FALSE(session.unknown_barcode_shown());

    session.scan_barcode(kGranola.sku, kiosk.now + 4s);  // on the shelf: straight to the faces
    CHECK_FALSE(session.unknown_barcode_shown());
    CHECK(session.flow().step() == FmotStep::Reaction);
}

TEST_CASE("the PIN goes to the checker thread and its verdict comes back through poll", "[kiosk_session]") {
    CountingSyncControl uploader;
    Kiosk kiosk({}, {&uploader, nullptr}, app::hash_staff_pin("2468"));
    app::KioskSession& session = *kiosk.session;
    app::StaffMode& staff = session.staff();

    session.staff_corner_held(kiosk.now);
    REQUIRE(staff.step() == StaffStep::PinEntry);

    SECTION("a wrong PIN") {
        for (char digit : std::string("1357")) staff.press_digit(digit, kiosk.now);
        session.submit_pin(kiosk.now);
        CHECK(staff.step() == StaffStep::Checking);
        kiosk.poll_until([&] { return staff.step() != StaffStep::Checking; });
        CHECK(staff.step() == StaffStep::PinEntry);
        CHECK(staff.message() == "Wrong PIN");
        CHECK(uploader.views_requested.load() == 0);  // nothing of the uploader before the menu
    }
    SECTION("the right PIN, a staff visit, and the uploader's view once a second") {
        uploader.pending = 7;
        for (char digit : std::string("2468")) staff.press_digit(digit, kiosk.now);
        session.submit_pin(kiosk.now);
        kiosk.poll_until([&] { return staff.step() == StaffStep::Menu; });
        session.poll(kiosk.now);
        CHECK(uploader.views_requested.load() == 1);  // at once when the menu opens
        session.poll(kiosk.now += 500ms);
        CHECK(uploader.views_requested.load() == 1);
        CHECK(session.sync_view().pending == 7);  // the view taken without blocking
        session.poll(kiosk.now += 600ms);
        CHECK(uploader.views_requested.load() == 2);
        REQUIRE(session.next_deadline(kiosk.now));
        CHECK(*session.next_deadline(kiosk.now) <= kiosk.now + 1s);

        session.sync_now(kiosk.now);
        CHECK(uploader.syncs.load() == 1);
        CHECK(uploader.views_requested.load() == 3);  // "sending now" shows without waiting
        CHECK(session.sync_asked());                    // the button waits for the pass it asked for
        session.poll(kiosk.now);
        CHECK(session.sync_asked());  // a view from before that pass began
        uploader.last_attempt = kiosk.now;
        session.poll(kiosk.now += 1s);
        session.poll(kiosk.now);
        CHECK_FALSE(session.sync_asked());  // the pass began: the view shows its progress from here

        staff.choose_product(session.flow().attract_product(kiosk.now).sku, kiosk.now);
        staff.log_shelf("picked_up", kiosk.now);
        const int views_while_open = uploader.views_requested.load();
        staff.cancel(kiosk.now += 1s);
        session.poll(kiosk.now += 2s);
        CHECK(uploader.views_requested.load() == views_while_open);  // the menu is closed: no more reads
        kiosk.poll_until([&] { return kiosk.ledger_events().size() == 2; });
        const auto events = kiosk.ledger_events();
        CHECK(events[0].type == core::EventType::StaffPin);  // the unlock's audit
        CHECK(events[0].data["outcome"] == "correct");
        CHECK(events[1].type == core::EventType::StaffShelf);
        CHECK(events[1].data["observation"] == "picked_up");
    }
}

TEST_CASE("one narrowing policy for every shelf source", "[kiosk_session][shelf]") {
    app::KioskConfig config;
    config.path = "/etc/truthpoint/kiosk.toml";
    const std::vector<app::Product> catalog{kGranola, kChocolate, kTea};

    SECTION("without [kiosk] products: the whole catalog, refused when empty") {
        CHECK(app::narrow_shelf(catalog, config, "c.json").value().size() == 3);
        const auto empty = app::narrow_shelf({}, config, "c.json");
        REQUIRE_FALSE(empty);
        CHECK(empty.error().message == "c.json: the catalog has no products");
    }
    SECTION("with [kiosk] products: exactly those, in that order") {
        config.shelf_skus = {kTea.sku, kGranola.sku};
        const auto shelf = app::narrow_shelf(catalog, config, "c.json");
        REQUIRE(shelf);
        REQUIRE(shelf.value().size() == 2);
        CHECK(shelf.value()[0].sku == kTea.sku);
        CHECK(shelf.value()[1].sku == kGranola.sku);
    }
    SECTION("a listed sku the catalog lacks refuses the whole catalog, naming it") {
        config.shelf_skus = {kGranola.sku, "0000000000000"};
        const auto shelf = app::narrow_shelf(catalog, config, "the hub's catalog");
        REQUIRE_FALSE(shelf);
        CHECK(shelf.error().message ==
              "/etc/truthpoint/kiosk.toml: kiosk.products names 0000000000000, which is not in the hub's catalog");
    }
}

TEST_CASE("a shelf from the hub is narrowed, prepared, then applied between shoppers", "[kiosk_session][shelf]") {
    app::ShelfInbox inbox;
    Kiosk kiosk({kGranola.sku, kTea.sku}, {nullptr, &inbox});
    app::KioskSession& session = *kiosk.session;
    app::HubConfig hub;
    hub.products = {kChocolate, kTea, kGranola};
    hub.drivers = {app::Driver::Price};
    hub.why_not = {app::WhyNot::Price};

    SECTION("on the attract screen: at once, narrowed to [kiosk] products in their order") {
        inbox.post(hub);
        CHECK(kiosk.wakes.load() == 1);  // the mailbox woke the window
        auto changes = session.poll(kiosk.now);
        REQUIRE(changes.shelf_to_prepare);
        REQUIRE(changes.shelf_to_prepare->products.size() == 2);
        CHECK(changes.shelf_to_prepare->products[0].sku == kGranola.sku);
        CHECK(changes.shelf_to_prepare->products[1].sku == kTea.sku);
        session.install_shelf(std::move(*changes.shelf_to_prepare));
        CHECK(session.flow().shelf().size() == 2);
        CHECK(session.flow().drivers() == std::vector<app::Driver>{app::Driver::Price});
        CHECK(session.pictures_to_keep().size() == 2);
        CHECK(kiosk.log.back() == "new shelf from the hub: 2 products; open alerts for this store: 0");
    }
    SECTION("mid-session: after this shopper, and both shelves' pictures kept until then") {
        session.flow().touch_attract(kiosk.now);
        inbox.post(hub);
        auto changes = session.poll(kiosk.now);
        REQUIRE(changes.shelf_to_prepare);
        session.install_shelf(std::move(*changes.shelf_to_prepare));
        CHECK(kiosk.log.back() == "new shelf from the hub: 2 products (after this shopper); open alerts for this store: 0");
        CHECK(session.flow().shelf()[1].sku == kChocolate.sku);  // the shopper's shelf stays
        CHECK(session.pictures_to_keep().size() == 4);
        // The shopper walks away: the idle reset applies the new shelf, and the old pictures may go.
        bool released = false;
        for (int second = 1; second <= 60 && !released; ++second) {
            released = session.poll(kiosk.now + std::chrono::seconds(second)).release_pictures;
        }
        CHECK(released);
        CHECK(session.flow().step() == FmotStep::Attract);
        CHECK(session.pictures_to_keep().size() == 2);
    }
    SECTION("a hub catalog without a listed sku is refused; this shelf stays") {
        hub.products = {kChocolate, kGranola};
        inbox.post(hub);
        const auto changes = session.poll(kiosk.now);
        CHECK_FALSE(changes.shelf_to_prepare);
        CHECK(session.flow().shelf()[1].sku == kChocolate.sku);
        CHECK(kiosk.log.back() ==
              kiosk.config.path + ": kiosk.products names " + kTea.sku + ", which is not in the hub's catalog; keeping this shelf");
    }
}

TEST_CASE("a ledger that cannot be opened fails the answer visibly, never silently", "[kiosk_session]") {
    Kiosk kiosk;
    kiosk.session.reset();
    kiosk.config.db_path = kiosk.dir.file("no-such-dir/kiosk.db");
    app::ShelfChoice shelf;
    shelf.products = {kGranola};
    app::KioskSessionOptions options;
    std::vector<std::string> log;
    options.log = [&log](const std::string& line) { log.push_back(line); };
    app::KioskSession session(kiosk.config, shelf, {}, options);
    session.flow().touch_attract(kiosk.now);
    session.flow().tap_reaction(core::Reaction::Unhappy, kiosk.now + 2s);
    session.flow().skip(kiosk.now + 3s);
    session.flow().skip(kiosk.now + 4s);
    for (int i = 0; i < 500 && session.flow().session().answers.error().empty(); ++i) {
        session.poll(kiosk.now + 5s);
        std::this_thread::sleep_for(10ms);
    }
    CHECK(session.flow().step() == FmotStep::Saving);
    CHECK_FALSE(session.flow().session().answers.error().empty());
    REQUIRE_FALSE(log.empty());
    CHECK(log.front().find("was not saved") != std::string::npos);
}

TEST_CASE("post-purchase through the kiosk session: a scanned receipt, the ledger, the attract screen after", "[kiosk_session][post_purchase]") {
    Kiosk kiosk;
    kiosk.config.receipt_pattern = "R[0-9]{10}";
    app::HubConfig hub;
    hub.products = {kGranola, kChocolate};
    hub.receipt_key = core::ReceiptKey::generate().value();
    hub.offers = {{kChocolate.sku, "10% off your next bar", "en"}};
    kiosk.session->install_shelf(hub);
    app::KioskSession& session = *kiosk.session;
    app::PostPurchaseFlow& flow = session.post_purchase();
    REQUIRE(flow.has_receipt_key());

    session.flow().choose_language("fa", kiosk.now);   // a language tap: the product grid
    session.flow().pick_product(kGranola.sku, kiosk.now);  // on the first moment's questions a receipt is no product
    session.scan_barcode("R0123456789", kiosk.now);
    CHECK(session.unknown_barcode_shown());
    CHECK_FALSE(flow.active());
    session.flow().back(kiosk.now);  // back to the grid: from there the receipt leads to the post-purchase flow

    session.scan_barcode("R0123456789", kiosk.now += 1s);
    REQUIRE(flow.active());
    CHECK(flow.session().locale == "fa");  // the language the shopper chose
    REQUIRE(session.flow().step() == FmotStep::Attract);  // the first-moment session ended at the grid
    CHECK(session.flow().locale() == "en");
    CHECK(flow.step() == app::PostPurchaseStep::ProductPick);
    session.scan_barcode(kChocolate.sku, kiosk.now += 1s);  // the product by scanner
    flow.rate(1, kiosk.now += 1s);
    for (int i = 0; i < 5; ++i) flow.skip(kiosk.now += 1s);
    CHECK(flow.step() == app::PostPurchaseStep::Saving);
    kiosk.poll_until([&] { return flow.step() == app::PostPurchaseStep::Sorry; });
    REQUIRE(flow.session().sorry_card);
    CHECK(flow.session().sorry_card->offer_text == "10% off your next bar");
    REQUIRE(session.next_deadline(kiosk.now));
    CHECK(*session.next_deadline(kiosk.now) <= kiosk.now + 30s);
    CHECK(session.poll(kiosk.now += 31s).redraw);
    CHECK_FALSE(flow.active());

    kiosk.poll_until([&] { return kiosk.ledger_events().size() == 7; });
    const auto events = kiosk.ledger_events();
    CHECK(types_of(events) == std::vector<std::string>{"session.start", "session.end", "session.start", "smot.feedback",
                                                       "pain.reported", "sorry.card", "session.end"});
    CHECK(events[1].data["outcome"] == "abandoned");
    CHECK(events[1].data["last_step"] == "product_pick");
    CHECK(events[2].data["entry"] == "receipt_scan");
    CHECK(events[3].data["receipt_hash"] == core::receipt_hash(*hub.receipt_key, "R0123456789"));
    CHECK(events[3].sku == kChocolate.sku);
    CHECK(events[5].data["code"] == core::sorry_card_code(*hub.receipt_key, events[5].data["card_id"].get<std::string>()));
}

TEST_CASE("approved reviews from the hub take turns on the attract screen, each for its own product",
          "[kiosk_session][reviews]") {
    app::ShelfInbox inbox;
    Kiosk kiosk({}, {nullptr, &inbox});
    app::KioskSession& session = *kiosk.session;
    CHECK(session.review_on_show(kGranola.sku, kiosk.now) == nullptr);  // the local catalog has none

    app::HubConfig hub;
    hub.products = {kGranola, kChocolate};
    hub.drivers = {app::Driver::Price};
    hub.why_not = {app::WhyNot::Price};
    hub.reviews = {{kGranola.sku, "Crunchy and not too sweet", 5, "en"},
                   {kChocolate.sku, "خیلی خوشمزه بود", 4, "fa"},
                   {kGranola.sku, "Πολύ καλή ποιότητα", 4, "el"}};
    inbox.post(hub);
    auto changes = session.poll(kiosk.now);
    REQUIRE(changes.shelf_to_prepare);
    session.install_shelf(std::move(*changes.shelf_to_prepare));

    const auto at = [&](int seconds) { return kiosk.now + std::chrono::seconds(seconds); };
    const core::ConfigReview* first = session.review_on_show(kGranola.sku, at(0));
    REQUIRE(first != nullptr);
    const core::ConfigReview* second = session.review_on_show(kGranola.sku, at(5));
    REQUIRE(second != nullptr);
    CHECK(first->text != second->text);  // the product's two reviews take turns every five seconds
    CHECK(session.review_on_show(kGranola.sku, at(10))->text == first->text);
    for (int seconds = 0; seconds < 20; seconds += 5) {
        CHECK(session.review_on_show(kGranola.sku, at(seconds))->sku == kGranola.sku);
        CHECK(session.review_on_show(kChocolate.sku, at(seconds))->text == "خیلی خوشمزه بود");
    }
    CHECK(session.review_on_show(kTea.sku, at(0)) == nullptr);
    CHECK(session.reviews().size() == 3);
}

TEST_CASE("a shopper who chose a language reaches the post-purchase questions from the product grid",
          "[kiosk_session][post_purchase]") {
    Kiosk kiosk;
    app::KioskSession& session = *kiosk.session;
    session.flow().choose_language("fa", kiosk.now);
    REQUIRE(session.flow().step() == FmotStep::ProductPick);
    session.start_post_purchase(kiosk.now += 1s);
    REQUIRE(session.post_purchase().active());
    CHECK(session.post_purchase().session().locale == "fa");
    CHECK(session.flow().step() == FmotStep::Attract);

    SECTION("not once the first moment's questions have begun") {
        session.post_purchase().back(kiosk.now += 1s);  // no receipt key: the receipt step is skipped; back leaves
        session.post_purchase().back(kiosk.now += 1s);
        REQUIRE_FALSE(session.post_purchase().active());
        session.flow().touch_attract(kiosk.now += 1s);
        session.flow().pick_product(kGranola.sku, kiosk.now += 1s);
        REQUIRE(session.flow().step() == FmotStep::Reaction);
        session.start_post_purchase(kiosk.now += 1s);
        CHECK_FALSE(session.post_purchase().active());
        CHECK(session.flow().step() == FmotStep::Reaction);
    }
}

TEST_CASE("staff log against the product they chose while the attract screen turns", "[kiosk_session]") {
    Kiosk kiosk({}, {}, app::hash_staff_pin("2468"));
    app::KioskSession& session = *kiosk.session;
    app::StaffMode& staff = session.staff();
    session.staff_corner_held(kiosk.now);
    for (char digit : std::string("2468")) staff.press_digit(digit, kiosk.now);
    session.submit_pin(kiosk.now);
    kiosk.poll_until([&] { return staff.step() == StaffStep::Menu; });

    session.scan_barcode(kChocolate.sku, kiosk.now);  // the product staff are watching
    CHECK(staff.chosen_sku() == kChocolate.sku);
    CHECK(session.flow().step() == FmotStep::Attract);  // no shopper session began
    CHECK_FALSE(session.unknown_barcode_shown());

    std::set<std::string> on_show;
    for (int i = 0; i < 5; ++i) {
        session.poll(kiosk.now += 7s);
        on_show.insert(session.flow().attract_product(kiosk.now).sku);
        staff.log_shelf("picked_up", kiosk.now);
    }
    CHECK(on_show.size() == 2);  // the attract screen turned under the menu
    CHECK(staff.tally(kChocolate.sku, "picked_up") == 5);

    session.scan_barcode("0000000000000", kiosk.now);  // not on this shelf: the notice, the choice stays
    CHECK(session.unknown_barcode_shown());
    CHECK(staff.chosen_sku() == kChocolate.sku);

    kiosk.poll_until([&] { return kiosk.ledger_events().size() == 6; });
    const auto events = kiosk.ledger_events();
    for (std::size_t i = 1; i < events.size(); ++i) {
        CHECK(events[i].type == core::EventType::StaffShelf);
        CHECK(events[i].sku == kChocolate.sku);
    }
}

TEST_CASE("what shoppers just said is read from the ledger while its page shows", "[kiosk_session]") {
    Kiosk kiosk({}, {}, app::hash_staff_pin("2468"));
    app::KioskSession& session = *kiosk.session;
    app::StaffMode& staff = session.staff();
    // A shopper's low rating, through the session's own recorder.
    app::PostPurchaseFlow& purchase = session.post_purchase();
    session.start_post_purchase(kiosk.now);
    REQUIRE(purchase.active());
    kiosk.poll_until([&] { return kiosk.ledger_events().size() >= 1; });
    session.staff_corner_held(kiosk.now);
    for (char digit : std::string("2468")) staff.press_digit(digit, kiosk.now);
    session.submit_pin(kiosk.now);
    kiosk.poll_until([&] { return staff.step() == StaffStep::Menu; });
    CHECK_FALSE(session.shopper_reports_read());  // not read while the page is not shown

    staff.show_page(app::StaffPage::ShoppersSaid, kiosk.now);
    kiosk.poll_until([&] { return session.shopper_reports_read(); });
    CHECK(session.shopper_reports().empty());
    CHECK(session.shopper_reports_error().empty());
    REQUIRE(session.next_deadline(kiosk.now));
    CHECK(*session.next_deadline(kiosk.now) <= kiosk.now + 5s);  // read again every few seconds
}

namespace {

core::ConfigAlert hub_alert(std::string rule, std::string state, std::string kiosk = {}) {
    core::ConfigAlert alert;
    alert.id = "018f0000-0000-7000-8000-000000000001";
    alert.rule = std::move(rule);
    alert.state = std::move(state);
    alert.kiosk_id = std::move(kiosk);
    alert.summary = "as the hub says it";
    return alert;
}

}  // namespace

TEST_CASE("the hub's alerts reach staff mode with the configuration, at once, even mid-session", "[kiosk_session][alerts]") {
    app::ShelfInbox inbox;
    Kiosk kiosk({}, {nullptr, &inbox});
    app::KioskSession& session = *kiosk.session;
    CHECK(session.hub_alerts().empty());
    app::HubConfig hub;
    hub.products = {kGranola, kChocolate};
    hub.drivers = {app::Driver::Price};
    hub.why_not = {app::WhyNot::Price};
    hub.alerts = {hub_alert("pain", "open"), hub_alert("kiosk_silent", "acknowledged", "k-7")};

    session.flow().touch_attract(kiosk.now);  // a shopper is answering: the shelf waits, the alerts do not
    inbox.post(hub);
    auto changes = session.poll(kiosk.now);
    REQUIRE(changes.shelf_to_prepare);
    session.install_shelf(std::move(*changes.shelf_to_prepare));
    REQUIRE(session.hub_alerts().size() == 2);
    CHECK(session.hub_alerts()[0].rule == "pain");
    CHECK(session.hub_alerts()[1].kiosk_id == "k-7");
    CHECK(kiosk.log.back() == "new shelf from the hub: 2 products (after this shopper); open alerts for this store: 2");

    hub.alerts.clear();  // the manager closed both
    inbox.post(hub);
    changes = session.poll(kiosk.now);
    REQUIRE(changes.shelf_to_prepare);
    session.install_shelf(std::move(*changes.shelf_to_prepare));
    CHECK(session.hub_alerts().empty());
}

TEST_CASE("a saved configuration's alerts are there from the start", "[kiosk_session][alerts]") {
    testing::TempDir dir;
    app::KioskConfig config;
    config.kiosk_id = "k-1";
    config.store_id = "s-1";
    config.db_path = dir.file("kiosk.db");
    app::ShelfChoice shelf;
    shelf.products = {kGranola};
    shelf.hub = app::HubConfig{};
    shelf.hub->products = {kGranola};
    shelf.hub->drivers = {app::Driver::Price};
    shelf.hub->why_not = {app::WhyNot::Price};
    shelf.hub->alerts = {hub_alert("kiosk_backlog", "open", "k-2")};
    app::KioskSessionOptions options;
    options.log = [](const std::string&) {};
    app::KioskSession session(config, shelf, {}, options);
    REQUIRE(session.hub_alerts().size() == 1);
    CHECK(session.hub_alerts()[0].kiosk_id == "k-2");
}

TEST_CASE("staff mode words each alert's rule and state for staff", "[hub_alerts]") {
    auto unhappy = hub_alert("unhappy_share", "open");
    unhappy.window_minutes = 15;
    const auto many = app::alert_headline(unhappy);
    CHECK(std::string(many.msgid) == "Many unhappy shoppers in the last %d minutes");
    CHECK(many.count == 15);
    unhappy.window_minutes = 0;
    CHECK(std::string(app::alert_headline(unhappy).msgid) == "Many unhappy shoppers lately");

    auto pain = hub_alert("pain", "open");
    CHECK(std::string(app::alert_headline(pain).msgid) == "A shopper reported pain");
    pain.times_fired = 4;
    CHECK(std::string(app::alert_headline(pain).msgid) == "Shoppers reported pain %d times");
    CHECK(app::alert_headline(pain).count == 4);

    const auto silent = app::alert_headline(hub_alert("kiosk_silent", "open", "k-7"));
    CHECK(std::string(silent.msgid) == "Kiosk %s is silent");
    CHECK(silent.kiosk_id == "k-7");
    const auto backlog = app::alert_headline(hub_alert("kiosk_backlog", "open", "k-7"));
    CHECK(std::string(backlog.msgid) == "Kiosk %s cannot send its answers");
    CHECK(backlog.kiosk_id == "k-7");
    CHECK(std::string(app::alert_headline(hub_alert("stock_out", "open")).msgid) == "An alert from the hub");

    CHECK(std::string(app::alert_state_msgid(hub_alert("pain", "open"))) == "Waiting for a manager");
    CHECK(std::string(app::alert_state_msgid(hub_alert("pain", "acknowledged"))) == "A manager is on it");

    // Every text it returns is one the catalogs translate.
    const auto listed = [](const char* msgid) {
        return std::any_of(app::kHubAlertMsgids.begin(), app::kHubAlertMsgids.end(),
                           [&](const char* known) { return std::string(known) == msgid; });
    };
    for (const char* rule : {"unhappy_share", "pain", "kiosk_silent", "kiosk_backlog", "other"}) {
        for (const char* state : {"open", "acknowledged"}) {
            auto alert = hub_alert(rule, state, "k-1");
            for (const std::int64_t n : {0, 1, 5}) {
                alert.window_minutes = n;
                alert.times_fired = std::max<std::int64_t>(n, 1);
                CHECK(listed(app::alert_headline(alert).msgid));
                CHECK(listed(app::alert_state_msgid(alert)));
            }
        }
    }
}
