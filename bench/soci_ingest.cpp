// Our SQL seam or SOCI (issue 12): the hub's ingest path written three ways on each engine (four on SQLite), over
// the same rows.
//   hub   the hub itself: Store::store_batches (the group-commit writer's call), through the public API: the events
//         INSERT plus what the hub does around it (rollups, the kiosk's last-seen, resend/conflict outcomes).
//   ours  only the events INSERT, with the primitives the hub's bulk insert is written on: core::sqlite's prepared
//         statement, one step per row (SQLite); one multi-row INSERT per batch through libpq (PostgreSQL).
//   soci  the same INSERT through SOCI 4.0: soci::session, one prepared statement with use(std::vector<...>) bulk
//         binding per batch, soci::transaction per group. (SOCI 4.0 runs such a bulk statement row by row: SQLite
//         steps per row, as we do; PostgreSQL sends one PQexecPrepared, one round trip, per row.)
//   bare  SQLite only: the same INSERT through SQLite's C API alone, text bound without a copy: what any binding
//         layer over it costs. (On PostgreSQL, `ours` is already libpq alone.)
// `ours` and `soci` run the same SQL (same columns, ON CONFLICT (id) DO NOTHING) over the same rows: that pair is
// the seam-or-SOCI comparison; `hub` shows what the real path costs beside them. The hub's sql::Connection (the
// seam the roles are written over) is not measured by itself: its engine implementations live inside the stores'
// files, out of a benchmark's reach, and the hub's bulk insert does not go through it anyway.
//
// Every (round, way) gets a fresh database created by the hub's own migrations (SqliteStore / PostgresStore::open),
// with the kiosk enrolled. SQLite: a file in --dir, WAL, synchronous=FULL (core::sqlite's settings; set on SOCI's
// session too). PostgreSQL: a throwaway server (tests/hub/postgres_server.cpp: initdb in a temp dir, loopback).
// Batches of --batch events (a kiosk sends up to 500), --group batches per transaction (the writer's group commit).
// The ways are rotated within each round; prints one JSON object (per round, engine and way: events/s, this
// process's CPU per event, the 1-minute load average). Each way must leave exactly --events rows, or it fails.
//
// usage: bench_soci_ingest --catalog PATH [--dir DIR] [--events 20000] [--batch 500] [--group 8] [--rounds 5]
//                          [--engines sqlite,postgresql] [--json FILE]
#include <libpq-fe.h>

#include <iostream>

#include "postgres_server.hpp"
#include "sync_bench_support.hpp"
#include "truthpoint/hub/postgres_store.hpp"
#include "truthpoint/hub/sqlite_store.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/version.h>

// SOCI's SQLite backend, declared here: its header includes sqlite3.h inside a namespace of its own, which clashes
// with core::sqlite's (both from the same libsqlite3).
extern "C" soci::backend_factory const* factory_sqlite3();

using namespace truthpoint;
using namespace truthpoint::bench;

