// truthpoint-kiosk: the kiosk executable. Parses the command line and hands over to the libraries.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "read_secret.hpp"
#include "truthpoint/app/config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/shelf.hpp"
#include "truthpoint/app/simulate.hpp"
#include "truthpoint/app/staff_mode.hpp"
#include "truthpoint/app/status_report.hpp"
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"
#include "truthpoint/kiosk_ui/kiosk_window.hpp"
#include "truthpoint/sync/uploader.hpp"

namespace {

using namespace truthpoint;

app::KioskConfig load_or_exit(const std::string& path) {
    auto config = app::load_config(path);
    if (!config) {
        std::cerr << "truthpoint-kiosk: " << config.reason() << "\n";
        std::exit(2);
    }
    return config.value();
}

int push_now(const app::KioskConfig& config) {
    app::Ledger ledger(config.db_path);
    sync::HubClient client({config.hub_url, config.hub_token}, kiosk_runtime::transport_options(config));
    const sync::SyncReport report = sync::push_pending(ledger, client);
    const auto status = ledger.status();
    if (!report.ok()) {
        std::cerr << "truthpoint-kiosk: sync failed: " << report.error << "\n"
                  << "  " << status.pending << " events stay pending and will be sent at the next sync.\n";
        return 1;
    }
    std::cout << "delivered " << report.delivered << " events in " << report.batches << " batches ("
              << report.duplicates << " already at the hub, " << report.quarantined << " quarantined); "
              << status.pending << " pending\n";
    return 0;
}

int set_pin(const std::string& config_path) {
    const std::string pin = truthpoint::cli::read_secret("New staff PIN (4-12 digits): ");
    if (const auto problem = app::check_pin_rules(pin)) {
        std::cerr << "truthpoint-kiosk: " << *problem << "; the PIN was not changed\n";
        return 2;
    }
    if (truthpoint::cli::read_secret("The same PIN again: ") != pin) {
        std::cerr << "truthpoint-kiosk: the two PINs differ; the PIN was not changed\n";
        return 2;
    }
    app::store_pin_hash(config_path, app::hash_staff_pin(pin));
    std::cout << "stored the staff PIN's argon2id hash in " << config_path << " ([staff] pin_hash)\n";
    return 0;
}

int parse_window_size(const std::string& text, kiosk_ui::WindowOptions& options) {
    if (text.empty()) return 0;
    int width = 0, height = 0;
    char separator = 0;
    if (std::sscanf(text.c_str(), "%d%c%d", &width, &separator, &height) != 3 || (separator != 'x' && separator != 'X') ||
        width < 320 || height < 240) {
        std::cerr << "truthpoint-kiosk: --windowed wants WIDTHxHEIGHT, at least 320x240 (got '" << text << "')\n";
        return 2;
    }
    options.windowed = true;
    options.width = width;
    options.height = height;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"Truthpoint kiosk: captures shoppers' moments of truth and ships them to the hub."};
    std::string config_path = app::kDefaultConfigPath;
    if (const char* from_env = std::getenv("TRUTHPOINT_KIOSK_CONFIG")) config_path = from_env;
    cli.add_option("--config", config_path, "kiosk configuration (TOML)")->capture_default_str();

    std::string window_size;
    auto* run = cli.add_subcommand("run", "the full-screen kiosk (the default)");
    run->add_option("--windowed", window_size, "a WxH window instead of full screen, for development");
    auto* sync_command = cli.add_subcommand("sync", "push every pending event to the hub now");
    bool as_json = false;
    auto* status = cli.add_subcommand("status", "pending, delivered and quarantined counts, last sync and error");
    status->add_flag("--json", as_json, "machine-readable output");
    std::int64_t event_count = 0;
    std::uint64_t seed = 1;
    auto* simulate = cli.add_subcommand("simulate", "write N realistic shopper and staff events");
    simulate->add_option("--events", event_count, "how many events")->required()->check(CLI::Range(1, 100000000));
    simulate->add_option("--seed", seed, "random seed (same seed, same shoppers)");
    auto* set_pin_command = cli.add_subcommand("set-pin", "ask for the staff PIN twice and store its argon2id hash");
    for (auto* sub : {run, sync_command, status, simulate, set_pin_command}) {
        sub->add_option("--config", config_path, "kiosk configuration (TOML)");
    }
    cli.require_subcommand(0, 1);
    CLI11_PARSE(cli, argc, argv);

    const app::KioskConfig config = load_or_exit(config_path);
    if (*set_pin_command) {
        try {
            return set_pin(config_path);
        } catch (const std::exception& error) {
            std::cerr << "truthpoint-kiosk: " << error.what() << "\n";
            return 1;
        }
    }
    try {
        if (*sync_command) return push_now(config);
        if (*status) {
            app::Ledger ledger(config.db_path);
            const auto report = ledger.status();
            const auto warnings = app::outbox_warnings(report, config);
            std::cout << (as_json ? app::format_status_json(report, warnings) : app::format_status_text(report, warnings));
            return 0;
        }
        if (*simulate) {
            const auto shelf = app::load_shelf(config);
            if (!shelf) {
                std::cerr << "truthpoint-kiosk: " << shelf.reason() << "\n";
                return 2;
            }
            app::Ledger ledger(config.db_path);
            app::simulate_shoppers(config, shelf.value(), ledger, {event_count, seed});
            std::cout << "wrote " << event_count << " events to " << config.db_path << "\n";
            return 0;
        }
        kiosk_ui::WindowOptions window;
        if (const int code = parse_window_size(window_size, window)) return code;
        // The uploader runs beside the window on its own thread and ledger connection.
        kiosk_runtime::KioskRuntime runtime(config, TRUTHPOINT_VERSION);
        return kiosk_ui::run_kiosk(config, window, runtime.services());
    } catch (const std::exception& error) {
        std::cerr << "truthpoint-kiosk: " << error.what() << "\n";
        return 1;
    }
}
