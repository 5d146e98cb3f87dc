// Kiosk drain vs the hub's own ingest rate (issue 4): a 100,000-event backlog pushed by sync::push_pending (one
// kiosk, one connection, the real code path) to a fresh `truthpoint-hub serve`, beside the same events as
// pre-built gzipped 500-event batches POSTed by a pool of clients to another fresh hub, alternated per round.
// Also the bytes per event: JSON, gzip level 6 (what HubClient sends), gzip level 9.
//
// usage: bench_sync_drain --hub-binary PATH --catalog PATH [--dir DIR] [--events 100000] [--rounds 3]
//                         [--clients 4] [--json FILE]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sync_bench_support.hpp"
#include "truthpoint/sync/uploader.hpp"

using namespace truthpoint;
using namespace truthpoint::bench;

namespace {

struct DrainRun {
    double events_per_s = 0;
    double wire_bytes_per_event = 0;
    std::int64_t batches = 0;
};

DrainRun run_drain(const fs::path& hub_binary, const fs::path& dir, const std::string& tag, const fs::path& backlog,
                   std::size_t events) {
    const fs::path db = dir / ("hub-" + tag + ".db");
    const fs::path ledger_path = dir / ("ledger-" + tag + ".db");
    remove_database(db);
    remove_database(ledger_path);
    fs::copy_file(backlog, ledger_path);
    const auto tokens = enrol_kiosks(db, 1, "k-drain-");
    HubProcess hub(hub_binary, db, dir / ("hub-" + tag + ".log"));
    DrainRun run;
    {
        auto ledger = app::Ledger::open(ledger_path.string()).value();
        sync::HubClient client({hub.url(), tokens[0]});
        const auto start = Clock::now();
        const sync::SyncReport report = sync::push_pending(ledger, client);
        const double seconds = seconds_since(start);
        if (!report.ok() || report.delivered != static_cast<std::int64_t>(events)) {
            throw std::runtime_error("drain " + tag + ": " + std::to_string(report.delivered) + " of " +
                                     std::to_string(events) + " delivered: " + report.error.message);
        }
        run.events_per_s = static_cast<double>(events) / seconds;
        run.wire_bytes_per_event = static_cast<double>(report.wire_bytes) / static_cast<double>(events);
        run.batches = report.batches;
    }
    hub.stop();
    remove_database(db);
    remove_database(ledger_path);
    return run;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments args(argc, argv);
        const fs::path dir = fs::absolute(args.text("dir", "bench-work/sync"));
        const fs::path hub_binary = args.text("hub-binary", "");
        const fs::path catalog = args.text("catalog", "");
        const auto events = static_cast<std::size_t>(args.number("events", 100000));
        const int rounds = static_cast<int>(args.number("rounds", 3));
        const int clients = static_cast<int>(args.number("clients", 4));
        if (hub_binary.empty() || catalog.empty()) throw std::invalid_argument("--hub-binary and --catalog are needed");
        fs::create_directories(dir);
        curl_global_init(CURL_GLOBAL_ALL);
        std::cerr << "sync drain: " << events << " events, " << rounds << " rounds, in " << dir << " on "
                  << filesystem_of(dir) << "\n";

        auto start = Clock::now();
        const auto backlog_events = realistic_events(catalog, dir, events);
        const fs::path backlog = dir / "backlog.db";
        write_backlog(backlog, backlog_events);
        std::cerr << "  backlog of " << events << " events written in " << seconds_since(start) << " s\n";

        // The bytes: the same 500-event batches the drain sends (its 256 KB limit does not bind here).
        const auto batches = prepare_batches(backlog_events, 0, events, 500, 6);
        std::size_t json_bytes = 0, gzip6_bytes = 0, gzip9_bytes = 0, payload_bytes = 0;
        double gzip6_s = 0, gzip9_s = 0;
        for (const auto& batch : batches) {
            json_bytes += batch.json_bytes;
            gzip6_bytes += batch.gzipped.size();
        }
        for (const auto& event : backlog_events) payload_bytes += event.payload.size();
        {
            std::vector<std::string> frozen;
            for (std::size_t at = 0; at < events; at += 500) {
                frozen.clear();
                for (std::size_t i = at; i < std::min(events, at + 500); ++i) frozen.push_back(backlog_events[i].payload);
                const std::string json = core::encode_batch(new_batch_id(), frozen);
                auto t = Clock::now();
                (void)sync::gzip_compress(json, 6);
                gzip6_s += seconds_since(t);
                t = Clock::now();
                gzip9_bytes += sync::gzip_compress(json, 9).size();
                gzip9_s += seconds_since(t);
            }
        }
        const double n = static_cast<double>(events);
        std::cerr << "  per event: JSON " << json_bytes / n << " B, gzip-6 " << gzip6_bytes / n << " B, gzip-9 "
                  << gzip9_bytes / n << " B; gzip-6 " << gzip6_s * 1e6 / n << " us/event, gzip-9 "
                  << gzip9_s * 1e6 / n << " us/event\n";

        std::vector<double> ingest_rates, ingest1_rates, drain_rates, wire_per_event;
        std::int64_t retries = 0;
        for (int round = 0; round < rounds; ++round) {
            // ABBA-like rotation: which series goes first changes every round.
            const int order[3][3] = {{0, 1, 2}, {2, 1, 0}, {1, 0, 2}};
            for (int series : order[round % 3]) {
                const std::string tag = std::to_string(round) + "-" + std::to_string(series);
                if (series == 0) {
                    auto run = ingest_series(hub_binary, dir, "ingest-" + tag, batches, events, clients);
                    ingest_rates.push_back(run.events_per_s);
                    retries += run.retries;
                    std::cerr << "  round " << round << ": hub ingest (" << clients << " clients) "
                              << run.events_per_s << " events/s\n";
                } else if (series == 1) {
                    auto run = ingest_series(hub_binary, dir, "ingest1-" + tag, batches, events, 1);
                    ingest1_rates.push_back(run.events_per_s);
                    retries += run.retries;
                    std::cerr << "  round " << round << ": hub ingest (1 client) " << run.events_per_s
                              << " events/s\n";
                } else {
                    auto run = run_drain(hub_binary, dir, "drain-" + tag, backlog, events);
                    drain_rates.push_back(run.events_per_s);
                    wire_per_event.push_back(run.wire_bytes_per_event);
                    std::cerr << "  round " << round << ": kiosk drain " << run.events_per_s << " events/s, "
                              << run.wire_bytes_per_event << " wire B/event, " << run.batches << " batches\n";
                }
            }
        }
        remove_database(backlog);

        auto list = [](const std::vector<double>& values) {
            std::ostringstream out;
            out << "[";
            for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
            return out.str() + "]";
        };
        std::ostringstream json;
        json << "{\"events\": " << events << ", \"rounds\": " << rounds << ", \"clients\": " << clients
             << ", \"filesystem\": \"" << json_escape(filesystem_of(dir)) << "\""
             << ", \"ingest_events_per_s\": " << median(ingest_rates) << ", \"ingest_runs\": " << list(ingest_rates)
             << ", \"ingest1_events_per_s\": " << median(ingest1_rates) << ", \"ingest1_runs\": " << list(ingest1_rates)
             << ", \"drain_events_per_s\": " << median(drain_rates) << ", \"drain_runs\": " << list(drain_rates)
             << ", \"drain_ratio\": " << median(drain_rates) / median(ingest_rates)
             << ", \"wire_bytes_per_event\": " << median(wire_per_event)
             << ", \"json_bytes_per_event\": " << json_bytes / n << ", \"payload_bytes_per_event\": " << payload_bytes / n
             << ", \"gzip6_bytes_per_event\": " << gzip6_bytes / n << ", \"gzip9_bytes_per_event\": " << gzip9_bytes / n
             << ", \"gzip6_us_per_event\": " << gzip6_s * 1e6 / n << ", \"gzip9_us_per_event\": " << gzip9_s * 1e6 / n
             << ", \"ingest_retries\": " << retries << "}";
        std::cout << json.str() << std::endl;
        if (const std::string path = args.text("json", ""); !path.empty()) std::ofstream(path) << json.str() << "\n";
        curl_global_cleanup();
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "bench_sync_drain: " << error.what() << "\n";
        return 1;
    }
}
