// How each of the four faces looks, as data: a colour AND shape features, so that shoppers who cannot
// tell red from green still tell the faces apart. Drawn by faces.cpp; checked by unit tests.
#pragma once

#include <cstdint>
#include <string_view>

#include "truthpoint/core/event.hpp"

namespace truthpoint::kiosk_ui {

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
};

struct FaceStyle {
    Rgb fill;
    // Mouth curvature: -1 a deep frown … +1 a wide smile. Its sign and size are the main shape cue.
    float mouth_curve = 0;
    bool open_mouth = false;   // very happy: a wide, open smile
    bool smiling_eyes = false; // very happy: eyes drawn as upward arcs
    bool brows = false;        // very unhappy: brows slanting down towards the nose
    bool tear = false;         // very unhappy: a tear under one eye
};

FaceStyle face_style(core::Reaction reaction);

// Relative luminance (WCAG 2), to check that faces also differ in lightness, not only in hue.
double relative_luminance(Rgb colour);

}  // namespace truthpoint::kiosk_ui
