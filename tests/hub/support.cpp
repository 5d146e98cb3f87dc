// Helpers for the hub tests (see support.hpp).
#include "support.hpp"

#include <csignal>
#include <cstring>
#include <map>
#include <regex>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <sqlite3.h>

#include "postgres_server.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"
#include "truthpoint/hub/tokens.hpp"

extern char** environ;

namespace truthpoint::hub_test {
namespace {

core::UuidV7Generator& ids() {
    static core::UuidV7Generator generator;
    return generator;
}

nlohmann::json data_for(core::EventType type) {
    using core::EventType;
    switch (type) {
        case EventType::SessionStart: return nlohmann::json::object();
        case EventType::SessionEnd: return {{"outcome", "completed"}};
        case EventType::FmotReaction: return {{"reaction", "happy"}, {"ms_to_react", 1200}};
        case EventType::FmotDriver: return {{"drivers", {"price", "packaging"}}};
        case EventType::FmotIntent: return {{"intent", "buy_now"}};
        case EventType::SmotFeedback: return {{"rating", 4}, {"nps", 9}, {"comment", "good, \"really\""}};
        case EventType::UmotReview: return {{"rating", 5}, {"text", "would buy again"}, {"consent", true}};
        case EventType::StaffShelf: return {{"observation", "picked_up"}};
        case EventType::KioskHeartbeat: return {{"pending", 0}};
        case EventType::SmotExpectations: return {{"expectations", "met"}};
        case EventType::SmotRecommend: return {{"score", 8}};
        case EventType::SmotTopics: return {{"glory", {"quality"}}, {"pain", {"checkout"}}};
        case EventType::SmotComment: return {{"comment", "crisp, \"fresh\""}};
        case EventType::UmotConsent: return {{"consent", true}};
        case EventType::SorryCard: return {{"reason", "pain"}, {"offer", false}, {"no_offer_because", "no_offer"}};
        case EventType::PainReported: return {{"moment", "smot"}, {"reason", "pain_topics"}, {"topics", {"checkout"}}};
        case EventType::StaffPin: return {{"outcome", "wrong"}, {"failures", 1}};
        case EventType::StaffUndo: return {{"undoes", ids().next()}, {"observation", "picked_up"}};
        case EventType::StaffSeen: return {{"seen", ids().next()}};
    }
    return nlohmann::json::object();
}

class Deflater {
public:
    Deflater() { REQUIRE(deflateInit2(&stream_, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK); }
    ~Deflater() { deflateEnd(&stream_); }
    void feed(const char* data, std::size_t size, bool last) {
        stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        stream_.avail_in = static_cast<uInt>(size);
        char buffer[64 * 1024];
        int rc = Z_OK;
        do {
            stream_.next_out = reinterpret_cast<Bytef*>(buffer);
            stream_.avail_out = sizeof(buffer);
            rc = deflate(&stream_, last ? Z_FINISH : Z_NO_FLUSH);
            REQUIRE(rc != Z_STREAM_ERROR);
            output.append(buffer, sizeof(buffer) - stream_.avail_out);
        } while (stream_.avail_out == 0 || (last && rc != Z_STREAM_END));
    }
    std::string output;

private:
    z_stream stream_{};
};

}  // namespace

EnrolledKiosk enrol(hub::Store& store, const std::string& kiosk_id, const std::string& store_id,
                    const std::string& region) {
    auto token = hub::generate_token();
    REQUIRE(token);
    REQUIRE(store.add_kiosk({kiosk_id, store_id, region, hub::hash_token(*token)}, core::now_utc()));
    return {kiosk_id, store_id, *token};
}

std::string new_sqlite_hub(const TempDir& dir, const std::string& name) {
    const std::string url = "sqlite:" + dir.file(name);
    auto created = hub::open_store(url);
    if (!created) FAIL(created.error().message);
    return url;
}

TestDatabase::TestDatabase(const std::string& engine) : engine_(engine) {
    if (engine == kSqlite) {
        url_ = new_sqlite_hub(dir_);
    } else if (engine == kPostgresql) {
        url_ = PostgresServer::shared().create_database();
    } else {
        FAIL("unknown test engine '" << engine << "'");
    }
}

std::unique_ptr<hub::Store> TestDatabase::open() const {
    auto opened = hub::open_store(url_);
    INFO(url_);
    if (!opened) FAIL(opened.error().message);
    return std::move(opened).value();
}

std::string TestDatabase::execute(const std::string& sql) const {
    if (is_postgresql()) return PostgresServer::execute(url_, sql);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir_.file("hub.db").c_str(), &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
    std::string result;
    const int rc = sqlite3_step(statement);
    CHECK((rc == SQLITE_ROW || rc == SQLITE_DONE));
    if (rc == SQLITE_ROW && sqlite3_column_text(statement, 0)) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return result;
}

RunningHub::RunningHub(hub::ServerOptions options) : RunningHub(kSqlite, options) {}

RunningHub::RunningHub(const std::string& engine, hub::ServerOptions options) : database_(engine) {
    store_ = database_.open();
    kiosk_ = enrol(*store_, "k-1", "s-1");
    server_ = std::make_unique<hub::Server>(*store_, options);
    auto bound = server_->bind({"127.0.0.1", 0});
    REQUIRE(bound);
    port_ = bound->port;
    REQUIRE(port_ > 0);
    // No Catch2 assertion on this thread (Catch2 2.x is not thread-safe); a dead server fails the requests.
    thread_ = std::thread([this] { (void)server_->run(); });
}

RunningHub::~RunningHub() {
    server_->stop();
    thread_.join();
}

std::unique_ptr<httplib::Client> RunningHub::client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_connection_timeout(5);
    client->set_read_timeout(20);
    client->set_write_timeout(20);
    return client;
}

httplib::Result RunningHub::post_batch(const std::string& body, httplib::Headers headers,
                                       const std::string& content_type) {
    if (headers.find("Authorization") == headers.end()) {
        headers.emplace("Authorization", "Bearer " + kiosk_.token);
    }
    return client()->Post("/api/v1/batches", headers, body, content_type.c_str());
}

core::Event make_event(core::EventType type, const std::string& sku) {
    core::Event event;
    event.id = ids().next();
    event.type = type;
    event.occurred_at = core::now_utc();
    event.session_id = ids().next();
    event.locale = "fa";
    if (core::requires_sku(type)) event.sku = sku;
    event.data = data_for(type);
    REQUIRE_FALSE(core::validate_event(event).has_value());
    return event;
}

std::string batch_body(const std::vector<core::Event>& events, const std::string& batch_id) {
    std::vector<std::string> texts;
    for (const auto& event : events) texts.push_back(core::encode_event(event));
    return core::encode_batch(batch_id, texts);
}

std::string gzip(const std::string& data) {
    Deflater deflater;
    deflater.feed(data.data(), data.size(), true);
    return deflater.output;
}

std::string gzip_of_zeros(std::size_t inflated_bytes) {
    Deflater deflater;
    const std::string zeros(1024 * 1024, '\0');
    for (std::size_t done = 0; done < inflated_bytes;) {
        const std::size_t chunk = std::min(zeros.size(), inflated_bytes - done);
        done += chunk;
        deflater.feed(zeros.data(), chunk, done == inflated_bytes);
    }
    return deflater.output;
}

ProcessResult run_hub_cli(const std::vector<std::string>& arguments, const std::string& database_url,
                          const std::string& input) {
    int in_pipe[2];
    int out_pipe[2];
    int err_pipe[2];
    REQUIRE(pipe2(in_pipe, O_CLOEXEC) == 0);
    REQUIRE(pipe2(out_pipe, O_CLOEXEC) == 0);
    REQUIRE(pipe2(err_pipe, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

    std::vector<std::string> argv_storage{TRUTHPOINT_HUB_EXECUTABLE};
    argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argv_storage) argv.push_back(argument.data());
    argv.push_back(nullptr);

    std::vector<std::string> env_storage;
    for (char** entry = environ; *entry; ++entry) {
        if (std::strncmp(*entry, "TRUTHPOINT_HUB_DB=", 18) != 0) env_storage.emplace_back(*entry);
    }
    if (!database_url.empty()) env_storage.push_back("TRUTHPOINT_HUB_DB=" + database_url);
    std::vector<char*> envp;
    for (auto& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);

    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    REQUIRE(spawned == 0);
    // Small enough for the pipe's buffer: written whole before anything is read back.
    REQUIRE(input.size() < 4096);
    if (!input.empty()) REQUIRE(write(in_pipe[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    close(in_pipe[1]);

    ProcessResult result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_pipes = 2;
    while (open_pipes > 0) {
        REQUIRE(poll(fds, 2, 30'000) > 0);  // 30 s without output: the command hangs
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
            char buffer[4096];
            const ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_pipes;
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

ServeProcess::ServeProcess(const std::string& database_url) {
    int out_pipe[2];
    REQUIRE(pipe2(out_pipe, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    std::vector<std::string> storage{TRUTHPOINT_HUB_EXECUTABLE, "serve", "--listen", "127.0.0.1:0", "--db",
                                     database_url};
    std::vector<char*> argv;
    for (auto& argument : storage) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    REQUIRE(spawned == 0);
    out_fd_ = out_pipe[0];
}

ServeProcess::~ServeProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
}

std::string ServeProcess::first_line() {
    std::string line;
    char c = 0;
    pollfd fd{out_fd_, POLLIN, 0};
    while (line.empty() || line.back() != '\n') {
        REQUIRE(poll(&fd, 1, 10'000) > 0);
        if (read(out_fd_, &c, 1) != 1) break;
        line += c;
    }
    return line;
}

int ServeProcess::wait_for_port() {
    const std::string line = first_line();
    std::smatch match;
    INFO(line);
    REQUIRE(std::regex_match(line, match, std::regex(R"(^truthpoint-hub listening on http://127\.0\.0\.1:(\d+)\n$)")));
    return std::stoi(match[1]);
}

std::pair<int, std::string> ServeProcess::stop(int signal) {
    REQUIRE(kill(pid_, signal) == 0);
    std::string rest;
    char buffer[256];
    ssize_t n = 0;
    while ((n = read(out_fd_, buffer, sizeof(buffer))) > 0) rest.append(buffer, static_cast<std::size_t>(n));
    int status = 0;
    REQUIRE(waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), rest};
}

std::string open_session(hub::Store& store, const std::string& name, hub::UserRole role, const std::string& region) {
    const auto now = core::now_utc();
    // The password is never checked on this path, so no argon2id hash is spent on it.
    REQUIRE(store.add_user(hub::UserRecord{name, role, region, "not-a-password-hash", now}));
    const std::string token = hub::generate_token().value();
    REQUIRE(store.add_session(hub::NewSession{hub::hash_token(token), name, now, now + std::chrono::hours(1)}));
    return token;
}

httplib::Headers session_headers(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Cookie", "truthpoint_session=" + token}};
}

const httplib::Headers& RunningHub::admin_headers() {
    if (admin_headers_.empty()) admin_headers_ = session_headers(open_session(*store_, "test-admin", hub::UserRole::Admin));
    return admin_headers_;
}

hub::IncomingEvent incoming(const core::Event& event) {
    std::size_t data_size = 0;
    const std::string canonical = core::encode_event(event, &data_size);
    return {event, canonical, hub::sha256_hex(canonical), core::format_rfc3339(event.occurred_at), data_size};
}

// A trigger that aborts the insert of any event whose sku is 'poison': a stand-in for a disk error
// part-way through a batch.
void drop_schema_after(const TestDatabase& database, int version) {
    const std::map<int, std::vector<const char*>> added = {
        {13, {"DROP INDEX events_by_sorry_code", "DROP TABLE sorry_card_redemptions"}},
        {14, {"DROP TABLE webhook_outbox", "DROP TABLE webhooks"}},
        {15, {"DROP TABLE case_audit", "DROP TABLE cases", "DROP TABLE store_hours", "DROP TABLE alert_rule_settings",
              "DROP TABLE kiosk_backlog_trends", "DROP INDEX events_reactions_by_store"}},
        {16, {"DROP TABLE reaction_minutes", "CREATE INDEX events_reactions_by_store ON events(store_id, occurred_at) "
                                             "WHERE type = 'fmot.reaction'"}},
        {17, {"DROP TABLE retired_receipt_keys"}},
        {18, {"DROP TABLE review_decisions", "DROP INDEX events_reviews_by_time"}},
    };
    for (auto schema = added.rbegin(); schema != added.rend(); ++schema) {
        if (schema->first <= version) break;
        for (const char* statement : schema->second) database.execute(statement);
    }
}

void poison_inserts(const TestDatabase& database) {
    if (database.is_postgresql()) {
        database.execute(
            "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'poisoned event'; END $$;"
            "CREATE TRIGGER poison BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.sku = 'poison') "
            "EXECUTE FUNCTION poison()");
    } else {
        database.execute("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.sku = 'poison' "
                         "BEGIN SELECT RAISE(ABORT, 'poisoned event'); END");
    }
}

hub::Result<core::BatchReply> ingest_batch(hub::Store& store, const hub::KioskIdentity& sender,
                                           const core::Batch& batch, core::Timestamp received_at) {
    hub::PreparedBatch prepared = hub::prepare_batch(core::Batch(batch));
    auto outcomes = store.store_events(sender, prepared.valid, received_at);
    if (!outcomes) return outcomes.error();
    hub::tally_outcomes(prepared, *outcomes);
    return std::move(prepared.reply);
}

core::Event feedback(const std::string& sku, const std::string& receipt_hash) {
    core::Event event = make_event(core::EventType::SmotFeedback, sku);
    event.sku = sku;
    event.data["receipt_hash"] = receipt_hash;
    return event;
}

std::map<std::string, bool> verified_by_id(hub::Store& store) {
    std::map<std::string, bool> verified;
    REQUIRE(store.for_each_event({}, [&](const hub::StoredEvent& event) {
        verified[event.id] = event.verified_purchase;
        return true;
    }));
    return verified;
}

std::int64_t metric(const std::string& text, const std::string& series) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(series + " ", 0) == 0) return std::stoll(line.substr(series.size() + 1));
    }
    return -1;
}

}  // namespace truthpoint::hub_test
