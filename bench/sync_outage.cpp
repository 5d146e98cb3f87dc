// Back on line after an outage: a real sync::BackgroundSync with the options a kiosk runs by default, a backlog
// in its ledger, and a `truthpoint-hub serve` child process behind the fault proxy of the sync tests. The
// proxy answers every request 503 with Retry-After (what the hub itself answers, to batches and /healthz
// alike, while its database is unavailable) for the outage, then forwards again. Measured per trial: the
// time from the hub's return until the ledger holds nothing pending, and the requests the kiosk sent
// during the outage. The kiosk starts as the outage starts, so its first push meets it at once; each outage
// lasts its nominal length plus a random part of --outage-jitter (the same sequence for every build), so that
// the hub's return falls anywhere in the kiosk's retry schedule, not always on a multiple of Retry-After.
//
// The same source builds against an older sync library, so that run_bench.py can put the two side by side.
//
// usage: bench_sync_outage --hub-binary PATH --catalog PATH [--dir DIR] [--trials 15] [--outages 10[,20,...]]
//                          [--outage-jitter 5] [--backlog 2000] [--retry-after 5] [--label new] [--json FILE]
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "fault_proxy.hpp"
#include "sync_bench_support.hpp"
#include "truthpoint/sync/background_sync.hpp"

using namespace truthpoint;
using namespace truthpoint::bench;
using testing::Fault;
using testing::FaultProxy;

namespace {

struct Trial {
    double nominal_s = 0;
    double outage_s = 0;
    double recovery_s = 0;  // the hub's return → nothing pending
    int requests = 0;       // sent by the kiosk while the hub answered 503
    int pushes = 0;         // of those, POST /api/v1/batches
    double requests_per_s = 0;
};

int port_of(const std::string& url) { return std::stoi(url.substr(url.rfind(':') + 1)); }

std::string load_average() {
    double load[3] = {};
    if (getloadavg(load, 3) != 3) return "unknown";
    std::ostringstream out;
    out.precision(2);
    out << std::fixed << load[0] << " " << load[1] << " " << load[2];
    return out.str();
}

Trial run_trial(const std::string& hub_url, const std::string& token, const fs::path& ledger_path,
                const std::vector<FrozenEvent>& backlog, double outage_s, int retry_after) {
    write_backlog(ledger_path, backlog);
    FaultProxy proxy(port_of(hub_url));
    proxy.set_retry_after(retry_after);
    proxy.set_rule([](const testing::ProxiedRequest&) { return Fault::Answer503; });

    Trial trial;
    trial.outage_s = outage_s;
    const auto outage_start = Clock::now();
    // The options a kiosk runs with: nothing shortened.
    sync::BackgroundSync uploader([&] { return app::open_ledger_outbox(ledger_path.string()); },
                                  {proxy.url(), token}, {}, sync::BackgroundSyncOptions{});
    std::this_thread::sleep_until(outage_start + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(outage_s)));
    proxy.set_rule({});
    const auto returned = Clock::now();

