// The kiosk configuration document (GET /api/v1/config, `truthpoint-hub config set`): decoded or refused
// with a reason, never a throw; an accepted document's canonical encoding decodes to itself.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/core/config_document.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto decoded = core::decode_config_document(text);
    if (!decoded) {
        FUZZ_CHECK(!decoded.error().message.empty());
        return 0;
    }
    const std::string canonical = core::encode_config_document(decoded.value());
    const auto again = core::decode_config_document(canonical);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(core::encode_config_document(again.value()) == canonical);
    return 0;
}
