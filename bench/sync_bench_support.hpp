// Shared by bench_sync_drain and bench_hub_ingest: realistic events (simulate_shoppers, replicated with fresh
// ids), a `truthpoint-hub serve` child process with its RSS, kiosk enrolment through the Store interface,
// and a pool of libcurl clients POSTing pre-built gzipped batches. Only public interfaces of the hub.
#pragma once

#include <curl/curl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "truthpoint/app/ledger.hpp"
#include "truthpoint/app/product_catalog.hpp"
#include "truthpoint/app/simulate.hpp"
#include "truthpoint/core/sqlite.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/store.hpp"
#include "truthpoint/hub/tokens.hpp"
#include "truthpoint/sync/hub_client.hpp"

namespace truthpoint::bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// "--key value" pairs; a key without a value (the last one, or one followed by another --key) is "1".
class Arguments {
public:
    Arguments(int argc, char** argv) {
        for (int i = 1; i < argc; ++i) {
            std::string key = argv[i];
            if (key.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument: " + key);
            const bool has_value = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
            values_[key.substr(2)] = has_value ? argv[++i] : "1";
        }
    }
    std::string text(const std::string& key, const std::string& fallback) const {
        auto found = values_.find(key);
        return found == values_.end() ? fallback : found->second;
    }
    long number(const std::string& key, long fallback) const {
        auto found = values_.find(key);
        return found == values_.end() ? fallback : std::stol(found->second);
    }
    bool flag(const std::string& key) const { return values_.count(key) > 0; }

private:
    std::map<std::string, std::string> values_;
};

inline double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Nearest-rank percentile (p in 0..100).
inline double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    std::size_t rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// One event as the ledger holds it: the columns Ledger::append writes and its frozen wire text.
struct FrozenEvent {
    std::string id;
    std::string type;
    std::string occurred_at;
    std::string payload;  // core::encode_event: what the kiosk sends, byte for byte
};

// `count` realistic events: `template_count` written by app::simulate_shoppers (the FMOT flow and staff logs
// in five languages, each committed like a tap) into a scratch ledger, then repeated with fresh UUIDv7 event
// and session ids and timestamps moved back by whole template spans, so every event is unique and the mix
// of types, locales, skus and data is the simulation's.
inline std::vector<FrozenEvent> realistic_events(const fs::path& catalog, const fs::path& scratch_dir,
                                                 std::size_t count, std::size_t template_count = 2000,
                                                 std::uint64_t seed = 7) {
    auto shelf = app::load_product_catalog(catalog.string());
    if (!shelf) throw std::runtime_error("cannot read the catalog " + catalog.string() + ": " + shelf.error().message);
    app::KioskConfig config;
    config.kiosk_id = "k-bench";
    config.store_id = "s-bench";
    config.languages = {"en", "fa", "ar", "el", "tr"};

    const fs::path path = scratch_dir / ("simulated-" + std::to_string(template_count) + ".db");
    fs::remove(path);
    fs::remove(path.string() + "-wal");
    fs::remove(path.string() + "-shm");
    std::vector<core::Event> templates;
    {
        auto ledger = app::Ledger::open(path.string()).value();
        app::simulate_shoppers(config, shelf.value(), ledger,
                               {static_cast<std::int64_t>(template_count), seed});
    }
    {
        core::sqlite::Connection db(path.string());
        auto select = db.prepare("SELECT payload FROM events ORDER BY seq");
        while (select.step()) {
            auto decoded = core::decode_event_text(select.column_text(0));
            if (!decoded) throw std::runtime_error("simulated event does not decode: " + decoded.error().message);
            templates.push_back(decoded.value());
        }
    }
    fs::remove(path);
    if (templates.empty()) throw std::runtime_error("simulate_shoppers wrote no events");
    const auto [first, last] = std::minmax_element(templates.begin(), templates.end(), [](auto& a, auto& b) {
        return a.occurred_at < b.occurred_at;
    });
    const auto span = last->occurred_at - first->occurred_at + std::chrono::minutes(1);

    core::UuidV7Generator ids;
    std::vector<FrozenEvent> events;
    events.reserve(count);
    const std::size_t cycles = (count + templates.size() - 1) / templates.size();
    for (std::size_t cycle = 0; cycle < cycles && events.size() < count; ++cycle) {
        // Oldest cycle first, so the ledger's order (seq) follows time as a real backlog does.
        const auto shift = span * static_cast<long>(cycles - 1 - cycle);
        std::map<std::string, std::string> sessions;
        for (const core::Event& original : templates) {
            if (events.size() == count) break;
            core::Event event = original;
            event.occurred_at = original.occurred_at - std::chrono::duration_cast<std::chrono::milliseconds>(shift);
            event.id = ids.next_at(event.occurred_at);
            auto [session, fresh] = sessions.try_emplace(original.session_id);
            if (fresh) session->second = ids.next_at(event.occurred_at);
            event.session_id = session->second;
            events.push_back({event.id, std::string(core::to_string(event.type)), core::format_rfc3339(event.occurred_at),
                              core::encode_event(event)});
        }
    }
    return events;
}

// A ledger holding `events` as pending, written in one transaction with the columns and bytes Ledger::append
// would write (append commits one event per transaction, far too slow for a 100,000-event backlog).
inline void write_backlog(const fs::path& path, const std::vector<FrozenEvent>& events) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
    { (void)app::Ledger::open(path.string()).value(); }
    core::sqlite::Connection db(path.string());
    core::sqlite::Transaction transaction(db);
    auto insert = db.prepare("INSERT INTO events (id, type, occurred_at, payload) VALUES (?1, ?2, ?3, ?4)");
    for (const FrozenEvent& event : events) {
        insert.bind(1, event.id).bind(2, event.type).bind(3, event.occurred_at).bind(4, event.payload);
        insert.step();
        insert.reset();
    }
    transaction.commit();
}