    auto ledger = app::Ledger::open(ledger_path.string()).value();
    while (ledger.status()->pending > 0) {
        if (Clock::now() - returned > std::chrono::minutes(10)) {
            throw std::runtime_error("the kiosk did not deliver within 10 minutes of the hub's return: " +
                                     uploader.snapshot().last_error);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    trial.recovery_s = seconds_since(returned);
    for (const auto& entry : proxy.log()) {
        if (entry.fault != Fault::Answer503) continue;  // answered by the proxy: during the outage
        ++trial.requests;
        if (entry.target.rfind("POST", 0) == 0) ++trial.pushes;
    }
    trial.requests_per_s = trial.requests / outage_s;
    for (const auto& error : proxy.errors()) throw std::runtime_error("fault proxy: " + error);
    return trial;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments args(argc, argv);
        const fs::path dir = fs::absolute(args.text("dir", "bench-work/outage"));
        const fs::path hub_binary = args.text("hub-binary", "");
        const fs::path catalog = args.text("catalog", "");
        const int trials = static_cast<int>(args.number("trials", 15));
        const auto backlog_size = static_cast<std::size_t>(args.number("backlog", 2000));
        const int retry_after = static_cast<int>(args.number("retry-after", 5));
        const double outage_jitter = std::stod(args.text("outage-jitter", "5"));
        const std::string label = args.text("label", "this build");
        std::vector<double> outages;
        {
            std::stringstream text(args.text("outages", "10"));
            for (std::string item; std::getline(text, item, ',');) outages.push_back(std::stod(item));
        }
        if (hub_binary.empty() || catalog.empty()) throw std::invalid_argument("--hub-binary and --catalog are needed");
        if (outages.empty() || trials < 1) throw std::invalid_argument("--outages and --trials must not be empty");
        fs::create_directories(dir);
        const std::string load_before = load_average();
        std::cerr << "sync outage (" << label << "): " << trials << " trials, outages of " << json_list(outages)
                  << " s (+ up to " << outage_jitter << " s) answered 503 with Retry-After: " << retry_after << ", a backlog of " << backlog_size
                  << " events, in " << dir << "\n";

        const auto events = realistic_events(catalog, dir, backlog_size * static_cast<std::size_t>(trials));
        const fs::path hub_db = dir / "hub.db";
        remove_database(hub_db);
        const auto tokens = enrol_kiosks(hub_db, 1, "k-outage-");
        HubProcess hub(hub_binary, hub_db, dir / "hub.log");
        const fs::path ledger_path = dir / "kiosk.db";

        std::vector<Trial> results;
        std::mt19937_64 random(2026);  // one sequence of outage lengths for every build compared
        std::uniform_real_distribution<double> extra(0, outage_jitter);
        for (int i = 0; i < trials; ++i) {
            const std::vector<FrozenEvent> backlog(events.begin() + static_cast<long>(backlog_size) * i,
                                                   events.begin() + static_cast<long>(backlog_size) * (i + 1));
            const double nominal = outages[i % outages.size()];
            Trial trial = run_trial(hub.url(), tokens[0], ledger_path, backlog, nominal + extra(random), retry_after);
            trial.nominal_s = nominal;
            std::cerr << "  trial " << i << ": outage " << trial.outage_s << " s, back after " << trial.recovery_s
                      << " s; " << trial.requests << " requests during the outage (" << trial.pushes << " pushes), "
                      << trial.requests_per_s << "/s\n";
            results.push_back(trial);
        }
        hub.stop();
        remove_database(hub_db);
        remove_database(ledger_path);

        std::vector<double> recovery, rates;
        std::map<double, std::vector<double>> by_outage;
        for (const Trial& t : results) {
            recovery.push_back(t.recovery_s);
            rates.push_back(t.requests_per_s);
            by_outage[t.nominal_s].push_back(t.recovery_s);
        }
        std::ostringstream json;
        json << "{\"label\": \"" << json_escape(label) << "\", \"trials\": " << trials << ", \"backlog\": " << backlog_size
             << ", \"retry_after\": " << retry_after << ", \"outages\": " << json_list(outages)
             << ", \"outage_jitter_s\": " << outage_jitter
             << ", \"recovery_median_s\": " << median(recovery)
             << ", \"recovery_min_s\": " << *std::min_element(recovery.begin(), recovery.end())
             << ", \"recovery_max_s\": " << *std::max_element(recovery.begin(), recovery.end())
             << ", \"recovery_runs_s\": " << json_list(recovery) << ", \"requests_per_s_median\": " << median(rates)
             << ", \"requests_per_s_max\": " << *std::max_element(rates.begin(), rates.end())
             << ", \"requests_per_s_runs\": " << json_list(rates) << ", \"by_outage\": {";
        bool first = true;
        for (const auto& [outage, values] : by_outage) {
            json << (first ? "" : ", ") << "\"" << outage << "\": {\"median_s\": " << median(values)
                 << ", \"min_s\": " << *std::min_element(values.begin(), values.end())
                 << ", \"max_s\": " << *std::max_element(values.begin(), values.end()) << ", \"n\": " << values.size()
                 << "}";
            first = false;
        }
        std::vector<double> lengths;
        for (const Trial& t : results) lengths.push_back(t.outage_s);
        json << "}, \"outage_runs_s\": " << json_list(lengths) << ", \"pushes_during_outage\": [";
        for (std::size_t i = 0; i < results.size(); ++i) json << (i ? ", " : "") << results[i].pushes;
        json << "], \"load_before\": \"" << load_before << "\", \"load_after\": \"" << load_average() << "\"}";
        std::cout << json.str() << std::endl;
        if (const std::string path = args.text("json", ""); !path.empty()) std::ofstream(path) << json.str() << "\n";
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "bench_sync_outage: " << error.what() << "\n";
        return 1;
    }
}
