// A real hub (SQLite store + HTTP server) on a free loopback port, for the sync tests.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "support/temp_dir.hpp"
#include "truthpoint/hub/server.hpp"
#include "truthpoint/hub/sqlite_store.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::testing {

class LoopbackHub {
public:
    explicit LoopbackHub(const TempDir& dir, const std::string& kiosk_id = "k-sync", const std::string& store = "s-1") {
        auto opened = hub::SqliteStore::open(db_path_ = dir.file("hub.db"));
        REQUIRE(opened);
        store_ = std::move(opened.value());
        token_ = hub::generate_token().value();
        REQUIRE(store_->add_kiosk({kiosk_id, store, "", hub::hash_token(token_)}, core::now_utc()));
        start();
    }
    ~LoopbackHub() { stop(); }

    void start() {
        if (const std::string error = try_start(); !error.empty()) FAIL(error);
    }
    // start() without Catch macros, which must not run off the test's thread: "" or what went wrong.
    std::string try_start() {
        server_ = std::make_unique<hub::Server>(*store_);
        auto bound = server_->bind({"127.0.0.1", port_});
        if (!bound) {
            server_.reset();
            return "the hub cannot listen on port " + std::to_string(port_) + ": " + bound.error().message;
        }
        port_ = bound.value().port;
        thread_ = std::thread([this] { (void)server_->run(); });
        return {};
    }
    // A hub process restart, as far as a kiosk can tell: the server stops (in-flight requests finish),
    // the database is closed and reopened, and after `down` the hub listens again on the same port.
    // Callable from another thread while no test code uses store(). "" or what went wrong.
    std::string restart(std::chrono::milliseconds down) {
        stop();
        store_.reset();
        auto reopened = hub::SqliteStore::open(db_path_);
        if (!reopened) return "the hub cannot reopen " + db_path_ + ": " + reopened.error().message;
        store_ = std::move(reopened.value());
        std::this_thread::sleep_for(down);
        return try_start();
    }
    void stop() {
        if (!server_) return;
        server_->stop();
        if (thread_.joinable()) thread_.join();
        server_.reset();
    }

    int port() const { return port_; }
    sync::HubEndpoint endpoint() const { return {"http://127.0.0.1:" + std::to_string(port_), token_}; }
    std::int64_t stored_events() { return store_->stats().value().total_events; }
    hub::Store& store() { return *store_; }

private:
    std::unique_ptr<hub::SqliteStore> store_;
    std::unique_ptr<hub::Server> server_;
    std::thread thread_;
    std::string token_;
    std::string db_path_;
    int port_ = 0;
};

}  // namespace truthpoint::testing
