// Shared helpers for the hub tests: a fresh database of either engine, a real hub (that database +
// HTTP server on 127.0.0.1, port 0) run in-process, valid events, gzip bodies, and running the real
// truthpoint-hub executable.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <httplib.h>
#include <sys/types.h>

#include "support/temp_dir.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/server.hpp"
#include "truthpoint/hub/sqlite_store.hpp"

namespace truthpoint::hub_test {

// The memory ceilings of the hostile suites hold for the hub as built: under AddressSanitizer (shadow
// memory, quarantine) or ThreadSanitizer a process's RSS is several times larger whatever it does, so
// there the ceilings are not checked. The plain suite, which CI runs first, checks them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kMemoryCeilingsApply = false;
#else
inline constexpr bool kMemoryCeilingsApply = true;
#endif

using testing::TempDir;

// An enrolled kiosk and its clear-text token.
struct EnrolledKiosk {
    std::string kiosk_id;
    std::string store_id;
    std::string token;
};

// Enrols a kiosk straight in the store, the way `kiosk add` does.
EnrolledKiosk enrol(hub::Store& store, const std::string& kiosk_id, const std::string& store_id,
                    const std::string& region = "");

// A new SQLite hub database in `dir`, as `truthpoint-hub db init` makes it; returns its --db URL. The
// commands other than `serve` and `db init` refuse a SQLite path that does not exist.
std::string new_sqlite_hub(const TempDir& dir, const std::string& name = "hub.db");

// The storage engines the shared ingest suite runs against: in a test case,
//     const std::string engine = GENERATE(as<std::string>{}, "sqlite", "postgresql");
// then TestDatabase(engine) or RunningHub(engine).
inline constexpr const char* kSqlite = "sqlite";
inline constexpr const char* kPostgresql = "postgresql";

// A fresh, empty database of one engine: a temp SQLite file, or a new database on the test
// PostgreSQL server (postgres_server.hpp). Removed (SQLite) or left to the throwaway server.
class TestDatabase {
public:
    explicit TestDatabase(const std::string& engine);
    const std::string& engine() const { return engine_; }
    bool is_postgresql() const { return engine_ == kPostgresql; }
    const std::string& url() const { return url_; }  // for --db and open_store
    // open_store(url()), migrated; REQUIREs success.
    std::unique_ptr<hub::Store> open() const;
    // Runs SQL on a connection of its own; the first column of the first row, or "".
    std::string execute(const std::string& sql) const;

private:
    std::string engine_;
    TempDir dir_;
    std::string url_;
};

// A hub serving a fresh database on a free loopback port, stopped and joined on destruction.
class RunningHub {
public:
    explicit RunningHub(hub::ServerOptions options = {});
    explicit RunningHub(const std::string& engine, hub::ServerOptions options = {});
    ~RunningHub();

    hub::Store& store() { return *store_; }
    const TestDatabase& database() const { return database_; }
    int port() const { return port_; }
    const EnrolledKiosk& kiosk() const { return kiosk_; }  // k-1 in s-1
    // A fresh client with short timeouts (a hang fails the test instead of blocking it).
    std::unique_ptr<httplib::Client> client() const;
    std::int64_t stored_events() { return store_->stats().value().total_events; }
    // Headers of a signed-in admin (made at first use), for the dashboard and the BI endpoints.
    const httplib::Headers& admin_headers();

    // POST /api/v1/batches with the kiosk's token, unless `headers` brings its own Authorization.
    httplib::Result post_batch(const std::string& body, httplib::Headers headers = {},
                               const std::string& content_type = "application/json");

private:
    TestDatabase database_;
    std::unique_ptr<hub::Store> store_;
    std::unique_ptr<hub::Server> server_;
    std::thread thread_;
    EnrolledKiosk kiosk_;
    int port_ = 0;
    httplib::Headers admin_headers_;
};

// A valid event of the given type (data filled in as core expects) with a fresh UUIDv7 id.
core::Event make_event(core::EventType type, const std::string& sku = "sku-1");
std::string batch_body(const std::vector<core::Event>& events, const std::string& batch_id = "batch-1");
// The event as prepare_batch hands it to a store: canonical text, its hash, occurred_at formatted, data's place.
hub::IncomingEvent incoming(const core::Event& event);
// Takes away what the migrations after schema `version` added, from schema 13 on (earlier ones are undone by
// the tests that go back past them): for a test that takes a database back to an older schema and reopens it.
void drop_schema_after(const TestDatabase& database, int version);
// A trigger that aborts the insert of any event whose sku is 'poison': a stand-in for a disk error
// part-way through a batch.
void poison_inserts(const TestDatabase& database);

// Stores a decoded batch as POST /api/v1/batches does, without HTTP (prepare_batch, one store_events,
// tally_outcomes); kiosk and store come from `sender`. For tests that need events stored with a reply.
hub::Result<core::BatchReply> ingest_batch(hub::Store& store, const hub::KioskIdentity& sender,
                                           const core::Batch& batch, core::Timestamp received_at);

// Two well-formed receipt hashes (64 hex digits, as a till's HMAC-SHA256 would be).
inline const std::string kReceiptHashA(64, 'a');
inline const std::string kReceiptHashB = std::string(63, 'b') + "1";
// Post-purchase feedback on `sku` that names the receipt `receipt_hash`.
core::Event feedback(const std::string& sku, const std::string& receipt_hash);
// Every stored event's id, and whether a receipt has verified it as a purchase.
std::map<std::string, bool> verified_by_id(hub::Store& store);
// The value of one series (its name with labels, as printed) in GET /metrics text; -1 when absent.
std::int64_t metric(const std::string& text, const std::string& series);

std::string gzip(const std::string& data);
// A gzip stream inflating to `inflated_bytes` zeros, built without holding them in memory.
std::string gzip_of_zeros(std::size_t inflated_bytes);

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs truthpoint-hub with `arguments` and TRUTHPOINT_HUB_DB=`database_url` (unless empty), `input` on
// its standard input (a pipe), and waits.
ProcessResult run_hub_cli(const std::vector<std::string>& arguments, const std::string& database_url,
                          const std::string& input = "");

// Adds a user straight in the store with a live session, and returns the session's token.
std::string open_session(hub::Store& store, const std::string& name, hub::UserRole role,
                         const std::string& region = "");
// The token as a BI client sends it (bearer) and as a browser does (cookie).
httplib::Headers session_headers(const std::string& token);

std::vector<std::string> split_lines(const std::string& text);

// `truthpoint-hub serve --listen 127.0.0.1:0 --db URL` as a child process whose stdout we read;
// killed on destruction if still running.
class ServeProcess {
public:
    explicit ServeProcess(const std::string& database_url);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    // Everything printed until the first newline (10 s at most).
    std::string first_line();
    // Reads the "listening on" line and returns the port.
    int wait_for_port();
    // Sends `signal`, then returns the exit code and whatever else was printed on stdout.
    std::pair<int, std::string> stop(int signal);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
};

}  // namespace truthpoint::hub_test
