// replace_file_atomically on real files: the whole text or nothing, and the original file's mode kept.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/atomic_file.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;
namespace fs = std::filesystem;

namespace {

std::string read(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

fs::perms mode(const std::string& path) { return fs::status(path).permissions() & fs::perms::mask; }

}  // namespace

TEST_CASE("a file is replaced whole and keeps its mode", "[atomic_file]") {
    TempDir dir;
    const std::string path = dir.file("kiosk.toml");

    SECTION("a new file gets the mode asked for") {
        REQUIRE(app::replace_file_atomically(path, "a = 1\n"));
        CHECK(read(path) == "a = 1\n");
        CHECK(mode(path) == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                             fs::perms::others_read));
    }
    SECTION("an existing 0600 file stays 0600") {
        std::ofstream(path) << "token = \"secret\"\n";
        fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
        REQUIRE(app::replace_file_atomically(path, "token = \"secret\"\npin_hash = \"x\"\n"));
        CHECK(read(path) == "token = \"secret\"\npin_hash = \"x\"\n");
        CHECK(mode(path) == (fs::perms::owner_read | fs::perms::owner_write));
    }
    SECTION("a failure names the path and leaves nothing behind") {
        const auto written = app::replace_file_atomically(dir.file("no-such-dir/kiosk.toml"), "a = 1\n");
        REQUIRE_FALSE(written);
        CHECK(written.error().code == core::ErrorCode::Unavailable);
        CHECK_THAT(written.error().message, Catch::Contains("no-such-dir"));
    }
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) <= 1);  // no temporary left
}
