// POST /api/v1/batches bodies: the hub's simdjson parse and core's nlohmann parse must give the same
// verdict, reasons and canonical texts (a payload hash that differs by parser would turn resends into
// conflicts), within the batch limits, and neither may crash or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/core/wire.hpp"
#include "truthpoint/hub/ingest.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    const auto expected = core::decode_batch(body);
    std::string copy = body;
    const auto actual = hub::decode_batch_body(copy);
    FUZZ_CHECK(copy == body);
    FUZZ_CHECK(actual.ok() == expected.ok());
    if (!expected.ok()) {
        FUZZ_CHECK(actual.error().message == expected.error().message);
        return 0;
    }
    FUZZ_CHECK(actual.value().batch_id == expected.value().batch_id);
    FUZZ_CHECK(actual.value().items.size() == expected.value().items.size());
    FUZZ_CHECK(expected.value().items.size() <= core::kMaxBatchEvents);
    for (std::size_t i = 0; i < expected.value().items.size(); ++i) {
        const core::BatchItem& want = expected.value().items[i];
        const core::BatchItem& got = actual.value().items[i];
        FUZZ_CHECK(got.id == want.id);
        FUZZ_CHECK(got.reason == want.reason);
        FUZZ_CHECK(got.canonical == want.canonical);
        FUZZ_CHECK(got.data_size == want.data_size);
        if (want.reason.empty()) {
            FUZZ_CHECK(want.data_size <= core::kMaxEventDataBytes);
            FUZZ_CHECK(!core::validate_event(want.event));
            // What the hub stores decodes to the same event: the text is canonical.
            const auto again = core::decode_event_text(want.canonical);
            FUZZ_CHECK(again.ok());
            FUZZ_CHECK(core::encode_event(again.value()) == want.canonical);
        }
    }
    // The hub's own checks on top (receipt hashes): never a throw.
    (void)hub::prepare_batch(core::Batch(actual.value()));
    return 0;
}
