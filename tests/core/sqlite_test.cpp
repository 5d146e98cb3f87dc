// core::sqlite on real files: the settings every connection gets, and errors that keep SQLite's code.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "support/temp_dir.hpp"
#include "truthpoint/core/sqlite.hpp"

using namespace truthpoint;
using core::sqlite::Connection;
using core::sqlite::Statement;
using core::sqlite::Transaction;

namespace {

std::string pragma(Connection& db, const char* name) {
    Statement query(db, std::string("PRAGMA ") + name);
    REQUIRE(query.step());
    return query.column_text(0);
}

}  // namespace

TEST_CASE("sqlite: a connection opens in WAL, synchronous=FULL, foreign keys on", "[sqlite]") {
    testing::TempDir dir;
    Connection db(dir.file("settings.db"));
    CHECK(pragma(db, "journal_mode") == "wal");
    CHECK(pragma(db, "synchronous") == "2");  // FULL
    CHECK(pragma(db, "foreign_keys") == "1");
}

TEST_CASE("sqlite: errors keep the extended result code", "[sqlite]") {
    testing::TempDir dir;
    Connection db(dir.file("codes.db"));
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY)");
    db.prepare("INSERT INTO t (id) VALUES (?1)").bind(1, "a").run();
    try {
        db.prepare("INSERT INTO t (id) VALUES (?1)").bind(1, "a").run();
        FAIL("a duplicate key was accepted");
    } catch (const core::sqlite::Error& error) {
        CHECK(error.code() == SQLITE_CONSTRAINT_PRIMARYKEY);
    }
    SECTION("a directory that does not exist says so") {
        try {
            Connection missing(dir.file("no-such-dir/x.db"));
            FAIL("opened a file in a missing directory");
        } catch (const core::sqlite::Error& error) {
            CHECK((error.code() & 0xff) == SQLITE_CANTOPEN);
            CHECK_THAT(error.what(), Catch::Contains("cannot open database"));
        }
    }
}

TEST_CASE("sqlite: a transaction rolls back unless committed", "[sqlite]") {
    testing::TempDir dir;
    Connection db(dir.file("transactions.db"));
    db.execute("CREATE TABLE t (n INTEGER)");
    {
        Transaction abandoned(db);
        db.execute("INSERT INTO t VALUES (1)");
    }
    {
        Transaction kept(db);
        db.execute("INSERT INTO t VALUES (2)");
        kept.commit();
    }
    CHECK(pragma(db, "user_version") == "0");
    Statement sum(db, "SELECT sum(n) FROM t");
    REQUIRE(sum.step());
    CHECK(sum.column_int(0) == 2);
}

TEST_CASE("sqlite: connections opening a new file at once all get it in WAL", "[sqlite]") {
    // The kiosk's recorder, its reports reader and `status` may open a new ledger together; the loser of
    // the race to set WAL used to get "database is locked" at once.
    testing::TempDir dir;
    for (int round = 0; round < 20; ++round) {
        const std::string path = dir.file("race-" + std::to_string(round) + ".db");
        std::atomic<int> ready{0};
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i) {
            threads.emplace_back([&] {
                ++ready;
                while (ready.load() < 6) std::this_thread::yield();
                try {
                    Connection connection(path);
                } catch (const core::sqlite::Error&) {
                    ++failures;
                }
            });
        }
        for (auto& thread : threads) thread.join();
        CHECK(failures.load() == 0);
    }
}
