// encode_qr through libqrencode (QRcode_encodeData: the bytes as they are, no mode guessing).
#include "truthpoint/app/qr_code.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

#include <qrencode.h>

namespace truthpoint::app {

core::Result<QrCode> encode_qr(std::string_view text) {
    if (text.empty()) return core::make_error(core::ErrorCode::InvalidArgument, "a QR code needs some text");
    errno = 0;
    const std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                          QR_ECLEVEL_M),
        QRcode_free);
    if (!code) {
        return core::make_error(core::ErrorCode::InvalidArgument,
                                errno == ERANGE ? "the text is too long for a QR code"
                                                : std::string("libqrencode failed: ") + std::strerror(errno));
    }
    std::vector<bool> modules(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
    for (std::size_t i = 0; i < modules.size(); ++i) modules[i] = (code->data[i] & 1) != 0;  // bit 0: dark
    return QrCode(code->width, std::move(modules));
}

}  // namespace truthpoint::app