namespace {

const hub::KioskIdentity kSender{"k-soci", "s-soci", "bench"};

// One event as both bare ways bind it, worked out before any clock starts (the hub's request threads do the same:
// occurred_at and the data text come with IncomingEvent).
struct Row {
    std::string id, type, occurred_at, session_id, locale, sku, data, payload_hash, receipt_hash;
    bool misuse = false;
};

struct Workload {
    std::vector<std::vector<hub::IncomingEvent>> batches;
    std::vector<std::vector<Row>> rows;  // the same, as columns
};

Workload make_workload(const std::vector<FrozenEvent>& events, std::size_t per_batch) {
    Workload work;
    work.batches = incoming_batches(events, per_batch);
    for (const auto& batch : work.batches) {
        auto& rows = work.rows.emplace_back();
        for (const hub::IncomingEvent& incoming : batch) {
            const core::Event& e = incoming.event;
            const hub::EventFacts facts = hub::event_facts(e);
            rows.push_back({e.id, std::string(core::to_string(e.type)), incoming.occurred_at, e.session_id, e.locale,
                            e.sku, incoming.canonical.substr(8, incoming.data_size), incoming.payload_hash,
                            facts.receipt_hash, facts.misuse});
        }
    }
    return work;
}

// The groups the writer would store together: --group batches each.
template <typename Each>
void for_each_group(std::size_t batches, std::size_t group, Each&& each) {
    for (std::size_t first = 0; first < batches; first += group) each(first, std::min(batches, first + group));
}

// A fresh database migrated by the hub, the kiosk enrolled; returns its --db URL.
std::string fresh_database(const std::string& engine, const fs::path& dir, const std::string& tag) {
    std::string url;
    if (engine == "sqlite") {
        const fs::path path = dir / ("soci-" + tag + ".db");
        remove_database(path);
        url = "sqlite:" + path.string();
    } else {
        url = hub_test::PostgresServer::shared().create_database();
    }
    auto store = hub::open_store(url);
    if (!store) throw std::runtime_error("cannot open " + url + ": " + store.error().message);
    if (!store.value()->add_kiosk({kSender.kiosk_id, kSender.store_id, "bench", hub::hash_token("t")}, core::now_utc())) {
        throw std::runtime_error("cannot enrol the kiosk");
    }
    return url;
}

std::size_t event_count(const Workload& work) {
    std::size_t count = 0;
    for (const auto& batch : work.rows) count += batch.size();
    return count;
}

double hub_way(const std::string& url, const Workload& work, std::size_t group) {
    auto store = hub::open_store(url);
    if (!store) throw std::runtime_error("cannot open " + url + ": " + store.error().message);
    // BatchToStore owns its events: copied before the clock starts, as the ingest queue hands them over.
    std::vector<std::vector<hub::BatchToStore>> groups;
    for_each_group(work.batches.size(), group, [&](std::size_t first, std::size_t last) {
        auto& batches = groups.emplace_back();
        for (std::size_t b = first; b < last; ++b) batches.push_back({kSender, work.batches[b], {}});
    });
    const auto start = Clock::now();
    for (auto& batches : groups) {
        const core::Timestamp received = core::now_utc();
        for (auto& batch : batches) batch.received_at = received;
        for (const auto& stored : store.value()->store_batches(batches)) {
            if (!stored) throw std::runtime_error("store_batches failed: " + stored.error().message);
        }
    }
    return static_cast<double>(event_count(work)) / seconds_since(start);
}

constexpr const char* kColumns =
    "INSERT INTO events (id, kiosk_id, store_id, type, occurred_at, received_at, session_id, locale, sku, data, "
    "payload_hash, misuse, receipt_hash) VALUES ";

double ours_sqlite(const fs::path& path, const Workload& work, std::size_t group) {
    core::sqlite::Connection db(path.string());
    core::sqlite::Statement insert(
        db, std::string(kColumns) + "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING");
    const auto start = Clock::now();
    for_each_group(work.rows.size(), group, [&](std::size_t first, std::size_t last) {
        const std::string received = core::format_rfc3339(core::now_utc());
        core::sqlite::Transaction transaction(db);
        for (std::size_t b = first; b < last; ++b) {
            for (const Row& row : work.rows[b]) {
                insert.bind(1, row.id).bind(2, kSender.kiosk_id).bind(3, kSender.store_id).bind(4, row.type);
                insert.bind(5, row.occurred_at).bind(6, received).bind(7, row.session_id).bind(8, row.locale);
                row.sku.empty() ? insert.bind_null(9) : insert.bind(9, row.sku);
                insert.bind(10, row.data).bind(11, row.payload_hash).bind(12, std::int64_t{row.misuse});
                row.receipt_hash.empty() ? insert.bind_null(13) : insert.bind(13, row.receipt_hash);
                insert.step();
                insert.reset();
            }
        }
        transaction.commit();
    });
    return static_cast<double>(event_count(work)) / seconds_since(start);
}

// SQLite's C API with nothing between: the rows' own text bound SQLITE_STATIC (no copy), no clear_bindings, the
// same settings. Beside `ours` and `soci` it shows what the binding layer itself costs.
double bare_sqlite(const fs::path& path, const Workload& work, std::size_t group) {
    sqlite3* db = nullptr;
    const auto check = [&](int code, const char* what) {
        if (code != SQLITE_OK && code != SQLITE_DONE) throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
    };
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr), "open");
    std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> closer(db, &sqlite3_close_v2);
    check(sqlite3_exec(db, "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                           "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr), "pragmas");
    sqlite3_stmt* insert = nullptr;
    const std::string text =
        std::string(kColumns) + "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING";
    check(sqlite3_prepare_v3(db, text.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr), "prepare");
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> finalizer(insert, &sqlite3_finalize);
    const auto bind = [&](int index, const std::string& value) {
        check(sqlite3_bind_text(insert, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC), "bind");
    };
    const auto bind_or_null = [&](int index, const std::string& value) {  // the nullable sku and receipt hash
        value.empty() ? check(sqlite3_bind_null(insert, index), "bind") : bind(index, value);
    };
    const auto start = Clock::now();
    for_each_group(work.rows.size(), group, [&](std::size_t first, std::size_t last) {
        const std::string received = core::format_rfc3339(core::now_utc());
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
        for (std::size_t b = first; b < last; ++b) {
            for (const Row& row : work.rows[b]) {
                bind(1, row.id), bind(2, kSender.kiosk_id), bind(3, kSender.store_id), bind(4, row.type);
                bind(5, row.occurred_at), bind(6, received), bind(7, row.session_id), bind(8, row.locale);
                bind_or_null(9, row.sku), bind(10, row.data), bind(11, row.payload_hash);
                check(sqlite3_bind_int64(insert, 12, row.misuse ? 1 : 0), "bind");
                bind_or_null(13, row.receipt_hash);
                check(sqlite3_step(insert), "insert");
                sqlite3_reset(insert);
            }
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
    });
    return static_cast<double>(event_count(work)) / seconds_since(start);
}

