// One event as JSON text: decode_event (envelope and core::validate_event) answers with an event or a
// reason, never a throw; an accepted event encodes to a text that decodes to the same event.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/core/wire.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    // Through the batch path, so the nesting and size limits hold as at the hub.
    const auto batch = core::decode_batch(R"({"batch_id":"f","events":[)" + text + "]}");
    if (!batch || batch.value().items.size() != 1) return 0;
    const core::BatchItem& item = batch.value().items[0];
    if (!item.reason.empty()) return 0;
    FUZZ_CHECK(!core::validate_event(item.event));
    const std::string canonical = core::encode_event(item.event);
    FUZZ_CHECK(canonical == item.canonical);
    FUZZ_CHECK(canonical == core::event_to_json(item.event).dump());
    const auto again = core::decode_event_text(canonical);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(core::encode_event(again.value()) == canonical);
    FUZZ_CHECK(core::format_rfc3339(again.value().occurred_at).size() == 24);
    return 0;
}
