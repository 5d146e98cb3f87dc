// The kiosk's TOML configuration (app::load_config): loaded or refused with a reason naming the file,
// never a throw or a crash, whatever the file holds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/app/config.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto loaded = app::load_config(write_scratch_file("kiosk.toml", data, size));
    if (!loaded) FUZZ_CHECK(!loaded.error().message.empty());
    return 0;
}