void pq_check(PGconn* db, PGresult* result, const char* what) {
    const auto status = PQresultStatus(result);
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    const std::string message = ok ? "" : PQerrorMessage(db);
    PQclear(result);
    if (!ok) throw std::runtime_error(std::string(what) + ": " + message);
}

// As the hub's PostgreSQL insert: one multi-row INSERT per batch, text parameters, the sender's columns shared.
double ours_postgresql(const std::string& url, const Workload& work, std::size_t group) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> db(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(db.get()) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(db.get()));
    const auto start = Clock::now();
    for_each_group(work.rows.size(), group, [&](std::size_t first, std::size_t last) {
        const std::string received = core::format_rfc3339(core::now_utc());
        pq_check(db.get(), PQexec(db.get(), "BEGIN"), "begin");
        for (std::size_t b = first; b < last; ++b) {
            std::vector<const char*> values = {kSender.kiosk_id.c_str(), kSender.store_id.c_str(), received.c_str()};
            std::string sql = kColumns;
            int next = 4;
            for (const Row& row : work.rows[b]) {
                if (next > 4) sql += ',';
                // Columns in insert order; each `?` takes the next parameter number ($1..$3 are shared).
                for (const char* part : {"(?", ",$1,$2,?", ",?::timestamptz,$3::timestamptz,?", ",?", ",?",
                                         ",?::json", ",?", ",?::boolean", ",?)"}) {
                    for (const char* c = part; *c; ++c) {
                        if (*c == '?') {
                            sql += '$' + std::to_string(next++);
                        } else {
                            sql += *c;
                        }
                    }
                }
                values.insert(values.end(), {row.id.c_str(), row.type.c_str(), row.occurred_at.c_str(),
                                             row.session_id.c_str(), row.locale.c_str(),
                                             row.sku.empty() ? nullptr : row.sku.c_str(), row.data.c_str(),
                                             row.payload_hash.c_str(), row.misuse ? "true" : "false",
                                             row.receipt_hash.empty() ? nullptr : row.receipt_hash.c_str()});
            }
            sql += " ON CONFLICT (id) DO NOTHING";
            pq_check(db.get(),
                     PQexecParams(db.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                  nullptr, nullptr, 0),
                     "insert");
        }
        pq_check(db.get(), PQexec(db.get(), "COMMIT"), "commit");
    });
    return static_cast<double>(event_count(work)) / seconds_since(start);
}