inline void remove_database(const fs::path& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
}

// Enrols kiosks through the hub's Store interface (what `truthpoint-hub kiosk add` does); returns their tokens.
inline std::vector<std::string> enrol_kiosks(const fs::path& db_path, int count, const std::string& prefix = "k-") {
    auto store = hub::open_store("sqlite:" + db_path.string());
    if (!store) throw std::runtime_error("cannot open the hub database: " + store.error().message);
    std::vector<std::string> tokens;
    const auto now = core::now_utc();
    for (int i = 0; i < count; ++i) {
        std::string token = hub::generate_token().value();
        const std::string kiosk = prefix + std::to_string(i);
        const std::string shop = "s-" + std::to_string(i / 4);  // four kiosks a store
        auto added = store.value()->add_kiosk({kiosk, shop, "bench", hub::hash_token(token)}, now);
        if (!added) throw std::runtime_error("cannot enrol " + kiosk + ": " + added.error().message);
        tokens.push_back(std::move(token));
    }
    return tokens;
}

inline long proc_status_kb(pid_t pid, const char* field) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(status, line)) {
        if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
    }
    return -1;
}

// CPU time (user + system) a process has used, its ended threads included, in ms.
inline double process_cpu_ms(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto after_name = text.rfind(')');  // the name may hold spaces; the fields after it do not
    if (after_name == std::string::npos) return -1;
    std::istringstream fields(text.substr(after_name + 2));
    std::string field;
    double ticks = 0;
    for (int number = 3; number <= 15 && fields >> field; ++number) {
        if (number == 14 || number == 15) ticks += std::stod(field);  // utime, stime
    }
    return ticks * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU time this process (every thread of it, ended ones included) has used, in ms.
inline double own_cpu_ms() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1000.0 + t.tv_usec / 1000.0; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// One named thread's time on a CPU and time spent runnable but waiting for one (/proc/.../schedstat, ns).
struct ThreadSchedule {
    double on_cpu_ms = 0, waiting_ms = 0;
};
inline ThreadSchedule thread_schedule(pid_t pid, const std::string& name) {
    const fs::path tasks = "/proc/" + std::to_string(pid) + "/task";
    std::error_code error;
    for (const auto& task : fs::directory_iterator(tasks, error)) {
        std::ifstream comm(task.path() / "comm");
        std::string thread_name;
        if (!std::getline(comm, thread_name) || thread_name != name) continue;
        std::ifstream schedstat(task.path() / "schedstat");
        double on_cpu_ns = 0, waiting_ns = 0;
        schedstat >> on_cpu_ns >> waiting_ns;
        return {on_cpu_ns / 1e6, waiting_ns / 1e6};
    }
    return {-1, -1};
}

// `truthpoint-hub serve --listen 127.0.0.1:0 --db sqlite:PATH` (or any --db URL) as a child process (its own RSS, and whatever
// the hub does inside — writer threads, queues — is measured as shipped). stderr goes to `log`.
struct DatabaseUrl {
    std::string url;  // as --db takes it
};

class HubProcess {
public:
    HubProcess(const fs::path& binary, const fs::path& db_path, const fs::path& log)
        : HubProcess(binary, DatabaseUrl{"sqlite:" + db_path.string()}, log) {}
    HubProcess(const fs::path& binary, const DatabaseUrl& database, const fs::path& log) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            dup2(out[1], STDOUT_FILENO);
            std::FILE* err = std::fopen(log.c_str(), "w");
            if (err) dup2(fileno(err), STDERR_FILENO);
            close(out[0]);
            const std::string& db = database.url;
            execl(binary.c_str(), binary.c_str(), "serve", "--listen", "127.0.0.1:0", "--db", db.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(out[1]);
        std::FILE* stream = fdopen(out[0], "r");
        char line[512];
        const std::string marker = "listening on ";
        while (std::fgets(line, sizeof line, stream)) {
            std::string text(line);
            if (auto at = text.find(marker); at != std::string::npos) {
                url_ = text.substr(at + marker.size());
                while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
                break;
            }
        }
        stdout_ = stream;  // kept open: the hub may print more
        if (url_.empty()) {
            stop();
            throw std::runtime_error("the hub did not start; see " + log.string());
        }
    }
    ~HubProcess() { stop(); }
    HubProcess(const HubProcess&) = delete;
    HubProcess& operator=(const HubProcess&) = delete;

    const std::string& url() const { return url_; }
    pid_t pid() const { return pid_; }
    long rss_kb() const { return proc_status_kb(pid_, "VmRSS"); }
    long peak_rss_kb() const { return proc_status_kb(pid_, "VmHWM"); }
    long threads() const { return proc_status_kb(pid_, "Threads"); }

    // SIGTERM (the hub finishes requests in flight and closes its database), then waits.
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        for (int i = 0; i < 200 && waitpid(pid_, &status, WNOHANG) == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (waitpid(pid_, &status, WNOHANG) == 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
        }
        pid_ = -1;
        if (stdout_) std::fclose(stdout_);
        stdout_ = nullptr;
    }

private:
    pid_t pid_ = -1;
    std::FILE* stdout_ = nullptr;
    std::string url_;
};

// A gzipped POST /api/v1/batches body, ready to send.
struct PreparedBatch {
    std::string gzipped;
    std::size_t json_bytes = 0;
    int events = 0;
};

inline std::string new_batch_id() {
    static core::UuidV7Generator ids;
    return ids.next();
}

// Batches of `per_batch` events, as push_pending would form them (its byte limit never binds for these).
inline std::vector<PreparedBatch> prepare_batches(const std::vector<FrozenEvent>& events, std::size_t first,
                                                  std::size_t count, std::size_t per_batch, int gzip_level = 6) {
    std::vector<PreparedBatch> batches;
    for (std::size_t at = first; at < first + count; at += per_batch) {
        std::vector<std::string> frozen;
        for (std::size_t i = at; i < std::min(first + count, at + per_batch); ++i) frozen.push_back(events[i].payload);
        const std::string json = core::encode_batch(new_batch_id(), frozen);
        batches.push_back({sync::gzip_compress(json, gzip_level), json.size(), static_cast<int>(frozen.size())});
    }
    return batches;
}

inline std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* body) {
    static_cast<std::string*>(body)->append(data, size * count);
    return size * count;
}

