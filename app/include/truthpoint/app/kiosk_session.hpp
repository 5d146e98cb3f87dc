// The kiosk without its window: the shopper flow, staff mode, the recorder that commits their events,
// the PIN checker, the shelf (the one shown, the one waiting for the shopper to finish, one narrowing
// policy), the unknown-barcode notice and staff mode's view of the uploader. The window turns input
// into the intents below, draws what it reads here and calls poll() once per loop. No SDL, no ImGui:
// a test drives whole sessions with a fake clock.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/event_recorder.hpp"
#include "truthpoint/app/fmot_flow.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/kiosk_services.hpp"
#include "truthpoint/app/post_purchase_flow.hpp"
#include "truthpoint/app/shopper_reports.hpp"
#include "truthpoint/app/staff_mode.hpp"

namespace truthpoint::app {

struct KioskSessionOptions {
    std::optional<FmotTimings> fmot;  // default: fmot_timings_for(config)
    std::optional<PostPurchaseTimings> post_purchase;  // default: post_purchase_timings_for(config)
    StaffTimings staff;
    std::chrono::milliseconds unknown_barcode_notice{3000};
    std::chrono::milliseconds sync_view_refresh{1000};  // while the staff menu shows the uploader
    std::chrono::milliseconds shopper_reports_refresh{5000};
    std::string version;  // the program's, for staff mode's health page  // while staff read "What shoppers just said"
    // Every worker's wake-up (recorder, PIN check, uploader view, hub shelf): runs on their threads,
    // outside their locks. The window pushes an event that ends its wait.
    std::function<void()> wake;
    // Where the session reports what a person should know of (a refused shelf, an unsaved event).
    std::function<void(const std::string&)> log;  // default: stderr, "truthpoint-kiosk: " first
};

// The flow's timers for a configuration: [kiosk] idle_reset_seconds, with ten seconds of warning but
// never most of a short idle time.
FmotTimings fmot_timings_for(const KioskConfig& config);
PostPurchaseTimings post_purchase_timings_for(const KioskConfig& config);
// The post-purchase flow's settings: [kiosk] receipt_pattern, and the receipt key, sorry-card rule and
// offers of the hub's configuration when there is one (without it: no key, so no receipt is asked).
PostPurchaseSettings post_purchase_settings(const KioskConfig& config, const HubConfig* hub);

// The configured languages in order, each once; English when none is configured.
std::vector<std::string> unique_languages(const std::vector<std::string>& configured);

class KioskSession {
public:
    KioskSession(const KioskConfig& config, ShelfChoice shelf, KioskServices services = {},
                 KioskSessionOptions options = {});
    ~KioskSession();  // commits every event already recorded, then stops the workers
    KioskSession(const KioskSession&) = delete;
    KioskSession& operator=(const KioskSession&) = delete;

    FmotFlow& flow() { return flow_; }
    const FmotFlow& flow() const { return flow_; }
    // The post-purchase flow: while it is active() its screens replace the FMOT flow's.
    PostPurchaseFlow& post_purchase() { return post_purchase_; }
    const PostPurchaseFlow& post_purchase() const { return post_purchase_; }
    StaffMode& staff() { return staff_; }
    const StaffMode& staff() const { return staff_; }
    const std::vector<std::string>& languages() const { return languages_; }

    // Intents the window forwards besides the flows' own.
    void staff_corner_held(core::Timestamp now);             // the hidden gesture: the PIN pad
    // A receipt code (by [kiosk] receipt_pattern) on the attract screen starts the post-purchase flow; a
    // product starts FMOT; inside the post-purchase flow a code answers its receipt or product step.
    // Unknown codes raise the notice.
    void scan_barcode(const std::string& code, core::Timestamp now);
    // The second call to action, "Already bought it? Tell us how it went": on the attract screen, and on
    // the product grid a language tap leads to (that first-moment session then ends, abandoned at the pick).
    void start_post_purchase(core::Timestamp now);
    void submit_pin(core::Timestamp now);                    // the pad's OK: checked off this thread
    void sync_now(core::Timestamp now);                      // staff's "Sync now"

