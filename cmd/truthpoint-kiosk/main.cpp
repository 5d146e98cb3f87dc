// truthpoint-kiosk: the kiosk executable. Parses the command line and hands over to the libraries.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "read_secret.hpp"
#include "truthpoint/app/config.hpp"
#include "truthpoint/app/staff_mode.hpp"
#include "truthpoint/kiosk_runtime/check.hpp"
#include "truthpoint/kiosk_runtime/commands.hpp"
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"
#include "truthpoint/kiosk_ui/kiosk_window.hpp"
#include "truthpoint/kiosk_ui/preflight.hpp"

namespace {

using namespace truthpoint;

app::KioskConfig load_or_exit(const std::string& path) {
    auto config = app::load_config(path);
    if (!config) {
        std::cerr << "truthpoint-kiosk: " << config.error().message << "\n";
        std::exit(2);
    }
    return config.value();
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
    cli.set_version_flag("--version", std::string("truthpoint-kiosk ") + TRUTHPOINT_VERSION);
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
    auto* check = cli.add_subcommand(
        "check", "an installer's check: configuration, ledger, fonts, display, hub, TLS, token; a line each");
    // Run by `run` itself, in a process of its own, to learn whether OpenGL is a GPU (hidden from --help).
    auto* probe_renderer = cli.add_subcommand("probe-renderer", "print the OpenGL renderer's name")->group("");
    for (auto* sub : {run, sync_command, status, simulate, set_pin_command, check}) {
        sub->add_option("--config", config_path, "kiosk configuration (TOML)");
    }
    cli.require_subcommand(0, 1);
    try {
        cli.parse(argc, argv);
    } catch (const CLI::Success& done) {  // --help, --version
        return cli.exit(done);
    } catch (const CLI::ParseError& error) {
        cli.exit(error);  // prints the message, which names the option
        return 2;
    }
    if (*probe_renderer) return kiosk_ui::print_gl_renderer();
    if (*check) {
        // Over ssh before the kiosk's session exists there is no desktop: then a screen on the graphics card will do.
        const bool desktop = std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("SDL_VIDEODRIVER");
        const kiosk_runtime::WindowChecks window{
            desktop ? kiosk_ui::probe_display : kiosk_ui::connected_screen, kiosk_ui::check_kiosk_fonts};
        return kiosk_runtime::check_command(config_path, window, std::cout);
    }

    if (*set_pin_command) {
        // A broken [staff] pin_hash is what set-pin mends: every other mistake in the file stops it.
        if (auto loaded = app::load_config(config_path);
            !loaded && loaded.error().message.find("staff.pin_hash") == std::string::npos) {
            std::cerr << "truthpoint-kiosk: " << loaded.error().message << "\n";
            return 2;
        }
        try {
            const std::string pin = truthpoint::cli::read_secret("New staff PIN (4-12 digits): ");
            // A PIN that breaks the rules is refused at once, without asking for it again.
            const std::string again = app::check_pin_rules(pin) ? pin : truthpoint::cli::read_secret("The same PIN again: ");
            return kiosk_runtime::set_pin_command(config_path, pin, again, std::cout, std::cerr);
        } catch (const std::exception& error) {
            std::cerr << "truthpoint-kiosk: " << error.what() << "\n";
            return 1;
        }
    }
    const app::KioskConfig config = load_or_exit(config_path);
    try {
        if (*sync_command) return kiosk_runtime::sync_command(config, std::cout, std::cerr);
        if (*status) return kiosk_runtime::status_command(config, as_json, std::cout, std::cerr);
        if (*simulate) return kiosk_runtime::simulate_command(config, event_count, seed, std::cout, std::cerr);
        kiosk_ui::WindowOptions window;
        if (const int code = parse_window_size(window_size, window)) return code;
        // Before a window opens: a ledger that cannot take a tap, or a screen nobody sees, fails here.
        if (auto writable = kiosk_runtime::prove_ledger_writable(config); !writable) {
            std::cerr << "truthpoint-kiosk: " << writable.error().message << "\n";
            return 1;
        }
        if (auto display = kiosk_ui::probe_display(); !display) {
            std::cerr << "truthpoint-kiosk: " << display.error().message << "\n";
            return 1;
        }
        window.renderer_probe = {"/proc/self/exe", "probe-renderer"};
        window.version = TRUTHPOINT_VERSION;
        // The uploader runs beside the window on its own thread and ledger connection.
        kiosk_runtime::KioskRuntime runtime(config, TRUTHPOINT_VERSION);
        return kiosk_ui::run_kiosk(config, window, runtime.services());
    } catch (const std::exception& error) {
        std::cerr << "truthpoint-kiosk: " << error.what() << "\n";
        return 1;
    }
}