struct PostResult {
    long status = 0;   // 0: no HTTP answer
    int accepted = 0;  // accepted + duplicates, from a 200's body
    double ms = 0;
    long new_connections = 0;  // connections curl opened for this request (0: it reused its keep-alive one)
};

// One kiosk's HTTP connection: a reused libcurl handle, the headers HubClient sends.
class Poster {
public:
    Poster(const std::string& url, const std::string& token) {
        curl_ = curl_easy_init();
        headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + token).c_str());
        headers_ = curl_slist_append(headers_, "Content-Type: application/json");
        headers_ = curl_slist_append(headers_, "Content-Encoding: gzip");
        headers_ = curl_slist_append(headers_, "Expect:");
        target_ = url + "/api/v1/batches";
        curl_easy_setopt(curl_, CURLOPT_URL, target_.c_str());
        curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 60000L);
        curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, keep_body);
        curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &body_);
    }
    ~Poster() {
        curl_easy_cleanup(curl_);
        curl_slist_free_all(headers_);
    }
    Poster(const Poster&) = delete;
    Poster& operator=(const Poster&) = delete;

    PostResult post(const PreparedBatch& batch) {
        body_.clear();
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, batch.gzipped.data());
        curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(batch.gzipped.size()));
        PostResult result;
        const auto start = Clock::now();
        const CURLcode code = curl_easy_perform(curl_);
        result.ms = seconds_since(start) * 1000.0;
        if (code != CURLE_OK) return result;
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
        curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &result.new_connections);
        if (result.status == 200) {
            auto reply = core::decode_batch_reply(body_);
            if (reply) result.accepted = reply.value().accepted + reply.value().duplicates;
        }
        return result;
    }

