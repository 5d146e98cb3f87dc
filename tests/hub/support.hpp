// Shared helpers for the hub tests: a real hub (SQLite file + HTTP server on 127.0.0.1, port 0)
// run in-process, valid events, gzip bodies, and running the real truthpoint-hub executable.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "support/temp_dir.hpp"
#include "truthpoint/core/event.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/hub/server.hpp"
#include "truthpoint/hub/sqlite_store.hpp"

namespace truthpoint::hub_test {

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

// A hub serving a temp SQLite file on a free loopback port, stopped and joined on destruction.
class RunningHub {
public:
    explicit RunningHub(hub::ServerOptions options = {});
    ~RunningHub();

    hub::SqliteStore& store() { return *store_; }
    int port() const { return port_; }
    const EnrolledKiosk& kiosk() const { return kiosk_; }  // k-1 in s-1
    // A fresh client with short timeouts (a hang fails the test instead of blocking it).
    std::unique_ptr<httplib::Client> client() const;
    std::int64_t stored_events() { return store_->stats().value().total_events; }

    // POST /api/v1/batches with the kiosk's token, unless `headers` brings its own Authorization.
    httplib::Result post_batch(const std::string& body, httplib::Headers headers = {},
                               const std::string& content_type = "application/json");

private:
    TempDir dir_;
    std::unique_ptr<hub::SqliteStore> store_;
    std::unique_ptr<hub::Server> server_;
    std::thread thread_;
    EnrolledKiosk kiosk_;
    int port_ = 0;
};

// A valid event of the given type (data filled in as core expects) with a fresh UUIDv7 id.
core::Event make_event(core::EventType type, const std::string& sku = "sku-1");
std::string batch_body(const std::vector<core::Event>& events, const std::string& batch_id = "batch-1");

std::string gzip(const std::string& data);
// A gzip stream inflating to `inflated_bytes` zeros, built without holding them in memory.
std::string gzip_of_zeros(std::size_t inflated_bytes);

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs truthpoint-hub with `arguments` and TRUTHPOINT_HUB_DB=`database_url` (unless empty), waits.
ProcessResult run_hub_cli(const std::vector<std::string>& arguments, const std::string& database_url);

std::vector<std::string> split_lines(const std::string& text);

}  // namespace truthpoint::hub_test
