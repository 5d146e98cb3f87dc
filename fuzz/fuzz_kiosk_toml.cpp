// The kiosk's TOML configuration (app::load_config): loaded or refused with a reason naming the file,
// never a throw or a crash, whatever the file holds.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/app/config.hpp"

using namespace truthpoint;

namespace {

// One file per process, rewritten for each input: load_config reads a path.
const std::string& scratch_path() {
    static const std::string path = [] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir ? dir : "/tmp") + "/truthpoint-fuzz-kiosk-" + std::to_string(getpid()) + ".toml";
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream file(scratch_path(), std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const auto loaded = app::load_config(scratch_path());
    if (!loaded) FUZZ_CHECK(!loaded.reason().empty());
    return 0;
}
