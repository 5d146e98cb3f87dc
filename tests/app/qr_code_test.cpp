// A sorry card's QR code, read back by a real decoder (zbarimg, Debian's zbar-tools) from an image of the
// matrix drawn the way the window draws it: dark modules as squares, a quiet zone of four modules.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>

#include "support/temp_dir.hpp"
#include "truthpoint/app/qr_code.hpp"
#include "truthpoint/core/receipt.hpp"
#include "truthpoint/core/uuid.hpp"

using namespace truthpoint;
using truthpoint::testing::TempDir;

namespace {

// A binary PGM of the code, `scale` pixels a module, with the quiet zone.
void write_pgm(const app::QrCode& code, const std::string& path, int scale = 8) {
    const int side = (code.width() + 8) * scale;
    std::ofstream out(path, std::ios::binary);
    out << "P5\n" << side << ' ' << side << "\n255\n";
    for (int py = 0; py < side; ++py) {
        for (int px = 0; px < side; ++px) {
            const int x = px / scale - 4;
            const int y = py / scale - 4;
            const bool dark = x >= 0 && y >= 0 && x < code.width() && y < code.width() && code.dark(x, y);
            out.put(static_cast<char>(dark ? 0 : 255));
        }
    }
}

std::string zbar_decode(const std::string& path) {
    // Only stdout is the decoded text; zbarimg's complaints (no D-Bus in a container, say) go to a file.
    const std::string command = "zbarimg --quiet --raw -Sdisable -Sqrcode.enable '" + path + "' 2>'" + path + ".err'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::string output;
    std::array<char, 256> chunk{};
    while (fgets(chunk.data(), static_cast<int>(chunk.size()), pipe.get())) output += chunk.data();
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
    return output;
}

}  // namespace

TEST_CASE("a sorry card's code as a QR code reads back with a real decoder", "[qr][sorry]") {
    TempDir dir;
    const auto key = core::ReceiptKey::generate().value();
    core::UuidV7Generator ids;
    for (int i = 0; i < 3; ++i) {
        const std::string code = core::sorry_card_code(key, ids.next());
        const auto qr = app::encode_qr(code);
        REQUIRE(qr);
        CHECK(qr.value().width() >= 21);  // version 1 or larger
        const std::string path = dir.file("card-" + std::to_string(i) + ".pgm");
        write_pgm(qr.value(), path);
        INFO("zbarimg (Debian's zbar-tools) must be installed: scripts/install-deps test");
        CHECK(zbar_decode(path) == code);
    }
}

TEST_CASE("QR encoding refuses what it cannot encode, with the reason", "[qr]") {
    CHECK(app::encode_qr("").error().message == "a QR code needs some text");
    CHECK(app::encode_qr(std::string(4000, 'x')).error().message == "the text is too long for a QR code");
    CHECK(app::encode_qr("ok").value().width() == 21);
}
