// Tap → committed: Ledger::append beside a bare single-row SQLite commit (WAL, synchronous=FULL)
// on the same disk. Run: build/bench/bench_ledger --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include <benchmark/benchmark.h>

#include <filesystem>

#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint;

namespace {

std::string fresh_path(const char* name) {
    const auto path = std::filesystem::current_path() / name;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
}

void BareSqliteCommit(benchmark::State& state) {
    const std::string path = fresh_path("bench-bare.db");
    app::Database db(path);
    db.exec("CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL)");
    core::UuidV7Generator ids;
    const std::string payload(220, 'x');  // about one event's JSON
    for (auto _ : state) {
        db.exec("BEGIN IMMEDIATE");
        db.prepare("INSERT INTO events (id, payload) VALUES (?1, ?2)").bind(1, ids.next()).bind(2, payload).run();
        db.exec("COMMIT");
    }
}
BENCHMARK(BareSqliteCommit)->UseRealTime();

void LedgerAppend(benchmark::State& state) {
    app::Ledger ledger(fresh_path("bench-ledger.db"));
    core::UuidV7Generator ids;
    const std::string session = ids.next();
    for (auto _ : state) {
        core::Event event;
        event.id = ids.next();
        event.type = core::EventType::FmotReaction;
        event.occurred_at = core::now_utc();
        event.session_id = session;
        event.locale = "fa";
        event.sku = "8710398500103";
        event.data = {{"reaction", "happy"}, {"ms_to_react", 2400}};
        ledger.append(event);
    }
}
BENCHMARK(LedgerAppend)->UseRealTime();

}  // namespace
