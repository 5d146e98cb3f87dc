// Hub ingest (issue 5). Part 1: events/s in batches of 500 through `truthpoint-hub serve` over loopback HTTP
// (a pool of clients), through Store::store_events directly (no HTTP, no JSON), and a bare SQLite bulk insert
// of the same rows (the hub's events table, WAL, synchronous=FULL, one transaction per 500 rows, one prepared
// statement) — rotated within each round, medians over rounds. Part 2: 1,000 enrolled kiosks syncing at once
// (each one batch of 20–50 events on its own connection, spread over --connections client threads): per-batch
// latency p50/p99 and the hub process's RSS. Part 3: the same kiosks each on its own keep-alive connection,
// sending a batch every few seconds (jittered) for a dozen seconds: p50/p99 and RSS with 1,000 open connections.
//
// usage: bench_hub_ingest --hub-binary PATH --catalog PATH [--dir DIR] [--events 50000] [--rounds 3]
//                         [--clients 4] [--kiosks 1000] [--connections 100] [--burst-rounds 3] [--linger]
//                         [--steady-seconds 12] [--steady-interval-min 2] [--steady-interval-max 5]
//                         [--steady-rounds 2] [--json FILE]
#include <sqlite3.h>

#include <barrier>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sync_bench_support.hpp"

using namespace truthpoint;
using namespace truthpoint::bench;

namespace {

// The hub's events table and indexes (hub/src/sqlite_store.cpp: migrations 1–2, and 6, which dropped the
// (store, type) index): a mirror, not a call. If the hub's schema changes, the bare side should follow.
constexpr const char* kBareSchema = R"sql(
CREATE TABLE events (
    id            TEXT PRIMARY KEY,
    kiosk_id      TEXT NOT NULL,
    store_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    locale        TEXT NOT NULL,
    sku           TEXT,
    data          TEXT NOT NULL CHECK (json_valid(data)),
    payload_hash  TEXT NOT NULL,
    misuse        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX events_by_received ON events(received_at);
CREATE INDEX events_by_store_received ON events(store_id, received_at);
)sql";

void check(int code, sqlite3* db, const char* what) {
    if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW) {
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    }
}

struct StoreRun {
    double events_per_s = 0;
    // The same events stored and then counted into the rollups (Store::catch_up_rollups): the rate the hub
    // sustains with its rollup worker, which runs after ingest rather than inside its transactions.
    double counted_events_per_s = 0;
};

StoreRun store_series(const fs::path& dir, const std::string& tag,
                      const std::vector<std::vector<hub::IncomingEvent>>& batches, std::size_t events) {
    const fs::path db = dir / ("store-" + tag + ".db");
    remove_database(db);
    auto store = hub::open_store("sqlite:" + db.string());
    if (!store) throw std::runtime_error("cannot open " + db.string() + ": " + store.error().message);
    const hub::KioskIdentity sender{"k-store", "s-store", "bench"};
    if (!store.value()->add_kiosk({sender.kiosk_id, sender.store_id, "bench", hub::hash_token("t")}, core::now_utc())) {
        throw std::runtime_error("cannot enrol the kiosk");
    }
    const auto start = Clock::now();
    for (const auto& batch : batches) {
        auto stored = store.value()->store_events(sender, batch, core::now_utc());
        if (!stored) throw std::runtime_error("store_events failed: " + stored.error().message);
    }
    const double seconds = seconds_since(start);
    if (auto counted = store.value()->catch_up_rollups(); !counted) {
        throw std::runtime_error("catch_up_rollups failed: " + counted.error().message);
    }
    const double with_fold = seconds_since(start);
    store.value().reset();
    remove_database(db);
    return {static_cast<double>(events) / seconds, static_cast<double>(events) / with_fold};
}

