// A kiosk's sync while strangers hold the hub's connections open. An attacker keeps --slow-connections
// connections open (from --addresses loopback addresses 127.0.0.10, .11, ...), each trickling a request
// head that never ends: one byte per connection every --drip-seconds (2,100 connections, 4 s: ~525 bytes/s
// in all); whatever the hub closes is reopened, at most once a second per slot. Meanwhile a kiosk pushes a
// backlog through sync::push_pending (the kiosk's own libcurl path), --syncs times; the same before the
// attack on an idle hub. Prints the sync latency idle and under attack (median, range), whether every sync
// succeeded, and what the attacker held: connections open, refused, reopened; the hub's RSS and threads.
//
// usage: bench_slow_clients --hub-binary PATH --catalog PATH [--dir DIR] [--events 1000] [--syncs 7]
//                           [--slow-connections 2100] [--addresses 1] [--drip-seconds 4] [--hold-seconds 12]
//                           [--json FILE]
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sync_bench_support.hpp"
#include "truthpoint/sync/uploader.hpp"

using namespace truthpoint;
using namespace truthpoint::bench;

namespace {

// The attacker: one thread that opens, drips into and reopens its connections.
class SlowClients {
public:
    SlowClients(int port, std::size_t connections, int addresses, double drip_seconds)
        : port_(port), addresses_(std::max(addresses, 1)), drip_seconds_(drip_seconds), slots_(connections) {
        thread_ = std::thread([this] { run(); });
    }
    ~SlowClients() {
        stop_ = true;
        thread_.join();
        for (Slot& slot : slots_) close_slot(slot);
    }

    std::size_t open() const { return open_.load(); }
    std::size_t opened() const { return opened_.load(); }  // connections made, first ones included
    std::size_t lost() const { return lost_.load(); }      // closed by the hub (deadline, refusal, eviction)

private:
    struct Slot {
        int fd = -1;
        std::size_t sent = 0;
        Clock::time_point next_try{};
    };

    void close_slot(Slot& slot) {
        if (slot.fd >= 0) ::close(slot.fd);
        slot.fd = -1;
    }

    bool connect_slot(Slot& slot, std::size_t index) {
        slot.fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (slot.fd < 0) return false;
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(0x7f00000a + static_cast<std::uint32_t>(index % addresses_));  // 127.0.0.10+
        sockaddr_in hub{};
        hub.sin_family = AF_INET;
        hub.sin_port = htons(static_cast<std::uint16_t>(port_));
        hub.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(slot.fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
            ::connect(slot.fd, reinterpret_cast<sockaddr*>(&hub), sizeof hub) != 0) {
            close_slot(slot);
            return false;
        }
        ::fcntl(slot.fd, F_SETFL, O_NONBLOCK);
        slot.sent = 0;
        ++opened_;
        return true;
    }