    // What changed since the last poll, for the window.
    struct Changes {
        bool redraw = false;   // the screen may show something else
        bool settle = false;   // ledger results arrived: one more frame shows their outcome
        // A new shelf from the hub, already narrowed: the window prepares its pictures off the UI thread,
        // then hands it back through install_shelf().
        std::optional<HubConfig> shelf_to_prepare;
        bool release_pictures = false;  // the shelf shown changed: keep only pictures_to_keep()
    };
    // Drains every worker's results, advances the timers. Never blocks.
    Changes poll(core::Timestamp now);
    // The next moment something must change on screen, after `now`; the window sleeps until then.
    std::optional<core::Timestamp> next_deadline(core::Timestamp now) const;

    // A prepared shelf: applied now on the attract screen, else when this shopper's session ends.
    void install_shelf(HubConfig config);
    // The products whose pictures the window must keep: the shelf shown and the one waiting.
    std::vector<Product> pictures_to_keep() const;

    // An approved review of `sku` for the attract screen, from the hub's configuration; several take turns
    // every `period`. nullptr when the product has none.
    const core::ConfigReview* review_on_show(const std::string& sku, core::Timestamp now,
                                             std::chrono::milliseconds period = std::chrono::seconds(5)) const;
    // Every approved review the configuration holds now (the window collects their glyphs).
    const std::vector<core::ConfigReview>& reviews() const { return reviews_; }
    // The store's open alerts as of the hub's last configuration, newest first (staff mode shows them).
    const std::vector<core::ConfigAlert>& hub_alerts() const { return hub_alerts_; }

    bool unknown_barcode_shown() const { return notice_until_.has_value(); }
    bool has_uploader() const { return services_.sync != nullptr; }
    const KioskConfig& config() const { return config_; }
    const std::string& version() const { return options_.version; }
    // From "Sync now" until the uploader shows it is sending (or a few seconds): the button waits.
    bool sync_asked() const { return sync_asked_at_.has_value(); }
    const SyncView& sync_view() const { return sync_view_; }
    // Today's pains at this kiosk, newest first, as last read from the ledger; the error if it could not be.
    const std::vector<ShopperReport>& shopper_reports() const { return shopper_reports_; }
    const std::string& shopper_reports_error() const { return shopper_reports_error_; }
    bool shopper_reports_read() const { return shopper_reports_read_; }  // false until the first read returns
    bool exit_requested() const { return staff_.exit_requested(); }

private:
    std::optional<std::string> leave_fmot_for_post_purchase(core::Timestamp now);
    void take_commits(Changes& changes, core::Timestamp now);
    void take_hub_shelf(Changes& changes);
    void refresh_sync_view(Changes& changes, core::Timestamp now);
    void refresh_shopper_reports(Changes& changes, core::Timestamp now);
    void log(const std::string& message) const;

    const KioskConfig& config_;
    KioskServices services_;
    KioskSessionOptions options_;
    std::vector<std::string> languages_;
    core::UuidV7Generator ids_;
    EventRecorder recorder_;  // outlives the flows that record into it
    FmotFlow flow_;
    PostPurchaseFlow post_purchase_;
    StaffMode staff_;
    StaffPinChecker pin_checker_;
    std::vector<core::ConfigReview> reviews_;  // approved by the hub: shown on the attract screen
    std::vector<core::ConfigAlert> hub_alerts_;  // replaced at once, whatever the shopper is doing
    std::optional<std::vector<Product>> waiting_shelf_;  // installed, not yet applied by the flow
    std::optional<core::Timestamp> notice_until_;
    SyncView sync_view_;
    std::optional<core::Timestamp> sync_view_requested_at_;
    std::optional<core::Timestamp> sync_asked_at_;
    ShopperReportReader report_reader_;
    std::vector<ShopperReport> shopper_reports_;
    std::string shopper_reports_error_;
    bool shopper_reports_read_ = false;
    std::optional<core::Timestamp> reports_requested_at_;
};

}  // namespace truthpoint::app
