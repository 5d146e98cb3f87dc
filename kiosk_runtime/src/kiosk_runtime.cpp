// KioskRuntime: the uploader and the config poller, wired to the session's mailboxes.
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"

#include <cstdio>

#include "service_watchdog.hpp"
#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/kiosk_runtime/config_apply.hpp"
#include "truthpoint/sync/config_pull.hpp"

namespace truthpoint::kiosk_runtime {

sync::TransportOptions transport_options(const app::KioskConfig& config) {
    sync::TransportOptions options;
    options.ca_file = config.hub_ca_file;
    options.pinned_public_key = config.hub_pinned_public_key;
    return options;
}

sync::ExpectedKiosk expected_kiosk(const app::KioskConfig& config) {
    return {config.kiosk_id, config.store_id, config.path};
}

sync::BackgroundSyncOptions uploader_options(const app::KioskConfig& config, std::string version) {
    sync::BackgroundSyncOptions options;
    options.interval = std::chrono::seconds(config.sync_interval_seconds);
    options.version = std::move(version);
    options.retention = std::chrono::hours(24 * config.keep_delivered_days);
    options.expected_kiosk = expected_kiosk(config);
    return options;
}

namespace {

void log_line(const std::string& message) { std::fprintf(stderr, "truthpoint-kiosk: %s\n", message.c_str()); }

}  // namespace

KioskRuntime::KioskRuntime(const app::KioskConfig& config, std::string version) {
    sync::BackgroundSyncOptions options = uploader_options(config, std::move(version));
    // The next pull sends the saved document's ETag, so an unchanged configuration costs a 304.
    const auto saved = app::load_hub_config(app::hub_config_path(config), app::hub_config_images_dir(config));
    const std::string etag = saved && saved.value() ? saved.value()->etag : "";
    options.after_push = sync::ConfigPoller(etag, [&config, this](const sync::ConfigPull& pull) {
        return apply_config_pull(pull, config, shelf_updates_, log_line);
    });
    uploader_ = std::make_unique<sync::BackgroundSync>(
        [&config] { return app::open_ledger_outbox(config.db_path); },
        sync::HubEndpoint{config.hub_url, config.hub_token}, transport_options(config), std::move(options));
    control_ = std::make_unique<UploaderControl>(config, *uploader_);
    watchdog_ = std::make_unique<ServiceWatchdog>(heartbeat_);
}

KioskRuntime::~KioskRuntime() {
    watchdog_.reset();  // STOPPING=1 first: systemd then expects no more proof of life
    control_.reset();
    uploader_.reset();
}

}  // namespace truthpoint::kiosk_runtime
