// Tap → committed: the latency of an fmot.reaction from EventRecorder::record() (what the kiosk's UI
// thread calls at the tap) to its result appearing in take_results() (what the UI reads before it may
// say "thank you"), beside a bare single-row SQLite commit (WAL, synchronous=FULL, the ledger's table
// shape, a statement prepared once) in the same directory, interleaved sample by sample in one process.
// Ledger::append called directly is a third series: the difference to the recorder is the thread hop.
// Two post-purchase answers go through the same recorder, interleaved with the others: an smot.feedback
// (a rating with a receipt hash) and an smot.comment of 200 code points in Persian, timed from the tap
// as PostPurchaseFlow::comment_done handles it: scrubbed on the UI thread, then recorded.
//
// usage: bench_tap_commit [--dir DIR] [--samples N] [--warmup N] [--json FILE] [--keep]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "truthpoint/app/event_recorder.hpp"
#include "truthpoint/app/ledger.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/scrub.hpp"
#include "truthpoint/core/time.hpp"
#include "truthpoint/core/uuid.hpp"
#include "truthpoint/core/wire.hpp"

namespace fs = std::filesystem;
using namespace truthpoint;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    fs::path dir = fs::current_path();
    int samples = 2000;
    int warmup = 100;
    std::string json_path;
    bool keep = false;
};

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--dir") {
            options.dir = value();
        } else if (arg == "--samples") {
            options.samples = std::stoi(value());
        } else if (arg == "--warmup") {
            options.warmup = std::stoi(value());
        } else if (arg == "--json") {
            options.json_path = value();
        } else if (arg == "--keep") {
            options.keep = true;
        } else {
            throw std::invalid_argument("unknown argument " + arg +
                                        "; usage: bench_tap_commit [--dir DIR] [--samples N] [--warmup N] "
                                        "[--json FILE] [--keep]");
        }
    }
    if (options.samples < 100) throw std::invalid_argument("--samples must be at least 100 for a p99");
    return options;
}

// The file system holding `dir`: the longest mount point in /proc/self/mounts that contains it.
std::string filesystem_of(const fs::path& dir) {
    const std::string path = fs::canonical(dir).string();
    std::ifstream mounts("/proc/self/mounts");
    std::string device, mount_point, type, rest, best = "unknown";
    std::size_t best_length = 0;
    while (mounts >> device >> mount_point >> type && std::getline(mounts, rest)) {
        const bool contains = path == mount_point || mount_point == "/" ||
                              path.rfind(mount_point + "/", 0) == 0;
        if (contains && mount_point.size() >= best_length) {
            best_length = mount_point.size();
            best = type + " (" + device + " on " + mount_point + ")";
        }
    }
    return best;
}

void remove_database(const fs::path& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix);
}

// A fmot.reaction as FmotFlow::tap_reaction makes it.
core::Event reaction_event(core::UuidV7Generator& ids, const std::string& session_id) {
    core::Event event;
    event.id = ids.next();
    event.type = core::EventType::FmotReaction;
    event.occurred_at = core::now_utc();
    event.session_id = session_id;
    event.locale = "fa";
    event.sku = "4006381333931";
    event.data = {{"reaction", "happy"}, {"ms_to_react", 2400}};
    return event;
}

// The post-purchase answers as PostPurchaseFlow makes them after a receipt typed on the keypad.
struct PurchaseContext {
    std::string session_id;
    std::string receipt_hash;
};

core::Event purchase_event(core::UuidV7Generator& ids, const PurchaseContext& purchase, core::EventType type,
                           nlohmann::json data) {
    core::Event event;
    event.id = ids.next();
    event.type = type;
    event.occurred_at = core::now_utc();
    event.session_id = purchase.session_id;
    event.locale = "fa";
    event.sku = "5206142000310";
    data["receipt_hash"] = purchase.receipt_hash;
    event.data = std::move(data);
    return event;
}

// smot.feedback as PostPurchaseFlow::rate records it.
core::Event feedback_event(core::UuidV7Generator& ids, const PurchaseContext& purchase) {
    return purchase_event(ids, purchase, core::EventType::SmotFeedback,
                          {{"rating", 4}, {"receipt", "keypad"}, {"ms_to_rate", 9100}});
}

// A Persian comment of `code_points` code points (a few sentences repeated, cut there), with nothing for the
// scrubber to remove: the usual case.
std::string persian_comment(std::size_t code_points) {
    const std::string words =
        "عسل خیلی خوبی است، هر هفته می‌خریم. بسته‌بندی محکم بود و در شیشه خوب بسته می‌شود. "
        "قیمتش کمی بالاست ولی کیفیتش ارزش دارد. بچه‌ها با نان صبحانه دوستش دارند. ";
    std::string text;
    std::size_t count = 0;
    for (std::size_t i = 0; count < code_points; i = (i + 1) % words.size()) {
        const bool lead = (static_cast<unsigned char>(words[i]) & 0xC0) != 0x80;
        if (lead) ++count;
        // This code point's bytes, whole.
        text.push_back(words[i]);
        while (i + 1 < words.size() && (static_cast<unsigned char>(words[i + 1]) & 0xC0) == 0x80) text.push_back(words[++i]);
    }
    return text;
}