    // True while the hub keeps the connection: nothing to read and the byte went out.
    bool drip(Slot& slot) {
        char buffer[512];
        const ssize_t got = ::recv(slot.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return false;
        if (got > 0) return false;  // an answer (503, 408): the hub is done with it
        static const std::string head = "GET / HTTP/1.1\r\nHost: hub\r\nX-Slow: ";
        const char byte = slot.sent < head.size() ? head[slot.sent] : 'a';
        if (::send(slot.fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) != 1) return errno == EAGAIN;
        ++slot.sent;
        return true;
    }

    void run() {
        const auto tick = std::chrono::milliseconds(20);
        const std::size_t ticks_per_drip = std::max<std::size_t>(1, static_cast<std::size_t>(drip_seconds_ * 50));
        std::size_t turn = 0;
        while (!stop_) {
            const auto now = Clock::now();
            // Each tick serves 1/ticks_per_drip of the slots: every slot gets a byte every drip_seconds.
            for (std::size_t i = turn % ticks_per_drip; i < slots_.size(); i += ticks_per_drip) {
                Slot& slot = slots_[i];
                if (slot.fd < 0) {
                    if (now < slot.next_try) continue;
                    slot.next_try = now + std::chrono::seconds(1);
                    if (!connect_slot(slot, i)) continue;
                    ++open_;
                }
                if (!drip(slot)) {
                    close_slot(slot);
                    --open_;
                    ++lost_;
                }
            }
            // Once a second, notice every connection the hub has closed, so that `open` is what it holds.
            if (turn % 50 == 0) {
                for (Slot& slot : slots_) {
                    if (slot.fd < 0) continue;
                    char byte;
                    const ssize_t got = ::recv(slot.fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
                    if (got > 0 || got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                        close_slot(slot);
                        --open_;
                        ++lost_;
                    }
                }
            }
            ++turn;
            std::this_thread::sleep_for(tick);
        }
    }

    const int port_;
    const int addresses_;
    const double drip_seconds_;
    std::vector<Slot> slots_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> open_{0}, opened_{0}, lost_{0};
    std::thread thread_;
};

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

struct SyncSample {
    double seconds = 0;
    bool ok = false;
    std::string error;
};

// One kiosk pushes its whole backlog (a fresh copy each time) and says how long it took.
SyncSample sync_once(const std::string& url, const std::string& token, const fs::path& backlog,
                     const fs::path& ledger_path, std::size_t events) {
    remove_database(ledger_path);
    fs::copy_file(backlog, ledger_path);
    auto ledger = app::Ledger::open(ledger_path.string()).value();
    sync::HubClient client({url, token});
    const auto start = Clock::now();
    const sync::SyncReport report = sync::push_pending(ledger, client);
    SyncSample sample;
    sample.seconds = seconds_since(start);
    sample.ok = report.ok() && report.delivered == static_cast<std::int64_t>(events);
    sample.error = report.error.message;
    return sample;
}

std::string list(const std::vector<double>& values) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
    out << "]";
    return out.str();
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments args(argc, argv);
        const fs::path dir = fs::absolute(args.text("dir", "bench-work/slow"));
        const fs::path hub_binary = args.text("hub-binary", "");
        const fs::path catalog = args.text("catalog", "");
        const auto events = static_cast<std::size_t>(args.number("events", 1000));
        const int syncs = static_cast<int>(args.number("syncs", 7));
        const auto slow = static_cast<std::size_t>(args.number("slow-connections", 2100));
        const int addresses = static_cast<int>(args.number("addresses", 1));
        const double drip = args.number("drip-seconds", 4);
        // Longer than the hub's request deadline (10 s), so that the syncs meet connections being cut off
        // and reopened, not only fresh ones.
        const double hold = args.number("hold-seconds", 12);
        const std::string json_path = args.text("json", "");
        fs::create_directories(dir);

        const fs::path backlog = dir / "backlog.db";
        write_backlog(backlog, realistic_events(catalog, dir, events));
        const fs::path db = dir / "hub.db";
        remove_database(db);
        const auto tokens = enrol_kiosks(db, 1, "k-slow-");
        HubProcess hub(hub_binary, db, dir / "hub.log");
        const fs::path ledger = dir / "ledger.db";

        std::vector<double> idle, attacked;
        int failures = 0;
        std::string last_error;
        for (int i = 0; i < syncs; ++i) {
            const auto sample = sync_once(hub.url(), tokens[0], backlog, ledger, events);
            if (sample.ok) idle.push_back(sample.seconds * 1000);
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        SlowClients attacker(port_of(hub.url()), slow, addresses, drip);
        // Let the attacker reach its count (or the hub's caps) and hold it for a while.
        const auto attack_start = Clock::now();
        while (attacker.open() < slow && seconds_since(attack_start) < 15) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        std::this_thread::sleep_for(std::chrono::duration<double>(hold));
        const std::size_t held_before = attacker.open();
        const long threads_under_attack = hub.threads();
        for (int i = 0; i < syncs; ++i) {
            const auto sample = sync_once(hub.url(), tokens[0], backlog, ledger, events);
            if (sample.ok) {
                attacked.push_back(sample.seconds * 1000);
            } else {
                ++failures;
                last_error = sample.error;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(500));  // spread over the attack
        }
        const std::size_t held_after = attacker.open();
        const long rss_kb = hub.rss_kb(), peak_kb = hub.peak_rss_kb();
        const auto range = [](const std::vector<double>& v) {
            if (v.empty()) return std::string("-");
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            return std::to_string(*lo) + "–" + std::to_string(*hi);
        };
        std::cerr << "slow clients: " << slow << " connections from " << addresses << " address(es), a byte each every "
                  << drip << " s; a kiosk pushes " << events << " events, " << syncs << " times each way\n"
                  << "  idle hub:       median " << (idle.empty() ? -1 : median(idle)) << " ms (" << range(idle) << ")\n"
                  << "  under attack:   median " << (attacked.empty() ? -1 : median(attacked)) << " ms ("
                  << range(attacked) << "), " << failures << " of " << syncs << " syncs failed"
                  << (failures ? " (" + last_error + ")" : "") << "\n"
                  << "  attacker held " << held_before << " open before the syncs and " << held_after
                  << " after; opened " << attacker.opened() << ", closed by the hub " << attacker.lost() << "\n"
                  << "  hub: RSS " << rss_kb / 1024 << " MB (peak " << peak_kb / 1024 << " MB), " << threads_under_attack
                  << " threads under attack\n";
        if (!json_path.empty()) {
            std::ofstream(json_path) << "{\"slow_connections\": " << slow << ", \"addresses\": " << addresses
                                     << ", \"idle_ms\": " << (idle.empty() ? -1 : median(idle))
                                     << ", \"idle_runs\": " << list(idle)
                                     << ", \"attacked_ms\": " << (attacked.empty() ? -1 : median(attacked))
                                     << ", \"attacked_runs\": " << list(attacked) << ", \"failures\": " << failures
                                     << ", \"held_before\": " << held_before << ", \"held_after\": " << held_after
                                     << ", \"opened\": " << attacker.opened() << ", \"closed_by_hub\": " << attacker.lost()
                                     << ", \"hub_rss_kb\": " << rss_kb << ", \"hub_peak_rss_kb\": " << peak_kb
                                     << ", \"hub_threads\": " << threads_under_attack << "}\n";
        }
        hub.stop();
        remove_database(db);
        remove_database(ledger);
        return failures == 0 ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "bench_slow_clients: " << error.what() << "\n";
        return 2;
    }
}