// SOCI's fastest idiom: a prepared statement, every column bound to a vector, executed once per batch (its vectors
// filled from the rows inside the clock, as a SOCI caller must).
double soci_way(const std::string& engine, const std::string& url, const Workload& work, std::size_t group) {
    soci::session sql;
    if (engine == "sqlite") {
        sql.open(*factory_sqlite3(), "db=" + url.substr(std::string("sqlite:").size()) + " timeout=5");
        sql << "PRAGMA journal_mode = WAL";
        sql << "PRAGMA synchronous = FULL";
        sql << "PRAGMA foreign_keys = ON";
        // The settings checked, so that the comparison with core::sqlite's connection is fair.
        std::string journal;
        int synchronous = 0;
        sql << "PRAGMA journal_mode", soci::into(journal);
        sql << "PRAGMA synchronous", soci::into(synchronous);
        if (journal != "wal" || synchronous != 2) throw std::runtime_error("SOCI's SQLite session is not WAL + FULL");
    } else {
        // SOCI reads `key=value` words out of its connection string, so a URL would lose its database name.
        const auto& server = hub_test::PostgresServer::shared();
        sql.open(soci::postgresql, "host=127.0.0.1 port=" + std::to_string(server.port()) +
                                       " user=truthpoint dbname=" + url.substr(url.rfind('/') + 1));
    }
    const std::size_t width = work.rows.front().size();
    std::vector<std::string> id(width), kiosk(width, kSender.kiosk_id), store(width, kSender.store_id), type(width),
        occurred(width), received(width), session(width), locale(width), sku(width), data(width), hash(width),
        receipt(width);
    std::vector<int> misuse(width);
    std::vector<soci::indicator> sku_null(width), receipt_null(width);
    const bool postgresql = engine != "sqlite";
    // The same statement as `ours`: PostgreSQL needs its casts spelled out, as the hub's insert does.
    const std::string text =
        std::string(kColumns) + "(:id, :kiosk, :store, :type, " +
        (postgresql ? "CAST(:occurred AS timestamptz), CAST(:received AS timestamptz)" : ":occurred, :received") +
        ", :session, :locale, :sku, " + (postgresql ? "CAST(:data AS json)" : ":data") + ", :hash, " +
        (postgresql ? "CAST(:misuse AS boolean)" : ":misuse") + ", :receipt) ON CONFLICT (id) DO NOTHING";
    const auto prepare = [&] {
        return soci::statement((sql.prepare << text, soci::use(id), soci::use(kiosk), soci::use(store),
                                soci::use(type), soci::use(occurred), soci::use(received), soci::use(session),
                                soci::use(locale), soci::use(sku, sku_null), soci::use(data), soci::use(hash),
                                soci::use(misuse), soci::use(receipt, receipt_null)));
    };
    // SOCI 4.0's PostgreSQL backend keeps the first execution's values when a statement with vector bindings runs
    // again (SOCI/soci issues 910 and 1167, open): every later batch silently inserts the first one's rows again,
    // skipped here by ON CONFLICT. So on PostgreSQL the statement is prepared anew for each batch.
    std::optional<soci::statement> reused;
    if (!postgresql) reused.emplace(prepare());
    const auto start = Clock::now();
    for_each_group(work.rows.size(), group, [&](std::size_t first, std::size_t last) {
        const std::string now = core::format_rfc3339(core::now_utc());
        soci::transaction transaction(sql);
        for (std::size_t b = first; b < last; ++b) {
            const auto& rows = work.rows[b];
            // Every vector keeps its size (SOCI binds their buffers once); a short last batch shrinks them all.
            for (auto* column : {&id, &kiosk, &store, &type, &occurred, &received, &session, &locale, &sku, &data,
                                 &hash, &receipt}) {
                column->resize(rows.size(), column == &kiosk ? kSender.kiosk_id
                                            : column == &store ? kSender.store_id : std::string());
            }
            misuse.resize(rows.size());
            sku_null.resize(rows.size());
            receipt_null.resize(rows.size());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const Row& row = rows[i];
                id[i] = row.id;
                type[i] = row.type;
                occurred[i] = row.occurred_at;
                received[i] = now;
                session[i] = row.session_id;
                locale[i] = row.locale;
                sku[i] = row.sku;
                sku_null[i] = row.sku.empty() ? soci::i_null : soci::i_ok;
                data[i] = row.data;
                hash[i] = row.payload_hash;
                misuse[i] = row.misuse ? 1 : 0;
                receipt[i] = row.receipt_hash;
                receipt_null[i] = row.receipt_hash.empty() ? soci::i_null : soci::i_ok;
            }
            if (reused) {
                reused->execute(true);
            } else {
                prepare().execute(true);
            }
        }
        transaction.commit();
    });
    return static_cast<double>(event_count(work)) / seconds_since(start);
}

