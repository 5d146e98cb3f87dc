// QR codes for what a shopper takes away from the kiosk (a sorry card's code), as a matrix of modules the
// window draws with rectangles. libqrencode does the encoding; nothing here knows how it is drawn.
#pragma once

#include <string_view>
#include <vector>

#include "truthpoint/core/wire.hpp"

namespace truthpoint::app {

class QrCode {
public:
    QrCode(int width, std::vector<bool> modules) : width_(width), modules_(std::move(modules)) {}
    int width() const { return width_; }  // modules per side, without the quiet zone (4 modules a side)
    bool dark(int x, int y) const { return modules_[static_cast<std::size_t>(y * width_ + x)]; }

private:
    int width_ = 0;
    std::vector<bool> modules_;
};

// `text` as a QR code (8-bit mode, error correction level M: a quarter of the code may be smudged or
// creased and it still reads). Fails, with the reason, for empty text or text past a QR code's capacity.
core::Result<QrCode> encode_qr(std::string_view text);

}  // namespace truthpoint::app
