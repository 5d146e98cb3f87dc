// A throwaway PostgreSQL server for the hub tests: initdb in a temp dir, started on a free loopback
// port, one fresh database per test, stopped and removed when the test process ends. As root (CI),
// the server binaries run as the `postgres` system user, since initdb refuses to run as root.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace truthpoint::hub_test {

class PostgresServer {
public:
    // The server shared by every test of this process, started on first use. Throws (failing the
    // test, never skipping it) when PostgreSQL's binaries are missing or the server does not start.
    static PostgresServer& shared();

    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    int port() const { return port_; }
    // postgresql://truthpoint@127.0.0.1:PORT/NAME
    std::string url(const std::string& database) const;
    // Creates an empty database with a fresh name and returns its URL.
    std::string create_database();
    // Runs SQL (no parameters) on the database at `url`; throws on error. Returns the first column of
    // the first row, or "" when there is none.
    static std::string execute(const std::string& url, const std::string& sql);

private:
    PostgresServer();
    void run(const std::vector<std::string>& command, const std::string& what) const;

    std::filesystem::path bin_dir_;
    std::filesystem::path root_;  // temp dir: data/, socket/, server.log
    int port_ = 0;
    int next_database_ = 0;
    bool started_ = false;
    unsigned run_as_uid_ = 0;  // 0: as ourselves
    unsigned run_as_gid_ = 0;
};

}  // namespace truthpoint::hub_test