// The rows a way left in the events table: each way must have stored every event.
std::int64_t stored_events(const std::string& url) {
    auto store = hub::open_store(url);
    if (!store) throw std::runtime_error("cannot open " + url + ": " + store.error().message);
    auto count = store.value()->count_rows("events");
    if (!count) throw std::runtime_error("cannot count events: " + count.error().message);
    return count.value();
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Arguments arguments(argc, argv);
        const fs::path dir = fs::absolute(arguments.text("dir", "soci-bench"));
        const auto events = static_cast<std::size_t>(arguments.number("events", 20000));
        const auto per_batch = static_cast<std::size_t>(arguments.number("batch", 500));
        const auto group = static_cast<std::size_t>(arguments.number("group", 8));
        const int rounds = static_cast<int>(arguments.number("rounds", 5));
        std::vector<std::string> engines;
        std::stringstream list(arguments.text("engines", "sqlite,postgresql"));
        for (std::string engine; std::getline(list, engine, ',');) engines.push_back(engine);
        fs::create_directories(dir);

        std::cerr << "bench_soci_ingest: " << events << " events in batches of " << per_batch << ", " << group
                  << " batches per transaction, " << rounds << " rounds\n";
        const Workload work = make_workload(realistic_events(arguments.text("catalog", ""), dir, events), per_batch);
        // `bare` is SQLite's C API alone; on PostgreSQL `ours` is already libpq alone.
        const std::vector<std::string> all_ways = {"hub", "ours", "soci", "bare"};

        std::ostringstream json;
        json << "{\"events\": " << events << ", \"batch\": " << per_batch << ", \"group\": " << group
             << ", \"rounds\": " << rounds << ", \"soci_version\": \"" << SOCI_LIB_VERSION << "\", \"runs\": [";
        bool first_run = true;
        for (int round = 0; round < rounds; ++round) {
            for (const std::string& engine : engines) {
                std::vector<std::string> ways = all_ways;
                if (engine != "sqlite") ways.pop_back();
                // Rotated: each way goes first in turn, so a noisy minute falls on every way alike.
                for (std::size_t k = 0; k < ways.size(); ++k) {
                    const std::string& way = ways[(k + static_cast<std::size_t>(round)) % ways.size()];
                    const std::string tag = engine + "-" + way + "-" + std::to_string(round);
                    const std::string url = fresh_database(engine, dir, tag);
                    double rate = 0;
                    const double cpu_before = own_cpu_ms();
                    if (way == "hub") {
                        rate = hub_way(url, work, group);
                    } else if (way == "ours") {
                        rate = engine == "sqlite" ? ours_sqlite(url.substr(7), work, group)
                                                  : ours_postgresql(url, work, group);
                    } else if (way == "soci") {
                        rate = soci_way(engine, url, work, group);
                    } else {
                        rate = bare_sqlite(url.substr(7), work, group);
                    }
                    // This process's CPU (every thread; not the PostgreSQL server's): steadier than the rate on a
                    // busy machine.
                    const double cpu_us = (own_cpu_ms() - cpu_before) * 1000.0 / static_cast<double>(events);
                    const auto stored = stored_events(url);
                    if (stored != static_cast<std::int64_t>(events)) {
                        throw std::runtime_error(tag + " stored " + std::to_string(stored) + " events, not " +
                                                 std::to_string(events));
                    }
                    double load[3] = {0, 0, 0};
                    getloadavg(load, 3);
                    std::cerr << "  round " << round << " " << engine << " " << way << ": "
                              << static_cast<long>(rate) << " events/s, " << cpu_us << " µs CPU per event (load "
                              << load[0] << ")\n";
                    json << (first_run ? "" : ", ") << "{\"round\": " << round << ", \"engine\": \"" << engine
                         << "\", \"way\": \"" << way << "\", \"events_per_s\": " << rate << ", \"cpu_us_per_event\": " << cpu_us
                         << ", \"load1\": " << load[0]
                         << "}";
                    first_run = false;
                    if (engine == "sqlite") remove_database(url.substr(7));
                }
            }
        }
        json << "]}\n";
        const std::string path = arguments.text("json", "");
        if (path.empty()) {
            std::cout << json.str();
        } else {
            std::ofstream(path) << json.str();
        }
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "bench_soci_ingest: " << error.what() << "\n";
        return 1;
    }
}
