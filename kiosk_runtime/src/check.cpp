// `truthpoint-kiosk check` (see check.hpp).
#include "truthpoint/kiosk_runtime/check.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "truthpoint/app/config.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/status_report.hpp"
#include "truthpoint/kiosk_runtime/kiosk_runtime.hpp"
#include "truthpoint/sync/hub_client.hpp"
#include "truthpoint/sync/kiosk_identity.hpp"

namespace truthpoint::kiosk_runtime {
namespace {

enum class Verdict { ok, note, fail, skipped };

class Report {
public:
    explicit Report(std::ostream& out) : out_(out) {}
    void line(Verdict verdict, const std::string& what, const std::string& detail) {
        static constexpr const char* kWords[] = {"OK", "NOTE", "FAIL", "SKIP"};
        const std::string word = kWords[static_cast<int>(verdict)];
        std::string name = what;
        name.resize(std::max<std::size_t>(name.size() + 1, 14), ' ');
        out_ << word << std::string(6 - word.size(), ' ') << name << detail << "\n";
        if (verdict == Verdict::fail) ++failed_;
        ++lines_;
    }
    int finish() {
        if (failed_ == 0) {
            out_ << "all " << lines_ << " checks passed: this kiosk is ready (systemctl enable --now truthpoint-kiosk)\n";
            return 0;
        }
        out_ << failed_ << " of " << lines_ << " checks failed: fix the FAIL lines, then run truthpoint-kiosk check again\n";
        return 1;
    }

private:
    std::ostream& out_;
    int failed_ = 0;
    int lines_ = 0;
};

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

// A ledger that exists must take a write; a missing one is made by the kiosk at its first start, so only
// its directory is checked (making it here, perhaps as root, would leave a file the kiosk cannot write).
void check_ledger(const app::KioskConfig& config, Report& report) {
    const std::filesystem::path path = std::filesystem::absolute(config.db_path);
    std::string free_text;
    if (const auto free_bytes = app::free_disk_bytes(config)) {
        free_text = ", " + std::to_string(*free_bytes / (1024 * 1024)) + " MB free";
        if (*free_bytes < app::kLowDiskBytes) {
            report.line(Verdict::fail, "ledger", "only" + free_text.substr(1) + " on " + path.parent_path().string() +
                                                    ": free space there (the kiosk needs at least 200 MB)");
            return;
        }
    }
    std::error_code ignored;
    if (!std::filesystem::exists(path, ignored)) {
        const auto directory = path.parent_path();
        if (!std::filesystem::is_directory(directory, ignored)) {
            report.line(Verdict::fail, "ledger", directory.string() + " does not exist: create it for the kiosk's user "
                                                 "(install -d -o truthpoint -g truthpoint -m 0750 " + directory.string() +
                                                 "), or fix [kiosk] db in " + config.path);
        } else if (::access(directory.c_str(), W_OK) != 0) {
            report.line(Verdict::fail, "ledger", directory.string() + " is not writable for this user: let the kiosk's "
                                                 "user write there (chown truthpoint: " + directory.string() + ")");
        } else {
            report.line(Verdict::ok, "ledger", path.string() + " will be made at the kiosk's first start (" +
                                               directory.string() + " is writable" + free_text + ")");
        }
        return;
    }
    auto ledger = app::Ledger::open_existing(config.db_path);
    if (!ledger) {
        report.line(Verdict::fail, "ledger", ledger.error().message);
        return;
    }
    if (auto written = ledger->prove_writable(core::now_utc()); !written) {
        report.line(Verdict::fail, "ledger", path.string() + " cannot be written: " + written.error().message);
        return;
    }
    const auto status = ledger->status();
    if (!status) {
        report.line(Verdict::fail, "ledger", status.error().message);
        return;
    }
    report.line(Verdict::ok, "ledger", path.string() + " is writable: " + std::to_string(status->pending) +
                                           " events pending, " + std::to_string(status->quarantined) + " quarantined" +
                                           free_text);
}

void check_hub(const app::KioskConfig& config, Report& report) {
    const bool https = config.hub_url.rfind("https://", 0) == 0;
    sync::HubClient client({config.hub_url, config.hub_token}, transport_options(config));
    const auto started = std::chrono::steady_clock::now();
    const auto health = client.get_health();
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (!health) {
        const bool untrusted = sync::unreached_problem(health.error()) == core::SyncProblem::HubNotTrusted;
        report.line(untrusted ? Verdict::ok : Verdict::fail, "hub",
                    untrusted ? config.hub_url + " answers, but over TLS the kiosk does not trust it (next line)"
                              : sync::describe_unreached(config.hub_url, health.error()) +
                                    ": check [hub] url, the network, and that the hub (or its TLS proxy) runs");
        if (untrusted) report.line(Verdict::fail, "TLS", sync::describe_unreached(config.hub_url, health.error()));
        if (!untrusted && https) report.line(Verdict::skipped, "TLS", "needs the hub to answer");
        report.line(Verdict::skipped, "token", "needs the hub to answer");
        return;
    }
    if (health->status != 200) {
        report.line(Verdict::fail, "hub", config.hub_url + "/healthz answered HTTP " + std::to_string(health->status) +
                                              ": is [hub] url the hub (or its proxy)? The hub's log says more");
    } else {
        report.line(Verdict::ok, "hub", config.hub_url + " answers (" + std::to_string(took) + " ms)");
    }
    if (https) {
        std::string how = "the hub's certificate is verified against " +
                          (config.hub_ca_file.empty() ? std::string("the system's CAs") : config.hub_ca_file);
        if (!config.hub_pinned_public_key.empty()) how += ", and its key matches [hub] pinned_public_key";
        report.line(Verdict::ok, "TLS", how);
    } else {
        report.line(Verdict::note, "TLS", "not used (http://): the token and answers cross the network readable; use "
                                          "https:// through nginx (docs/hub.md, \"TLS with nginx\")");
    }
    const auto identity = client.whoami();
    if (!identity) {
        report.line(Verdict::fail, "token", identity.error().message);
        return;
    }
    if (const auto mismatch = sync::identity_mismatch(*identity, config.kiosk_id, config.store_id, config.path)) {
        report.line(Verdict::fail, "token", *mismatch);
        return;
    }
    report.line(Verdict::ok, "token", "accepted: the hub knows it as kiosk " + identity->kiosk_id + " in store " +
                                          identity->store_id +
                                          (identity->region.empty() ? "" : " (region " + identity->region + ")"));
}

// The kiosk's token is its credential: the file that holds it must not be readable by other users.
void check_secret_file(const app::KioskConfig& config, Report& report) {
    const std::string& file = config.hub_token_file.empty() ? config.path : config.hub_token_file;
    struct stat held {};
    if (::stat(file.c_str(), &held) != 0) return;  // read a moment ago: a race not worth a line
    if ((held.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(held.st_mode & 07777));
        report.line(Verdict::fail, "token file", file + " holds the hub token and is mode " + mode +
                                                     ", readable by other users: chmod 0600 " + file +
                                                     " (owner truthpoint, the kiosk's user)");
        return;
    }
    report.line(Verdict::ok, "token file", file + " is readable by its owner only");
}

}  // namespace

int check_command(const std::string& config_path, const WindowChecks& window, std::ostream& out) {
    Report report(out);
    const auto config = app::load_config(config_path);
    if (!config) {
        report.line(Verdict::fail, "configuration", config.error().message);
    } else {
        report.line(Verdict::ok, "configuration",
                    config_path + ": kiosk " + config->kiosk_id + " in store " + config->store_id + ", languages " +
                        join(config->languages) + (config->staff_pin_hash.empty() ? ", no staff PIN yet (set-pin)" : ""));
        check_secret_file(*config, report);
        check_ledger(*config, report);
        const auto fonts = window.fonts(config->languages);
        report.line(fonts ? Verdict::ok : Verdict::fail, "fonts", fonts ? fonts.value() : fonts.error().message);
    }
    const auto display = window.display();
    report.line(display ? Verdict::ok : Verdict::fail, "display", display ? display.value() : display.error().message);
    if (config) {
        check_hub(*config, report);
    } else {
        for (const char* what : {"token file", "hub", "TLS", "token"}) {
            report.line(Verdict::skipped, what, "needs the configuration");
        }
    }
    return report.finish();
}

}  // namespace truthpoint::kiosk_runtime
