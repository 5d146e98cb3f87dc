// The kiosk's subcommands: sync, status, simulate, set-pin.
#include "truthpoint/kiosk_runtime/commands.hpp"

#include "truthpoint/app/hub_config.hpp"
#include "truthpoint/app/kiosk_session.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/shelf.hpp"
#include "truthpoint/app/simulate.hpp"
#include "truthpoint/app/staff_mode.hpp"
#include "truthpoint/app/status_report.hpp"
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"
#include "truthpoint/sync/kiosk_identity.hpp"
#include "truthpoint/sync/uploader.hpp"

namespace truthpoint::kiosk_runtime {

namespace {

// The ledger's failure said on `err`, as every command says it.
int ledger_failed(const core::Error& error, std::ostream& err) {
    err << "truthpoint-kiosk: " << error.message << "\n";
    return 1;
}

}  // namespace

int sync_command(const app::KioskConfig& config, std::ostream& out, std::ostream& err) {
    auto ledger = app::Ledger::open_existing(config.db_path);
    if (!ledger) return ledger_failed(ledger.error(), err);
    sync::HubClient client({config.hub_url, config.hub_token}, transport_options(config));
    sync::IdentityCheck identity(expected_kiosk(config));  // sends nothing under another kiosk's name
    const sync::SyncReport report = sync::push_pending(*ledger, client, {}, nullptr, &identity);
    const auto status = ledger->status();
    if (!status) return ledger_failed(status.error(), err);
    if (!report.ok()) {
        err << "truthpoint-kiosk: sync failed: " << report.error.message << "\n"
            << "  " << status->pending << " events stay pending and will be sent at the next sync.\n";
        return 1;
    }
    out << "delivered " << report.delivered << " events in " << report.batches << " batches (" << report.duplicates
        << " already at the hub, " << report.quarantined << " quarantined); " << status->pending << " pending\n";
    return 0;
}

int status_command(const app::KioskConfig& config, bool as_json, std::ostream& out, std::ostream& err) {
    auto ledger = app::Ledger::open_existing(config.db_path);
    if (!ledger) return ledger_failed(ledger.error(), err);
    const auto report = ledger->status();
    if (!report) return ledger_failed(report.error(), err);
    const auto warnings = app::outbox_warnings(report.value(), config);
    out << (as_json ? app::format_status_json(report.value(), warnings)
                    : app::format_status_text(report.value(), warnings));
    // A monitoring script reads the exit code: 1 when a person should look (the lines above say why).
    return app::needs_attention(report.value(), warnings) ? 1 : 0;
}

core::Status prove_ledger_writable(const app::KioskConfig& config) {
    auto ledger = app::Ledger::open(config.db_path);
    core::Status written = ledger ? ledger->prove_writable(core::now_utc()) : core::Status(ledger.error());
    if (written) return written;
    return core::make_error(written.error().code,
                            "the ledger " + config.db_path + " ([kiosk] db in " + config.path +
                                ") cannot be written, so shoppers' answers could not be saved: " +
                                written.error().message +
                                ". Check that the directory exists and that the kiosk's user may write to it");
}

int simulate_command(const app::KioskConfig& config, std::int64_t events, std::uint64_t seed, std::ostream& out,
                     std::ostream& err) {
    const auto shelf = app::load_shelf(config);
    if (!shelf) {
        err << "truthpoint-kiosk: " << shelf.error().message << "\n";
        return 2;
    }
    app::SimulationOptions options{events, seed, {}};
    // The hub's receipt key and offers, when this kiosk holds its configuration: simulated receipts are
    // then hashed as real ones, and sorry cards carry the store's offers.
    const auto hub = app::load_hub_config(app::hub_config_path(config), app::hub_config_images_dir(config));
    if (!hub) {
        err << "truthpoint-kiosk: " << hub.error().message << "; simulating without the hub's receipt key\n";
    } else if (hub.value()) {
        options.post_purchase = app::post_purchase_settings(config, &*hub.value());
    }
    auto ledger = app::Ledger::open(config.db_path);
    if (!ledger) return ledger_failed(ledger.error(), err);
    app::simulate_shoppers(config, shelf.value(), *ledger, options);
    out << "wrote " << events << " events to " << config.db_path
        << (options.post_purchase.receipt_key ? "" : " (post-purchase answers unverified: no receipt key from the hub yet)")
        << "\n";
    return 0;
}

int set_pin_command(const std::string& config_path, const std::string& pin, const std::string& again,
                    std::ostream& out, std::ostream& err) {
    if (const auto problem = app::check_pin_rules(pin)) {
        err << "truthpoint-kiosk: " << *problem << "; the PIN was not changed\n";
        return 2;
    }
    if (again != pin) {
        err << "truthpoint-kiosk: the two PINs differ; the PIN was not changed\n";
        return 2;
    }
    app::store_pin_hash(config_path, app::hash_staff_pin(pin));
    out << "stored the staff PIN's argon2id hash in " << config_path << " ([staff] pin_hash)\n";
    return 0;
}

}  // namespace truthpoint::kiosk_runtime