private:
    CURL* curl_ = nullptr;
    curl_slist* headers_ = nullptr;
    std::string target_;
    std::string body_;
};

struct PumpResult {
    double seconds = 0;
    std::int64_t accepted = 0;
    std::int64_t retries = 0;  // 429/503 answers (the batch was sent again after a short pause)
    std::int64_t failures = 0;
    std::vector<double> latencies_ms;
};

// `clients` threads, each with its own connection, take the next batch until none is left; a 429/503 is
// retried after 20 ms. The clock runs from the start of the first POST to the last answer.
inline PumpResult pump(const std::string& url, const std::string& token, const std::vector<PreparedBatch>& batches,
                       int clients) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::int64_t> accepted{0}, retries{0}, failures{0};
    std::vector<std::vector<double>> latencies(clients);
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            Poster poster(url, token);
            for (std::size_t i = next++; i < batches.size(); i = next++) {
                for (int attempt = 0; attempt < 1000; ++attempt) {
                    PostResult result = poster.post(batches[i]);
                    if (result.status == 429 || result.status == 503) {
                        ++retries;
                        std::this_thread::sleep_for(std::chrono::milliseconds(20));
                        continue;
                    }
                    latencies[c].push_back(result.ms);
                    if (result.status == 200) {
                        accepted += result.accepted;
                    } else {
                        ++failures;
                    }
                    break;
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    PumpResult result;
    result.seconds = seconds_since(start);
    result.accepted = accepted;
    result.retries = retries;
    result.failures = failures;
    for (auto& each : latencies) result.latencies_ms.insert(result.latencies_ms.end(), each.begin(), each.end());
    return result;
}

// The file system a path lives on, as `df` shows it.
struct IngestRun {
    double events_per_s = 0;
    std::int64_t retries = 0;
};

// The hub's own ingest rate: `batches` POSTed by `clients` connections to a fresh `truthpoint-hub serve` on a
// fresh database (one enrolled kiosk); throws unless all `events` were accepted.
inline IngestRun ingest_series(const fs::path& hub_binary, const fs::path& dir, const std::string& tag,
                               const std::vector<PreparedBatch>& batches, std::size_t events, int clients) {
    const fs::path db = dir / ("hub-" + tag + ".db");
    remove_database(db);
    const auto tokens = enrol_kiosks(db, 1, "k-ingest-");
    HubProcess hub(hub_binary, db, dir / ("hub-" + tag + ".log"));
    const PumpResult pumped = pump(hub.url(), tokens[0], batches, clients);
    hub.stop();
    remove_database(db);
    if (pumped.accepted != static_cast<std::int64_t>(events) || pumped.failures) {
        throw std::runtime_error("ingest " + tag + ": " + std::to_string(pumped.accepted) + " of " +
                                 std::to_string(events) + " accepted, " + std::to_string(pumped.failures) +
                                 " failed batches");
    }
    return {static_cast<double>(events) / pumped.seconds, pumped.retries};
}

inline std::string filesystem_of(const fs::path& path) {
    std::string command = "df -T '" + path.string() + "' | tail -1";
    std::string text;
    if (std::FILE* pipe = popen(command.c_str(), "r")) {
        char buffer[512];
        while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
        pclose(pipe);
    }
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

// "[1.5, 2, 3]": a JSON array of numbers.
inline std::string json_list(const std::vector<double>& values) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
    return out.str() + "]";
}

inline std::string json_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) continue;
        out += c;
    }
    return out;
}

// Batches of `per_batch`, decoded and hashed as the hub would before storing it: what Store::store_events takes.
inline std::vector<std::vector<hub::IncomingEvent>> incoming_batches(const std::vector<FrozenEvent>& events, std::size_t per_batch) {
    std::vector<std::vector<hub::IncomingEvent>> batches;
    for (std::size_t at = 0; at < events.size(); at += per_batch) {
        auto& batch = batches.emplace_back();
        for (std::size_t i = at; i < std::min(events.size(), at + per_batch); ++i) {
            auto decoded = core::decode_event_text(events[i].payload);
            if (!decoded) throw std::runtime_error("event does not decode: " + decoded.error().message);
            std::size_t data_size = 0;
            std::string canonical = core::encode_event(decoded.value(), &data_size);
            std::string hash = hub::sha256_hex(canonical);
            std::string occurred_at = core::format_rfc3339(decoded.value().occurred_at);
            batch.push_back({decoded.value(), std::move(canonical), std::move(hash), std::move(occurred_at), data_size});
        }
    }
    return batches;
}

}  // namespace truthpoint::bench
