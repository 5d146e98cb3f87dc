// KioskSession: the flows, their workers and the shelf, polled once per window loop.
#include "truthpoint/app/kiosk_session.hpp"

#include <algorithm>
#include <cstdio>

#include "truthpoint/app/shelf.hpp"

namespace truthpoint::app {

using std::chrono::milliseconds;

FmotTimings fmot_timings_for(const KioskConfig& config) {
    FmotTimings timings;
    timings.idle_reset = std::chrono::seconds(config.idle_reset_seconds);
    timings.idle_warning = std::min<milliseconds>(milliseconds(10000), timings.idle_reset / 3);
    return timings;
}

PostPurchaseTimings post_purchase_timings_for(const KioskConfig& config) {
    PostPurchaseTimings timings;
    timings.idle_reset = std::chrono::seconds(config.idle_reset_seconds);
    timings.idle_warning = std::min<milliseconds>(milliseconds(10000), timings.idle_reset / 3);
    return timings;
}

PostPurchaseSettings post_purchase_settings(const KioskConfig& config, const HubConfig* hub) {
    PostPurchaseSettings settings;
    settings.receipt_pattern = config.receipt_pattern;
    if (hub) {
        settings.receipt_key = hub->receipt_key;
        settings.earlier_receipt_key = hub->earlier_receipt_key;
        settings.sorry_card = hub->sorry_card;
        settings.offers = hub->offers;
    }
    return settings;
}

std::vector<std::string> unique_languages(const std::vector<std::string>& configured) {
    std::vector<std::string> languages;
    for (const std::string& language : configured) {
        if (std::find(languages.begin(), languages.end(), language) == languages.end()) languages.push_back(language);
    }
    if (languages.empty()) languages.push_back("en");
    return languages;
}

namespace {

std::optional<core::Timestamp> earliest(std::optional<core::Timestamp> a, std::optional<core::Timestamp> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

}  // namespace

KioskSession::KioskSession(const KioskConfig& config, ShelfChoice shelf, KioskServices services,
                           KioskSessionOptions options)
    : config_(config),
      services_(services),
      options_(std::move(options)),
      languages_(unique_languages(config.languages)),
      recorder_(config.db_path, options_.wake),
      flow_(recorder_, ids_, std::move(shelf.products), languages_.front(),
            options_.fmot.value_or(fmot_timings_for(config))),
      post_purchase_(recorder_, ids_, flow_.shelf(), post_purchase_settings(config, shelf.hub ? &*shelf.hub : nullptr),
                     options_.post_purchase.value_or(post_purchase_timings_for(config))),
      staff_(recorder_, ids_, !config.staff_pin_hash.empty(), options_.staff),
      pin_checker_(config.staff_pin_hash, options_.wake),
      report_reader_(config.db_path, options_.wake) {
    if (shelf.hub) {
        flow_.replace_shelf(flow_.shelf(), shelf.hub->drivers, shelf.hub->why_not);
        reviews_ = shelf.hub->reviews;
        hub_alerts_ = shelf.hub->alerts;
    }
    if (services_.shelf_updates) services_.shelf_updates->set_on_post(options_.wake);
    if (services_.sync) services_.sync->set_wake(options_.wake);
}

KioskSession::~KioskSession() {
    // The wake-ups may point into the window, which goes first.
    if (services_.shelf_updates) services_.shelf_updates->set_on_post({});
    if (services_.sync) services_.sync->set_wake({});
    recorder_.set_wake({});
    pin_checker_.set_wake({});
    report_reader_.set_wake({});
}

void KioskSession::log(const std::string& message) const {
    if (options_.log) {
        options_.log(message);
    } else {
        std::fprintf(stderr, "truthpoint-kiosk: %s\n", message.c_str());
    }
}

void KioskSession::staff_corner_held(core::Timestamp now) {
    if (!staff_.active()) staff_.open_pin_pad(now);
}

void KioskSession::scan_barcode(const std::string& code, core::Timestamp now) {
    bool used = false;
    if (staff_.active()) {
        // Staff scan the product they are watching: the shelf log's product. Nothing reaches the shoppers' flow.
        const auto& shelf = flow_.shelf();
        used = staff_.step() == StaffStep::Menu &&
               std::any_of(shelf.begin(), shelf.end(), [&](const Product& product) { return product.sku == code; });
        if (used) staff_.choose_product(code, now);
    } else if (post_purchase_.active()) {
        used = post_purchase_.scan(code, now);
    } else if (post_purchase_.is_receipt_code(code)) {
        // A receipt in the middle of a first-moment session names no product: it is not used there.
        if (const auto locale = leave_fmot_for_post_purchase(now)) {
            post_purchase_.start_with_scanned_receipt(code, *locale, now);
            used = true;
        }
    } else {
        used = flow_.scan_barcode(code, now);
    }
    if (!used) notice_until_ = now + options_.unknown_barcode_notice;
}

void KioskSession::start_post_purchase(core::Timestamp now) {
    if (const auto locale = leave_fmot_for_post_purchase(now)) post_purchase_.start(*locale, now);
}

// A shopper may go to the post-purchase flow from the attract screen, or from the product grid a language
// tap led to (before any answer: that first-moment session ends abandoned at the pick, as a Back would
// end it). Returns the shopper's language, or nullopt where the switch is not offered.
std::optional<std::string> KioskSession::leave_fmot_for_post_purchase(core::Timestamp now) {
    if (flow_.step() == FmotStep::Attract) return flow_.locale();
    if (flow_.step() != FmotStep::ProductPick) return std::nullopt;
    std::string locale = flow_.locale();
    flow_.back(now);
    return locale;
}

void KioskSession::submit_pin(core::Timestamp now) {
    if (auto pin = staff_.submit(now)) pin_checker_.check(std::move(*pin));
}

void KioskSession::sync_now(core::Timestamp now) {
    if (!services_.sync) return;
    services_.sync->sync_now();
    services_.sync->request_view();  // show "sending now" without waiting for the next refresh
    sync_view_requested_at_ = now;
    sync_asked_at_ = now;
}

KioskSession::Changes KioskSession::poll(core::Timestamp now) {
    Changes changes;
    take_commits(changes, now);
    if (const auto correct = pin_checker_.take_result()) {
        staff_.pin_checked(*correct, now);
        changes.redraw = true;
    }
    if (notice_until_ && now >= *notice_until_) {
        notice_until_.reset();
        changes.redraw = true;
    }
    take_hub_shelf(changes);
    refresh_sync_view(changes, now);
    refresh_shopper_reports(changes, now);
    // Every one ticks, whatever the others say.
    const bool fmot_changed = flow_.tick(now);
    const bool post_purchase_changed = post_purchase_.tick(now);
    const bool staff_changed = staff_.tick(now);
    if (fmot_changed || post_purchase_changed || staff_changed) changes.redraw = true;
    if (waiting_shelf_ && flow_.step() == FmotStep::Attract) {  // the flow applied it at its reset
        waiting_shelf_.reset();
        changes.release_pictures = true;
    }
    return changes;
}

void KioskSession::take_commits(Changes& changes, core::Timestamp now) {
    const auto results = recorder_.take_results();
    for (const Commit& result : results) {
        if (result.status) {
            flow_.event_committed(result.event_id, now);
            post_purchase_.event_committed(result.event_id, now);
        } else {
            // Not swallowed: the flow shows it on the saving screen; staff see it in the log.
            const std::string& error = result.status.error().message;
            log("event " + result.event_id + " was not saved: " + error);
            flow_.event_failed(result.event_id, error, now);
            post_purchase_.event_failed(result.event_id, error, now);
        }
    }
    if (!results.empty()) changes.settle = true;
}

void KioskSession::take_hub_shelf(Changes& changes) {
    if (!services_.shelf_updates) return;
    auto config = services_.shelf_updates->take_latest();
    if (!config) return;
    auto shelf = narrow_shelf(config->products, config_, "the hub's catalog");
    if (!shelf) {
        log(shelf.error().message + "; keeping this shelf");
        return;
    }
    config->products = std::move(shelf.value());
    changes.shelf_to_prepare = std::move(*config);
}

void KioskSession::install_shelf(HubConfig config) {
    const bool now_applies = flow_.step() == FmotStep::Attract;
    if (!now_applies) waiting_shelf_ = config.products;
    post_purchase_.replace(config.products, post_purchase_settings(config_, &config));
    reviews_ = std::move(config.reviews);
    hub_alerts_ = std::move(config.alerts);
    flow_.replace_shelf(std::move(config.products), std::move(config.drivers), std::move(config.why_not));
    log("new shelf from the hub: " + std::to_string((waiting_shelf_ ? *waiting_shelf_ : flow_.shelf()).size()) +
        " products" + (now_applies ? "" : " (after this shopper)") + "; open alerts for this store: " +
        std::to_string(hub_alerts_.size()));
}

const core::ConfigReview* KioskSession::review_on_show(const std::string& sku, core::Timestamp now,
                                                      std::chrono::milliseconds period) const {
    std::vector<const core::ConfigReview*> of_product;
    for (const core::ConfigReview& review : reviews_) {
        if (review.sku == sku) of_product.push_back(&review);
    }
    if (of_product.empty()) return nullptr;
    const auto turn = now.time_since_epoch() / period;
    return of_product[static_cast<std::size_t>(turn) % of_product.size()];
}

std::vector<Product> KioskSession::pictures_to_keep() const {
    std::vector<Product> keep = flow_.shelf();
    if (waiting_shelf_) keep.insert(keep.end(), waiting_shelf_->begin(), waiting_shelf_->end());
    return keep;
}

namespace {

// A page that shows something read off this thread asks again every `period`: at once the first time,
// and at once when the clock went back.
bool refresh_due(const std::optional<core::Timestamp>& requested_at, core::Timestamp now, milliseconds period) {
    return !requested_at || now < *requested_at || now - *requested_at >= period;
}

}  // namespace

// While the staff menu is open, a fresh view of the uploader about once a second, put together on the
// runtime's thread; it is requested as soon as the menu opens.
void KioskSession::refresh_sync_view(Changes& changes, core::Timestamp now) {
    if (!services_.sync) return;
    if (auto view = services_.sync->take_view()) {
        sync_view_ = std::move(*view);
        // The pass asked for has begun (the view shows it running) or is over: the button is live again.
        if (sync_asked_at_ && (sync_view_.running || (sync_view_.last_attempt && *sync_view_.last_attempt >= *sync_asked_at_))) {
            sync_asked_at_.reset();
        }
        changes.redraw = true;
    }
    if (sync_asked_at_ && (now < *sync_asked_at_ || now - *sync_asked_at_ >= std::chrono::seconds(10))) {
        sync_asked_at_.reset();  // an uploader that does not answer: let staff ask again
        changes.redraw = true;
    }
    if (!staff_.active() || staff_.step() != StaffStep::Menu) {
        sync_view_requested_at_.reset();
        return;
    }
    if (refresh_due(sync_view_requested_at_, now, options_.sync_view_refresh)) {
        services_.sync->request_view();
        sync_view_requested_at_ = now;
    }
}

// While "What shoppers just said" shows, the ledger is read again every few seconds, off this thread.
void KioskSession::refresh_shopper_reports(Changes& changes, core::Timestamp now) {
    if (auto result = report_reader_.take_result()) {
        shopper_reports_read_ = true;
        if (result->ok()) {
            shopper_reports_ = std::move(result->value());
            shopper_reports_error_.clear();
        } else {
            shopper_reports_error_ = result->error().message;
            log(shopper_reports_error_);
        }
        changes.redraw = true;
    }
    if (staff_.step() != StaffStep::Menu || staff_.page() != StaffPage::ShoppersSaid) {
        reports_requested_at_.reset();
        return;
    }
    if (refresh_due(reports_requested_at_, now, options_.shopper_reports_refresh)) {
        report_reader_.request(start_of_local_day(now));
        reports_requested_at_ = now;
    }
}

std::optional<core::Timestamp> KioskSession::next_deadline(core::Timestamp now) const {
    auto deadline = earliest(earliest(flow_.next_deadline(now), post_purchase_.next_deadline(now)), staff_.next_deadline());
    if (notice_until_) deadline = earliest(deadline, *notice_until_);
    if (sync_view_requested_at_) deadline = earliest(deadline, *sync_view_requested_at_ + options_.sync_view_refresh);
    if (reports_requested_at_) deadline = earliest(deadline, *reports_requested_at_ + options_.shopper_reports_refresh);
    return deadline;
}

}  // namespace truthpoint::app
