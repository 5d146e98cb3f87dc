// Receipts from a point of sale: the CSV that `truthpoint-hub receipts import` reads (every row is
// checked before the database is opened, so an unusable database URL stops it there) and the JSON body of
// POST /api/v1/receipts. Answers or refusals, never a throw or a crash.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"
#include "truthpoint/hub/commands.hpp"
#include "truthpoint/hub/ingest.hpp"

using namespace truthpoint;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::ostringstream out, err;
    hub::ReceiptsImportArguments arguments;
    arguments.file = write_scratch_file("receipts.csv", data, size);
    arguments.database_url = "none:";  // refused at once: only the CSV is under test
    const int exit_code = hub::run_receipts_import(arguments, out, err);
    FUZZ_CHECK(exit_code != 0);
    FUZZ_CHECK(!err.str().empty());

    const auto receipts = hub::decode_receipts(text);
    if (receipts) {
        FUZZ_CHECK(!receipts->empty() && receipts->size() <= hub::kMaxReceiptsPerRequest);
        for (const hub::Receipt& receipt : *receipts) FUZZ_CHECK(receipt.receipt_hash.size() == 64);
    }
    return 0;
}
