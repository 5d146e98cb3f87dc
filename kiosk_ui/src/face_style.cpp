// The four faces' colours and shapes (see face_style.hpp).
#include "truthpoint/kiosk_ui/face_style.hpp"

#include <cmath>

namespace truthpoint::kiosk_ui {

FaceStyle face_style(core::Reaction reaction) {
    switch (reaction) {
        case core::Reaction::VeryUnhappy:
            return FaceStyle{.fill = {0xD6, 0x2F, 0x2F}, .mouth_curve = -1.0f, .brows = true, .tear = true};
        case core::Reaction::Unhappy:
            return FaceStyle{.fill = {0xF5, 0x8A, 0x1F}, .mouth_curve = -0.45f};
        case core::Reaction::Happy:
            return FaceStyle{.fill = {0xA4, 0xD6, 0x5E}, .mouth_curve = 0.5f};
        case core::Reaction::VeryHappy:
            return FaceStyle{.fill = {0x2E, 0x9E, 0x44}, .mouth_curve = 1.0f, .open_mouth = true, .smiling_eyes = true};
    }
    return {};
}

double relative_luminance(Rgb colour) {
    const auto linear = [](std::uint8_t channel) {
        const double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b);
}

}  // namespace truthpoint::kiosk_ui
