// A small HTTP-aware TCP proxy on 127.0.0.1 between the kiosk's HubClient and a LoopbackHub, for the
// fault-injection tests: it reads each request whole, asks a rule which fault to inject, and counts
// what it did, so that a test can prove the fault happened (a test that cannot fail is worthless).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace truthpoint::testing {

enum class Fault {
    None,        // forward, pass the hub's answer back
    Reset,       // read the request, then reset the kiosk's connection (RST): the hub never sees it
    DropAnswer,  // forward: the hub commits and answers; the answer is dropped and the connection closed
    SlowDrip,    // forward; the answer goes back a few bytes at a time, within the kiosk's total timeout
    Stall,       // forward; the answer is held back (a byte every 250 ms) until the kiosk gives up
    Answer500,   // answer 500 without forwarding
    Commit500,   // forward (the hub commits), then answer 500 instead of the hub's answer: a broken gateway
    Answer429,   // answer 429 with Retry-After: 1 without forwarding
    HubRestart,  // restart the hub while this request is in flight (cut mid-body, or while it is handled)
    Answer400,   // answer 400 / 409 / 403 to the whole batch without forwarding
    Answer409,
    Answer403,
    Answer503,   // answer 503 with the proxy's Retry-After (set_retry_after) without forwarding: a hub whose
                 // database is down answers so, to batches and /healthz alike
};
std::string_view to_string(Fault fault);

// What a rule sees of a request.
struct ProxiedRequest {
    std::string target;  // method and path: "POST /api/v1/batches", "GET /healthz"
    int index = 0;    // over the proxy's life, from 0
    int batch = 0;    // ordinal of the batch, known by its first event id, from 0; -1 for other requests
    int attempt = 1;  // how often a batch with this first event id has come, this time included
    bool fresh_connection = true;  // the first request on its kiosk connection
    std::vector<std::string> event_ids;
    bool contains(std::string_view id) const;
};
using FaultRule = std::function<Fault(const ProxiedRequest&)>;

struct ProxyLogEntry {
    std::string target;  // method and path
    int index = 0;
    int batch = 0;
    int attempt = 0;
    std::size_t events = 0;
    Fault fault = Fault::None;
    std::chrono::steady_clock::time_point arrived;   // the request was read whole
    std::chrono::steady_clock::time_point finished;  // the answer was written, or the connection closed
    long hub_status = 0;  // 0: the hub gave no answer (not forwarded, hub down, cut)
    int hub_accepted = 0;
    bool answered = false;  // the kiosk got a whole answer
};

class FaultProxy {
public:
    // `restart_hub` restarts the hub (blocking) and returns "" or an error; it runs on a proxy thread.
    explicit FaultProxy(int hub_port, FaultRule rule = {}, std::function<std::string()> restart_hub = {});
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    void set_rule(FaultRule rule);
    // Retry-After sent with Answer503, in seconds; 0 sends none (default 5, the hub's own when its
    // database is unavailable).
    void set_retry_after(int seconds);
    int port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // Closes every connection and joins every thread (restarts included). Idempotent.
    void stop();

    int injected(Fault fault) const;
    int injected_total() const;  // every fault but None
    int requests() const;
    // Events the hub stored (its answer said "accepted") whose answer never reached the kiosk: each
    // must come back exactly once as a duplicate.
    int withheld_accepted() const;
    int refused_upstream() const;    // requests that found the hub down: the kiosk's connection was reset
    int stalls_in_progress() const;  // answers being held back right now
    std::vector<ProxyLogEntry> log() const;
    std::vector<std::string> errors() const;  // proxy or restart failures: a test should assert none

private:
    struct Request;
    void accept_loop();
    void serve(int client);
    bool handle(int client, Request& request, bool fresh_connection);
    bool forward(int client, Request& request, ProxyLogEntry& entry);
    void restart_in_background();
    void note_error(std::string error);

    int hub_port_;
    int port_ = 0;
    int listener_ = -1;
    std::function<std::string()> restart_hub_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> stalls_{0};
    std::thread acceptor_;

    mutable std::mutex mutex_;  // guards everything below
    FaultRule rule_;
    int retry_after_ = 5;
    std::vector<std::thread> threads_;  // connection and restart threads, joined by stop()
    std::map<std::string, std::pair<int, int>> batches_;  // first event id → (ordinal, attempts)
    std::map<Fault, int> injected_;
    std::vector<ProxyLogEntry> log_;
    std::vector<std::string> errors_;
    int requests_ = 0;
    int withheld_accepted_ = 0;
    int refused_upstream_ = 0;
    int restarts_ = 0;
    std::mutex restart_mutex_;  // one hub restart at a time
};

}  // namespace truthpoint::testing