std::size_t count_code_points(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The baseline: raw SQLite, one prepared INSERT into a table of the ledger's shape, one transaction per row.
class BareCommit {
public:
    explicit BareCommit(const fs::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            throw std::runtime_error("cannot open " + path.string());
        }
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        // The ledger's events table (app/src/ledger.cpp, migration 1), so both write the same pages.
        exec(R"sql(
            CREATE TABLE events (
                seq               INTEGER PRIMARY KEY AUTOINCREMENT,
                id                TEXT    NOT NULL UNIQUE,
                type              TEXT    NOT NULL,
                occurred_at       TEXT    NOT NULL,
                payload           TEXT    NOT NULL,
                state             TEXT    NOT NULL DEFAULT 'pending'
                                  CHECK (state IN ('pending', 'delivered', 'quarantined')),
                delivered_at      TEXT,
                quarantine_reason TEXT
            );
            CREATE INDEX events_by_state ON events (state, seq);
        )sql");
        if (sqlite3_prepare_v2(db_, "INSERT INTO events (id, type, occurred_at, payload) VALUES (?1, ?2, ?3, ?4)", -1,
                               &insert_, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sqlite3_errmsg(db_));
        }
    }
    ~BareCommit() {
        sqlite3_finalize(insert_);
        sqlite3_close_v2(db_);
    }
    BareCommit(const BareCommit&) = delete;
    BareCommit& operator=(const BareCommit&) = delete;

    // The same id, type, time and payload bytes the ledger writes.
    void commit(const std::string& id, const std::string& occurred_at, const std::string& payload) {
        exec("BEGIN IMMEDIATE");
        sqlite3_bind_text(insert_, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert_, 2, "fmot.reaction", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert_, 3, occurred_at.data(), static_cast<int>(occurred_at.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert_, 4, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
        if (sqlite3_step(insert_) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
        sqlite3_reset(insert_);
        exec("COMMIT");
    }

private:
    void exec(const char* sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(message);
        }
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* insert_ = nullptr;
};

// The kiosk's path: record() on this ("UI") thread, commit on the recorder's worker, the wake-up
// (in the kiosk an SDL event) back here, and the result read with take_results().
class RecorderPath {
public:
    explicit RecorderPath(const fs::path& path)
        : recorder_(path.string(), [this] {
              std::lock_guard lock(mutex_);
              ++wakes_;
              woken_.notify_one();
          }) {}

    void tap(core::Event event) {
        const std::string id = event.id;
        std::unique_lock lock(mutex_);
        const long wakes_before = wakes_;
        lock.unlock();
        recorder_.record(std::move(event));
        for (;;) {
            lock.lock();
            woken_.wait(lock, [&] { return wakes_ != wakes_before; });
            lock.unlock();
            for (const app::Commit& result : recorder_.take_results()) {
                if (result.event_id != id) continue;
                if (!result.status) throw std::runtime_error("the recorder failed: " + result.status.error().message);
                return;
            }
        }
    }

private:
    std::mutex mutex_;
    std::condition_variable woken_;
    long wakes_ = 0;
    app::EventRecorder recorder_;  // last: its worker calls back into the members above
};

struct Summary {
    double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

Summary summarise(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double fraction) {  // nearest rank
        const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(samples.size()) + 0.999999);
        return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
    };
    double sum = 0;
    for (double sample : samples) sum += sample;
    return Summary{at(0.50), at(0.90), at(0.99), samples.back(), sum / static_cast<double>(samples.size())};
}

double elapsed_us(Clock::time_point since) {
    return std::chrono::duration<double, std::micro>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options options = parse_options(argc, argv);
        fs::create_directories(options.dir);
        const fs::path recorder_db = options.dir / "tap-recorder.db";
        const fs::path ledger_db = options.dir / "tap-ledger.db";
        const fs::path bare_db = options.dir / "tap-bare.db";
        for (const auto& path : {recorder_db, ledger_db, bare_db}) remove_database(path);
        const std::string filesystem = filesystem_of(options.dir);
        std::printf("tap -> committed: %d samples per series after %d warm-up, in %s\n", options.samples,
                    options.warmup, fs::canonical(options.dir).c_str());
        std::printf("file system: %s\n", filesystem.c_str());

        core::UuidV7Generator ids;
        const std::string session_id = ids.next();
        const PurchaseContext purchase{ids.next(), core::receipt_hash(core::ReceiptKey::generate().value(), "40061234567890123")};
        const std::string draft = persian_comment(200);
        std::vector<double> recorder_us, ledger_us, bare_us, feedback_us, comment_us, scrub_us;
        {
            RecorderPath recorder(recorder_db);
            auto ledger = app::Ledger::open(ledger_db.string()).value();
            BareCommit bare(bare_db);

            constexpr int kSeries = 5;
            const int total = options.warmup + options.samples;
            for (int i = 0; i < total; ++i) {
                const bool measured = i >= options.warmup;
                // Rotate the order so that no series always follows the same one (WAL checkpoints, cache).
                for (int slot = 0; slot < kSeries; ++slot) {
                    switch ((i + slot) % kSeries) {
                        case 0: {
                            core::Event event = reaction_event(ids, session_id);
                            const auto start = Clock::now();
                            recorder.tap(std::move(event));
                            if (measured) recorder_us.push_back(elapsed_us(start));
                            break;
                        }
                        case 1: {
                            const core::Event event = reaction_event(ids, session_id);
                            const auto start = Clock::now();
                            if (auto saved = ledger.append(event); !saved) throw std::runtime_error(saved.error().message);
                            if (measured) ledger_us.push_back(elapsed_us(start));
                            break;
                        }
                        case 2: {
                            core::Event event = feedback_event(ids, purchase);
                            const auto start = Clock::now();
                            recorder.tap(std::move(event));
                            if (measured) feedback_us.push_back(elapsed_us(start));
                            break;
                        }
                        case 3: {
                            // From the tap on Next: the draft scrubbed on the UI thread, then recorded.
                            const auto start = Clock::now();
                            const core::ScrubbedText scrubbed = core::scrub_comment(draft);
                            const double scrubbed_after = elapsed_us(start);
                            recorder.tap(purchase_event(ids, purchase, core::EventType::SmotComment,
                                                        {{"comment", scrubbed.text}}));
                            if (measured) {
                                comment_us.push_back(elapsed_us(start));
                                scrub_us.push_back(scrubbed_after);
                            }
                            break;
                        }
                        default: {
                            // The baseline gets its row ready-made: encoding is part of what the ledger adds.
                            const core::Event event = reaction_event(ids, session_id);
                            const std::string payload = core::encode_event(event);
                            const std::string occurred_at = core::format_rfc3339(event.occurred_at);
                            const auto start = Clock::now();
                            bare.commit(event.id, occurred_at, payload);
                            if (measured) bare_us.push_back(elapsed_us(start));
                            break;
                        }
                    }
                }
            }
        }

        const Summary recorder = summarise(recorder_us);
        const Summary ledger = summarise(ledger_us);
        const Summary bare = summarise(bare_us);
        const Summary feedback = summarise(feedback_us);
        const Summary comment = summarise(comment_us);
        const Summary scrub = summarise(scrub_us);
        const std::size_t comment_code_points = count_code_points(draft);
        const std::size_t comment_payload_bytes =
            core::encode_event(purchase_event(ids, purchase, core::EventType::SmotComment, {{"comment", draft}})).size();
        std::printf("%-40s %9s %9s %9s %9s %9s\n", "series, microseconds", "p50", "p90", "p99", "max", "mean");
        const auto row = [](const char* name, const Summary& s) {
            std::printf("%-40s %9.1f %9.1f %9.1f %9.1f %9.1f\n", name, s.p50, s.p90, s.p99, s.max, s.mean);
        };
        row("EventRecorder fmot.reaction -> result", recorder);
        row("EventRecorder smot.feedback -> result", feedback);
        row("scrub + EventRecorder smot.comment", comment);
        row("  of which scrub_comment", scrub);
        row("Ledger::append, same thread", ledger);
        row("bare SQLite commit, baseline", bare);
        std::printf("smot.comment: %zu code points, %zu bytes encoded\n", comment_code_points, comment_payload_bytes);
        std::printf("p99 ratio recorder/bare: %.2f (goal ≤ 1.5)   p50 ratio: %.2f\n", recorder.p99 / bare.p99,
                    recorder.p50 / bare.p50);
        std::printf("p99 ratio to fmot.reaction: smot.feedback %.2f, smot.comment %.2f (goal ≤ 1.5)\n",
                    feedback.p99 / recorder.p99, comment.p99 / recorder.p99);

        if (!options.json_path.empty()) {
            std::ofstream out(options.json_path);
            const auto object = [](const Summary& s) {
                char buffer[256];
                std::snprintf(buffer, sizeof buffer,
                              "{\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f, \"mean\": %.1f}", s.p50,
                              s.p90, s.p99, s.max, s.mean);
                return std::string(buffer);
            };
            std::string quoted_fs;
            for (char c : filesystem) {
                if (c == '"' || c == '\\') quoted_fs += '\\';
                quoted_fs += c;
            }
            out << "{\"samples\": " << options.samples << ", \"filesystem\": \"" << quoted_fs << "\", \"dir\": \""
                << fs::canonical(options.dir).string() << "\", \"recorder_us\": " << object(recorder)
                << ", \"ledger_append_us\": " << object(ledger) << ", \"bare_commit_us\": " << object(bare)
                << ", \"answers_us\": {\"smot.feedback\": " << object(feedback) << ", \"smot.comment\": " << object(comment)
                << "}, \"scrub_us\": " << object(scrub) << ", \"comment_code_points\": " << comment_code_points
                << ", \"comment_payload_bytes\": " << comment_payload_bytes << "}\n";
        }
        if (!options.keep) {
            for (const auto& path : {recorder_db, ledger_db, bare_db}) remove_database(path);
        }
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_tap_commit: %s\n", error.what());
        return 1;
    }
}
