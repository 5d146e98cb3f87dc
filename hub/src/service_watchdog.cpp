// The hub's proof of life for systemd (see service_watchdog.hpp).
#include "service_watchdog.hpp"

#include <curl/curl.h>
#include <systemd/sd-daemon.h>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "truthpoint/core/worker.hpp"

namespace truthpoint::hub {
namespace {

struct Stop {};

std::size_t ignore_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// Any HTTP answer counts: a 503 from /healthz (the database is away) still shows a serving loop, and a
// restart would not bring the database back. The answer's status goes to systemctl status instead.
std::optional<long> ask_health(const std::string& url, std::chrono::milliseconds timeout) {
    const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return std::nullopt;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, ignore_body);
    if (curl_easy_perform(curl.get()) != CURLE_OK) return std::nullopt;
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    return status;
}

void watch(const std::string& health_url, std::chrono::microseconds interval, core::Mailbox<Stop>& inbox) {
    const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(interval) / 3;
    auto next = std::chrono::steady_clock::now();
    std::optional<long> last_status;
    while (inbox.wait_until(next)) {
        next = std::chrono::steady_clock::now() + period;
        const auto status = ask_health(health_url, period);
        if (!status) continue;  // no answer: no WATCHDOG=1, and systemd restarts a hung hub
        if (status != last_status) {
            const std::string text = *status == 200 ? "STATUS=serving" : "STATUS=serving; /healthz answers " +
                                                                              std::to_string(*status) +
                                                                              " (is the database reachable?)";
            sd_notify(0, text.c_str());
            last_status = status;
        }
        sd_notify(0, "WATCHDOG=1");
    }
}

}  // namespace

struct ServiceWatchdog::Impl {
    std::optional<core::WorkerThread<Stop>> watcher;
};

ServiceWatchdog::ServiceWatchdog(std::string health_url) : impl_(std::make_unique<Impl>()) {
    if (!std::getenv("NOTIFY_SOCKET")) return;
    sd_notify(0, "READY=1\nSTATUS=serving");
    std::uint64_t interval_us = 0;
    if (sd_watchdog_enabled(0, &interval_us) <= 0) return;
    impl_->watcher.emplace("hub-watchdog", core::Keep::Latest,
                           [url = std::move(health_url), interval = std::chrono::microseconds(interval_us)](
                               core::Mailbox<Stop>& inbox) { watch(url, interval, inbox); });
}

ServiceWatchdog::~ServiceWatchdog() {
    impl_->watcher.reset();
    if (std::getenv("NOTIFY_SOCKET")) sd_notify(0, "STOPPING=1");
}

}  // namespace truthpoint::hub
