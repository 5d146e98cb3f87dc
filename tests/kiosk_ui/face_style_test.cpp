// Unit tests for the faces' looks: told apart by shape as well as by colour (colour-blind shoppers).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "truthpoint/kiosk_ui/face_style.hpp"

using namespace truthpoint::kiosk_ui;
using truthpoint::core::kAllReactions;
using truthpoint::core::Reaction;

namespace {
bool same_shape(const FaceStyle& a, const FaceStyle& b) {
    return std::fabs(a.mouth_curve - b.mouth_curve) < 0.3f && a.open_mouth == b.open_mouth &&
           a.smiling_eyes == b.smiling_eyes && a.brows == b.brows && a.tear == b.tear;
}
double contrast(Rgb a, Rgb b) {
    const double la = relative_luminance(a), lb = relative_luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
}  // namespace

TEST_CASE("every pair of faces differs in shape, not only in colour", "[kiosk_ui][faces]") {
    for (std::size_t i = 0; i < kAllReactions.size(); ++i) {
        for (std::size_t j = i + 1; j < kAllReactions.size(); ++j) {
            CAPTURE(i, j);
            CHECK_FALSE(same_shape(face_style(kAllReactions[i]), face_style(kAllReactions[j])));
        }
    }
}

TEST_CASE("there is no neutral face: unhappy faces frown, happy faces smile", "[kiosk_ui][faces]") {
    CHECK(face_style(Reaction::VeryUnhappy).mouth_curve < face_style(Reaction::Unhappy).mouth_curve);
    CHECK(face_style(Reaction::Unhappy).mouth_curve < 0);
    CHECK(face_style(Reaction::Happy).mouth_curve > 0);
    CHECK(face_style(Reaction::Happy).mouth_curve < face_style(Reaction::VeryHappy).mouth_curve);
    CHECK(face_style(Reaction::VeryUnhappy).tear);
    CHECK(face_style(Reaction::VeryHappy).open_mouth);
}

TEST_CASE("the faces' colours are red, orange, light green, green and differ in lightness", "[kiosk_ui][faces]") {
    const Rgb red = face_style(Reaction::VeryUnhappy).fill;
    const Rgb orange = face_style(Reaction::Unhappy).fill;
    const Rgb light_green = face_style(Reaction::Happy).fill;
    const Rgb green = face_style(Reaction::VeryHappy).fill;
    CHECK((red.r > red.g && red.r > red.b));
    CHECK((orange.r > orange.g && orange.g > orange.b));
    CHECK((green.g > green.r && green.g > green.b));
    CHECK(relative_luminance(light_green) > relative_luminance(green));
    for (std::size_t i = 0; i < kAllReactions.size(); ++i) {
        for (std::size_t j = i + 1; j < kAllReactions.size(); ++j) {
            CAPTURE(i, j);
            // Even in grey, neighbours are not the same tone.
            CHECK(contrast(face_style(kAllReactions[i]).fill, face_style(kAllReactions[j]).fill) >= 1.3);
        }
    }
}