// Bare SQLite: the same rows and columns the hub binds, nothing of ours between the loop and sqlite3_step.
double bare_series(const fs::path& dir, const std::string& tag,
                   const std::vector<std::vector<hub::IncomingEvent>>& batches, std::size_t events) {
    const fs::path path = dir / ("bare-" + tag + ".db");
    remove_database(path);
    // The rows as strings, built before the clock starts (the hub formats them inside store_events).
    struct Row {
        std::string id, type, occurred_at, session_id, locale, sku, data, hash;
        std::int64_t misuse;
    };
    std::vector<std::vector<Row>> rows;
    for (const auto& batch : batches) {
        auto& out = rows.emplace_back();
        for (const auto& incoming : batch) {
            const core::Event& e = incoming.event;
            out.push_back({e.id, std::string(core::to_string(e.type)), core::format_rfc3339(e.occurred_at),
                           e.session_id, e.locale, e.sku, e.data.dump(), incoming.payload_hash,
                           e.data.value("misuse", false) == true ? 1 : 0});
        }
    }
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;", nullptr,
                       nullptr, nullptr), db, "pragmas");
    check(sqlite3_exec(db, kBareSchema, nullptr, nullptr, nullptr), db, "schema");
    sqlite3_stmt* insert = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO events (id, kiosk_id, store_id, type, occurred_at, received_at, session_id, "
                             "locale, sku, data, payload_hash, misuse) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                             "?10, ?11, ?12)", -1, &insert, nullptr), db, "prepare");
    const auto start = Clock::now();
    for (const auto& batch : rows) {
        const std::string received = core::format_rfc3339(core::now_utc());
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (const Row& row : batch) {
            sqlite3_bind_text(insert, 1, row.id.data(), static_cast<int>(row.id.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 2, "k-bare", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, "s-bare", -1, SQLITE_STATIC);
            sqlite3_bind_text(insert, 4, row.type.data(), static_cast<int>(row.type.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 5, row.occurred_at.data(), static_cast<int>(row.occurred_at.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 6, received.data(), static_cast<int>(received.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 7, row.session_id.data(), static_cast<int>(row.session_id.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 8, row.locale.data(), static_cast<int>(row.locale.size()), SQLITE_STATIC);
            if (row.sku.empty()) {
                sqlite3_bind_null(insert, 9);
            } else {
                sqlite3_bind_text(insert, 9, row.sku.data(), static_cast<int>(row.sku.size()), SQLITE_STATIC);
            }
            sqlite3_bind_text(insert, 10, row.data.data(), static_cast<int>(row.data.size()), SQLITE_STATIC);
            sqlite3_bind_text(insert, 11, row.hash.data(), static_cast<int>(row.hash.size()), SQLITE_STATIC);
            sqlite3_bind_int64(insert, 12, row.misuse);
            check(sqlite3_step(insert), db, "insert");
            sqlite3_reset(insert);
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    const double seconds = seconds_since(start);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    remove_database(path);
    return static_cast<double>(events) / seconds;
}

struct BurstRun {
    double p50_ms = 0, p99_ms = 0, max_ms = 0, seconds = 0;
    // CPU used during the burst: the whole hub, its ingest writer thread (and the writer's time runnable but
    // waiting for a CPU), and this process, i.e. the simulated kiosks.
    double hub_cpu_ms = 0, writer_cpu_ms = 0, writer_waiting_ms = 0, clients_cpu_ms = 0;
    long rss_before_kb = 0, rss_after_kb = 0, peak_rss_kb = 0;
    std::int64_t events = 0, retries = 0, failures = 0;
};

// Every kiosk sends one batch on its own connection; `connections` threads each take kiosks t, t+N, t+2N, ...
// All start at once (a barrier). With `linger`, a kiosk's connection stays open until its thread is done, as a
// live HubClient's would; otherwise it is closed after the answer.
BurstRun burst(const fs::path& hub_binary, const fs::path& dir, const std::string& tag, const fs::path& enrolled,
               const std::vector<std::string>& tokens, const std::vector<PreparedBatch>& bodies, int connections,
               bool linger) {
    const fs::path db = dir / ("hub-" + tag + ".db");
    remove_database(db);
    fs::copy_file(enrolled, db);
    HubProcess hub(hub_binary, db, dir / ("hub-" + tag + ".log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    BurstRun run;
    run.rss_before_kb = hub.rss_kb();
    const int kiosks = static_cast<int>(tokens.size());
    std::vector<std::vector<double>> latencies(connections);
    std::atomic<std::int64_t> events{0}, retries{0}, failures{0};
    std::barrier start_line(connections + 1);
    const double hub_cpu_before = process_cpu_ms(hub.pid());
    const ThreadSchedule writer_before = thread_schedule(hub.pid(), "ingest-writer");
    const double clients_cpu_before = own_cpu_ms();
    std::vector<std::thread> threads;
    for (int t = 0; t < connections; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::unique_ptr<Poster>> open;
            start_line.arrive_and_wait();
            for (int k = t; k < kiosks; k += connections) {
                auto poster = std::make_unique<Poster>(hub.url(), tokens[k]);
                for (int attempt = 0; attempt < 100; ++attempt) {
                    const PostResult result = poster->post(bodies[k]);
                    if (result.status == 429 || result.status == 503) {
                        ++retries;  // the kiosk would back off; the latency of this batch keeps counting below
                        latencies[t].push_back(result.ms);
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                        continue;
                    }
                    latencies[t].push_back(result.ms);
                    if (result.status == 200) {
                        events += result.accepted;
                    } else {
                        ++failures;
                    }
                    break;
                }
                if (linger) open.push_back(std::move(poster));
            }
        });
    }
    start_line.arrive_and_wait();
    const auto start = Clock::now();
    for (auto& thread : threads) thread.join();
    run.seconds = seconds_since(start);
    run.clients_cpu_ms = own_cpu_ms() - clients_cpu_before;
    run.hub_cpu_ms = process_cpu_ms(hub.pid()) - hub_cpu_before;
    const ThreadSchedule writer_after = thread_schedule(hub.pid(), "ingest-writer");
    run.writer_cpu_ms = writer_after.on_cpu_ms - writer_before.on_cpu_ms;
    run.writer_waiting_ms = writer_after.waiting_ms - writer_before.waiting_ms;
    run.rss_after_kb = hub.rss_kb();
    run.peak_rss_kb = hub.peak_rss_kb();
    hub.stop();
    remove_database(db);
    std::vector<double> all;
    for (auto& each : latencies) all.insert(all.end(), each.begin(), each.end());
    run.p50_ms = percentile(all, 50);
    run.p99_ms = percentile(all, 99);
    run.max_ms = percentile(all, 100);
    run.events = events;
    run.retries = retries;
    run.failures = failures;
    return run;
}

struct SteadyRun {
    double p50_ms = 0, p99_ms = 0, max_ms = 0, seconds = 0, late_p99_ms = 0;
    long rss_before_kb = 0, rss_after_kb = 0, peak_rss_kb = 0, threads = 0;
    std::int64_t batches = 0, events = 0, retries = 0, failures = 0, reconnects = 0;
};

// "Thousands of kiosks, each syncing every few seconds": every kiosk holds its own keep-alive connection (as
// a live HubClient does) and sends its next batch `interval_min`..`interval_max` s after its previous one was
// due (uniform jitter; the first within one interval of the start), until `seconds` have passed. `connections`
// client threads each drive kiosks t, t+N, ... in the order they fall due. Latency runs from the start of the
// request to its answer; `late` is how far behind schedule a request started (the clients' own lag).
SteadyRun steady(const fs::path& hub_binary, const fs::path& dir, const std::string& tag, const fs::path& enrolled,
                 const std::vector<std::string>& tokens, const std::vector<std::vector<PreparedBatch>>& bodies,
                 int connections, double seconds, double interval_min, double interval_max) {
    const fs::path db = dir / ("hub-" + tag + ".db");
    remove_database(db);
    fs::copy_file(enrolled, db);
    HubProcess hub(hub_binary, db, dir / ("hub-" + tag + ".log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    SteadyRun run;
    run.rss_before_kb = hub.rss_kb();
    const int kiosks = static_cast<int>(tokens.size());
    std::vector<std::vector<double>> latencies(connections), lateness(connections);
    std::atomic<std::int64_t> batches{0}, events{0}, retries{0}, failures{0}, reconnects{0};
    std::atomic<long> threads_seen{0};
    std::barrier start_line(connections + 1);
    Clock::time_point start;
    std::vector<std::thread> threads;
    for (int t = 0; t < connections; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937_64 random(1000 + t);
            std::uniform_real_distribution<double> interval(interval_min, interval_max), phase(0, interval_max);
            struct Kiosk {
                int index;
                std::unique_ptr<Poster> poster;
                double due;  // seconds after start
                std::size_t sent = 0;
            };
            std::vector<Kiosk> mine;
            for (int k = t; k < kiosks; k += connections) {
                mine.push_back({k, std::make_unique<Poster>(hub.url(), tokens[k]), phase(random)});
            }
            start_line.arrive_and_wait();
            for (;;) {
                auto next = std::min_element(mine.begin(), mine.end(),
                                             [](const Kiosk& a, const Kiosk& b) { return a.due < b.due; });
                // Ends on time even when the hub is slow: late batches are not sent.
                if (next == mine.end() || next->due >= seconds || seconds_since(start) >= seconds) break;
                std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                          std::chrono::duration<double>(next->due)));
                lateness[t].push_back((seconds_since(start) - next->due) * 1000.0);
                const auto& body = bodies[next->index][next->sent % bodies[next->index].size()];
                for (int attempt = 0; attempt < 100; ++attempt) {
                    const PostResult result = next->poster->post(body);
                    latencies[t].push_back(result.ms);
                    reconnects += result.new_connections;
                    if (result.status == 429 || result.status == 503) {
                        ++retries;
                        std::this_thread::sleep_for(std::chrono::milliseconds(100));
                        continue;
                    }
                    if (result.status == 200) {
                        events += result.accepted;
                        ++batches;
                    } else {
                        ++failures;
                    }
                    break;
                }
                ++next->sent;
                next->due += interval(random);
            }
            if (t == 0) threads_seen = hub.threads();  // while every connection is still open
            start_line.arrive_and_wait();
        });
    }
    start = Clock::now() + std::chrono::milliseconds(100);  // published to the threads by the barrier
    start_line.arrive_and_wait();
    start_line.arrive_and_wait();
    run.seconds = seconds_since(start);
    run.rss_after_kb = hub.rss_kb();
    run.peak_rss_kb = hub.peak_rss_kb();
    for (auto& thread : threads) thread.join();
    hub.stop();
    remove_database(db);
    std::vector<double> all, late;
    for (auto& each : latencies) all.insert(all.end(), each.begin(), each.end());
    for (auto& each : lateness) late.insert(late.end(), each.begin(), each.end());
    run.p50_ms = percentile(all, 50);
    run.p99_ms = percentile(all, 99);
    run.max_ms = percentile(all, 100);
    run.late_p99_ms = percentile(late, 99);
    run.batches = batches;
    run.events = events;
    run.retries = retries;
    run.failures = failures;
    run.reconnects = reconnects;
    run.threads = threads_seen;
    return run;
}

std::string list(const std::vector<double>& values) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
    return out.str() + "]";
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments args(argc, argv);
        const fs::path dir = fs::absolute(args.text("dir", "bench-work/hub"));
        const fs::path hub_binary = args.text("hub-binary", "");
        const fs::path catalog = args.text("catalog", "");
        const auto events = static_cast<std::size_t>(args.number("events", 50000));
        const int rounds = static_cast<int>(args.number("rounds", 3));
        const int clients = static_cast<int>(args.number("clients", 4));
        const int kiosks = static_cast<int>(args.number("kiosks", 1000));
        const int connections = static_cast<int>(args.number("connections", 100));
        const int burst_rounds = static_cast<int>(args.number("burst-rounds", 3));
        const bool linger = args.flag("linger");
        const double steady_seconds = args.number("steady-seconds", 12);
        const double steady_min = args.number("steady-interval-min", 2);
        const double steady_max = args.number("steady-interval-max", 5);
        const int steady_rounds = static_cast<int>(args.number("steady-rounds", 2));
        // Enough batches that no kiosk sends one twice: its first at most one interval in, then one at least
        // every steady_min seconds.
        const int steady_per_kiosk = steady_rounds > 0 ? static_cast<int>(steady_seconds / steady_min) + 2 : 0;
        if (hub_binary.empty() || catalog.empty()) throw std::invalid_argument("--hub-binary and --catalog are needed");
        fs::create_directories(dir);
        curl_global_init(CURL_GLOBAL_ALL);
        std::cerr << "hub ingest: " << events << " events per series, " << rounds << " rounds; burst of " << kiosks
                  << " kiosks over " << connections << " connections; in " << dir << " on " << filesystem_of(dir)
                  << "\n";

        // Part 2's events come after part 1's, so no id repeats across the file.
        std::mt19937_64 random(11);
        std::uniform_int_distribution<int> burst_size(20, 50);
        std::vector<int> sizes(kiosks);
        std::size_t burst_events = 0;
        for (int& size : sizes) burst_events += (size = burst_size(random));
        std::vector<std::vector<int>> steady_sizes(kiosks, std::vector<int>(steady_per_kiosk));
        std::size_t steady_events = 0;
        for (auto& each : steady_sizes) {
            for (int& size : each) steady_events += (size = burst_size(random));
        }
        const auto all = realistic_events(catalog, dir, events + burst_events + steady_events);
        const std::vector<FrozenEvent> ingest_events(all.begin(), all.begin() + static_cast<long>(events));

        const auto bodies = prepare_batches(ingest_events, 0, events, 500, 6);
        const auto incoming = incoming_batches(ingest_events, 500);

        std::vector<double> http_rates, store_rates, counted_rates, bare_rates;
        std::int64_t http_retries = 0;
        for (int round = 0; round < rounds; ++round) {
            const int order[3][3] = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}};
            for (int series : order[round % 3]) {
                const std::string tag = std::to_string(round) + "-" + std::to_string(series);
                if (series == 0) {
                    auto run = ingest_series(hub_binary, dir, "http-" + tag, bodies, events, clients);
                    http_rates.push_back(run.events_per_s);
                    http_retries += run.retries;
                    std::cerr << "  round " << round << ": HTTP (" << clients << " clients) " << run.events_per_s
                              << " events/s\n";
                } else if (series == 1) {
                    const StoreRun run = store_series(dir, tag, incoming, events);
                    store_rates.push_back(run.events_per_s);
                    counted_rates.push_back(run.counted_events_per_s);
                    std::cerr << "  round " << round << ": Store::store_events " << run.events_per_s
                              << " events/s; stored and counted into the rollups " << run.counted_events_per_s
                              << " events/s\n";
                } else {
                    bare_rates.push_back(bare_series(dir, tag, incoming, events));
                    std::cerr << "  round " << round << ": bare SQLite " << bare_rates.back() << " rows/s\n";
                }
            }
        }

        // Part 2: 1,000 kiosks enrolled once in a template database, copied fresh for each burst.
        const fs::path enrolled = dir / "enrolled.db";
        remove_database(enrolled);
        auto start = Clock::now();
        const auto tokens = enrol_kiosks(enrolled, kiosks);
        std::cerr << "  " << kiosks << " kiosks enrolled in " << seconds_since(start) << " s\n";
        std::vector<PreparedBatch> kiosk_bodies;
        std::size_t at = events;
        for (int k = 0; k < kiosks; ++k) {
            kiosk_bodies.push_back(prepare_batches(all, at, static_cast<std::size_t>(sizes[k]), 500, 6).front());
            at += static_cast<std::size_t>(sizes[k]);
        }
        std::vector<BurstRun> bursts;
        for (int round = 0; round < burst_rounds; ++round) {
            auto run = burst(hub_binary, dir, "burst-" + std::to_string(round), enrolled, tokens, kiosk_bodies,
                             connections, linger);
            std::cerr << "  burst " << round << ": " << run.events << " events in " << run.seconds << " s, p50 "
                      << run.p50_ms << " ms, p99 " << run.p99_ms << " ms, max " << run.max_ms << " ms, hub RSS "
                      << run.rss_before_kb << " → " << run.rss_after_kb << " kB (peak " << run.peak_rss_kb
                      << "), retries " << run.retries << ", failures " << run.failures << "; CPU ms: hub "
                      << run.hub_cpu_ms << " (writer " << run.writer_cpu_ms << ", writer waiting for a CPU "
                      << run.writer_waiting_ms << "), kiosks " << run.clients_cpu_ms << "\n";
            if (run.events != static_cast<std::int64_t>(burst_events) || run.failures) {
                throw std::runtime_error("burst: " + std::to_string(run.events) + " of " +
                                         std::to_string(burst_events) + " events accepted");
            }
            bursts.push_back(run);
        }

        // Part 3: the same kiosks, each on its own keep-alive connection, syncing every few seconds.
        std::vector<std::vector<PreparedBatch>> steady_bodies(kiosks);
        for (int k = 0; k < kiosks; ++k) {
            for (int size : steady_sizes[k]) {
                steady_bodies[k].push_back(prepare_batches(all, at, static_cast<std::size_t>(size), 500, 6).front());
                at += static_cast<std::size_t>(size);
            }
        }
        std::vector<SteadyRun> steadies;
        for (int round = 0; round < steady_rounds; ++round) {
            auto run = steady(hub_binary, dir, "steady-" + std::to_string(round), enrolled, tokens, steady_bodies,
                              connections, steady_seconds, steady_min, steady_max);
            std::cerr << "  steady " << round << ": " << run.batches << " batches, " << run.events << " events in "
                      << run.seconds << " s, p50 " << run.p50_ms << " ms, p99 " << run.p99_ms << " ms, max "
                      << run.max_ms << " ms, client lag p99 " << run.late_p99_ms << " ms, hub RSS "
                      << run.rss_before_kb << " → " << run.rss_after_kb << " kB (peak " << run.peak_rss_kb
                      << "), hub threads " << run.threads << ", connections opened " << run.reconnects
                      << ", retries " << run.retries << ", failures " << run.failures << "\n";
            if (run.failures) throw std::runtime_error("steady: " + std::to_string(run.failures) + " batches failed");
            steadies.push_back(run);
        }
        remove_database(enrolled);

        auto pick = [&](auto member) {
            std::vector<double> values;
            for (const auto& run : bursts) values.push_back(static_cast<double>(run.*member));
            return values;
        };
        std::ostringstream json;
        json << "{\"events\": " << events << ", \"rounds\": " << rounds << ", \"clients\": " << clients
             << ", \"filesystem\": \"" << json_escape(filesystem_of(dir)) << "\""
             << ", \"http_events_per_s\": " << median(http_rates) << ", \"http_runs\": " << list(http_rates)
             << ", \"store_events_per_s\": " << median(store_rates) << ", \"store_runs\": " << list(store_rates)
             << ", \"store_counted_events_per_s\": " << median(counted_rates)
             << ", \"store_counted_runs\": " << list(counted_rates)
             << ", \"bare_rows_per_s\": " << median(bare_rates) << ", \"bare_runs\": " << list(bare_rates)
             << ", \"http_ratio\": " << median(http_rates) / median(bare_rates)
             << ", \"store_ratio\": " << median(store_rates) / median(bare_rates)
             << ", \"http_retries\": " << http_retries << ", \"kiosks\": " << kiosks
             << ", \"connections\": " << connections << ", \"linger\": " << (linger ? "true" : "false")
             << ", \"burst_events\": " << burst_events
             << ", \"burst_p50_ms\": " << median(pick(&BurstRun::p50_ms)) << ", \"burst_p50_runs\": "
             << list(pick(&BurstRun::p50_ms)) << ", \"burst_p99_ms\": " << median(pick(&BurstRun::p99_ms))
             << ", \"burst_p99_runs\": " << list(pick(&BurstRun::p99_ms))
             << ", \"burst_max_ms\": " << median(pick(&BurstRun::max_ms))
             << ", \"burst_seconds\": " << median(pick(&BurstRun::seconds))
             << ", \"burst_retries\": " << list(pick(&BurstRun::retries))
             << ", \"hub_rss_before_kb\": " << median(pick(&BurstRun::rss_before_kb))
             << ", \"hub_rss_after_kb\": " << median(pick(&BurstRun::rss_after_kb))
             << ", \"hub_peak_rss_kb\": " << median(pick(&BurstRun::peak_rss_kb));
        {
            // Little's law: with `connections` batches in flight, the mean latency is connections / throughput,
            // and throughput can be no more than cores / (CPU per batch) nor 1 / (writer CPU per batch).
            const double hub_per_batch = median(pick(&BurstRun::hub_cpu_ms)) / kiosks;
            const double writer_per_batch = median(pick(&BurstRun::writer_cpu_ms)) / kiosks;
            const double clients_per_batch = median(pick(&BurstRun::clients_cpu_ms)) / kiosks;
            const double cores = std::max(1u, std::thread::hardware_concurrency());
            json << ", \"burst_cpu_ms_per_batch\": {\"hub\": " << hub_per_batch << ", \"writer\": " << writer_per_batch
                 << ", \"kiosks\": " << clients_per_batch << "}"
                 << ", \"burst_writer_waiting_ms\": " << median(pick(&BurstRun::writer_waiting_ms))
                 << ", \"burst_floor_cpu_ms\": " << connections * (hub_per_batch + clients_per_batch) / cores
                 << ", \"burst_floor_writer_ms\": " << connections * writer_per_batch << ", \"cores\": " << cores;
        }
        if (!steadies.empty()) {
            auto steady_pick = [&](auto member) {
                std::vector<double> values;
                for (const auto& run : steadies) values.push_back(static_cast<double>(run.*member));
                return values;
            };
            json << ", \"steady_seconds\": " << steady_seconds << ", \"steady_interval_s\": [" << steady_min << ", "
                 << steady_max << "]"
                 << ", \"steady_batches\": " << median(steady_pick(&SteadyRun::batches))
                 << ", \"steady_events\": " << median(steady_pick(&SteadyRun::events))
                 << ", \"steady_p50_ms\": " << median(steady_pick(&SteadyRun::p50_ms))
                 << ", \"steady_p50_runs\": " << list(steady_pick(&SteadyRun::p50_ms))
                 << ", \"steady_p99_ms\": " << median(steady_pick(&SteadyRun::p99_ms))
                 << ", \"steady_p99_runs\": " << list(steady_pick(&SteadyRun::p99_ms))
                 << ", \"steady_max_ms\": " << median(steady_pick(&SteadyRun::max_ms))
                 << ", \"steady_client_lag_p99_ms\": " << median(steady_pick(&SteadyRun::late_p99_ms))
                 << ", \"steady_connections_opened\": " << median(steady_pick(&SteadyRun::reconnects))
                 << ", \"steady_retries\": " << list(steady_pick(&SteadyRun::retries))
                 << ", \"steady_hub_threads\": " << median(steady_pick(&SteadyRun::threads))
                 << ", \"steady_hub_rss_kb\": " << median(steady_pick(&SteadyRun::rss_after_kb))
                 << ", \"steady_hub_peak_rss_kb\": " << median(steady_pick(&SteadyRun::peak_rss_kb));
        }
        json << "}";
        std::cout << json.str() << std::endl;
        if (const std::string path = args.text("json", ""); !path.empty()) std::ofstream(path) << json.str() << "\n";
        curl_global_cleanup();
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "bench_hub_ingest: " << error.what() << "\n";
        return 1;
    }
}
