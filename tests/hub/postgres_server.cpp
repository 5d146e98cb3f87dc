// The throwaway PostgreSQL server of the hub tests (see postgres_server.hpp).
#include "postgres_server.hpp"

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

namespace truthpoint::hub_test {
namespace {

namespace fs = std::filesystem;

// TRUTHPOINT_PG_BINDIR, else the newest /usr/lib/postgresql/N/bin (Debian's layout).
std::optional<fs::path> find_bin_dir() {
    if (const char* configured = std::getenv("TRUTHPOINT_PG_BINDIR"); configured && *configured) {
        if (fs::exists(fs::path(configured) / "initdb")) return fs::path(configured);
        return std::nullopt;
    }
    std::optional<fs::path> best;
    int best_version = -1;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
        const fs::path bin = entry.path() / "bin";
        const std::string name = entry.path().filename().string();
        if (!fs::exists(bin / "initdb") || !fs::exists(bin / "pg_ctl")) continue;
        int version = 0;
        try {
            version = std::stoi(name);
        } catch (const std::exception&) {
            continue;
        }
        if (version > best_version) {
            best_version = version;
            best = bin;
        }
    }
    return best;
}

// A port nobody listens on right now (the server may still lose a race for it: start() retries).
int free_loopback_port() {
    const int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    if (bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(sock);
        throw std::runtime_error("cannot find a free loopback port");
    }
    close(sock);
    return ntohs(address.sin_port);
}

std::string tail_of(const fs::path& file, std::size_t bytes = 2000) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

}  // namespace

PostgresServer& PostgresServer::shared() {
    static std::mutex mutex;
    static std::unique_ptr<PostgresServer> server;
    static std::string failure;
    std::lock_guard lock(mutex);
    if (!server && failure.empty()) {
        try {
            server.reset(new PostgresServer());
        } catch (const std::exception& error) {
            failure = error.what();
        }
    }
    if (!server) throw std::runtime_error("the test PostgreSQL server is not available: " + failure);
    return *server;
}

PostgresServer::PostgresServer() {
    const auto bin_dir = find_bin_dir();
    if (!bin_dir) {
        throw std::runtime_error(
            "PostgreSQL's server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or "
            "$TRUTHPOINT_PG_BINDIR. The PostgreSQL storage tests need them: install Debian's `postgresql` "
            "package (scripts/install-deps does)");
    }
    bin_dir_ = *bin_dir;
    std::random_device entropy;
    root_ = fs::temp_directory_path() / ("truthpoint-pg-" + std::to_string(entropy()));
    fs::create_directories(root_ / "socket");

    // initdb refuses root: run the server as the `postgres` system user, owning the temp dir.
    if (geteuid() == 0) {
        const passwd* user = getpwnam("postgres");
        if (!user) {
            throw std::runtime_error("the tests run as root and there is no `postgres` user to run the test "
                                     "PostgreSQL server as (initdb refuses root): install Debian's `postgresql` "
                                     "package, which creates it, or run the tests as another user");
        }
        run_as_uid_ = user->pw_uid;
        run_as_gid_ = user->pw_gid;
        for (const fs::path& path : {root_, root_ / "socket"}) {
            if (chown(path.c_str(), run_as_uid_, run_as_gid_) != 0) {
                throw std::runtime_error("cannot hand " + path.string() + " to the postgres user");
            }
        }
    }

    run({(bin_dir_ / "initdb").string(), "-D", (root_ / "data").string(), "-U", "truthpoint", "-A", "trust", "-E",
         "UTF8", "--no-locale", "--no-sync", "--no-instructions"},
        "initdb");
    // A lost race for the port is the only expected failure: try a few ports.
    for (int attempt = 1;; ++attempt) {
        port_ = free_loopback_port();
        const std::string options = "-p " + std::to_string(port_) + " -k " + (root_ / "socket").string() +
                                    " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                                    " -c full_page_writes=off -c max_connections=200";
        try {
            run({(bin_dir_ / "pg_ctl").string(), "-D", (root_ / "data").string(), "-l", (root_ / "server.log").string(),
                 "-w", "-t", "60", "-o", options, "start"},
                "pg_ctl start");
            break;
        } catch (const std::exception&) {
            if (attempt == 3) throw;
        }
    }
    started_ = true;
}

PostgresServer::~PostgresServer() {
    if (started_) {
        try {
            run({(bin_dir_ / "pg_ctl").string(), "-D", (root_ / "data").string(), "-m", "immediate", "-w", "stop"},
                "pg_ctl stop");
        } catch (const std::exception&) {
            // Removing the data directory below makes a straggling server exit soon anyway.
        }
    }
    std::error_code ignored;
    fs::remove_all(root_, ignored);
}

// Runs a server binary (as the postgres user when we are root), its output appended to commands.log.
void PostgresServer::run(const std::vector<std::string>& command, const std::string& what) const {
    const fs::path log = root_ / "commands.log";
    const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot write " + log.string());
    if (run_as_uid_ != 0 && fchown(log_fd, run_as_uid_, run_as_gid_) != 0) {
        close(log_fd);
        throw std::runtime_error("cannot hand " + log.string() + " to the postgres user");
    }
    std::vector<std::string> storage = command;
    std::vector<char*> argv;
    for (auto& argument : storage) argv.push_back(argument.data());
    argv.push_back(nullptr);

    const pid_t pid = fork();
    if (pid < 0) {
        close(log_fd);
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec.
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        const int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
        if (run_as_uid_ != 0) {
            if (setgroups(0, nullptr) != 0 || setgid(run_as_gid_) != 0 || setuid(run_as_uid_) != 0) _exit(126);
        }
        if (chdir(root_.c_str()) != 0) _exit(126);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(log_fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error(what + " failed (exit status " + std::to_string(WEXITSTATUS(status)) +
                                 "); its output:\n" + tail_of(log) + "\nserver log:\n" + tail_of(root_ / "server.log"));
    }
}

std::string PostgresServer::url(const std::string& database) const {
    return "postgresql://truthpoint@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::create_database() {
    const std::string name = "test_" + std::to_string(++next_database_);
    execute(url("postgres"), "CREATE DATABASE " + name);
    return url(name);
}

std::string PostgresServer::execute(const std::string& url, const std::string& sql) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK) {
        throw std::runtime_error("cannot connect to the test PostgreSQL server: " +
                                 std::string(PQerrorMessage(connection.get())));
    }
    PQsetNoticeProcessor(connection.get(), [](void*, const char*) {}, nullptr);
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("test SQL failed: " + std::string(PQerrorMessage(connection.get())) + sql);
    }
    if (status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0 && !PQgetisnull(result.get(), 0, 0)) {
        return PQgetvalue(result.get(), 0, 0);
    }
    return "";
}

}  // namespace truthpoint::hub_test
