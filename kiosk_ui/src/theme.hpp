// The kiosk's colours and ImGui style: light, high-contrast, calm. One place to change the look.
#pragma once

#include <imgui.h>

namespace truthpoint::kiosk_ui::theme {

// IM_COL32 is ABGR-packed; these read as the #RRGGBB they name.
inline constexpr ImU32 kBackground = IM_COL32(0xF6, 0xF4, 0xEF, 0xFF);
inline constexpr ImU32 kText = IM_COL32(0x1F, 0x24, 0x30, 0xFF);
inline constexpr ImU32 kMutedText = IM_COL32(0x4F, 0x56, 0x63, 0xFF);
inline constexpr ImU32 kAccent = IM_COL32(0x1B, 0x5F, 0xAA, 0xFF);
inline constexpr ImU32 kOnAccent = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kErrorBackground = IM_COL32(0xFD, 0xE2, 0xE1, 0xFF);
inline constexpr ImU32 kErrorText = IM_COL32(0x9C, 0x1C, 0x14, 0xFF);
inline constexpr ImU32 kFaceFeatures = IM_COL32(0x2A, 0x23, 0x20, 0xFF);
inline constexpr ImU32 kTear = IM_COL32(0x4F, 0xA8, 0xE8, 0xFF);
inline constexpr ImU32 kButton = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kButtonBorder = IM_COL32(0x8A, 0x93, 0xA3, 0xFF);
inline constexpr ImU32 kStar = IM_COL32(0xE0, 0x9A, 0x00, 0xFF);  // amber: given stars, also on white
inline constexpr ImU32 kScrim = IM_COL32(0x1F, 0x24, 0x30, 0xB0);  // dims the screen under an overlay
inline constexpr ImU32 kPanel = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
inline constexpr ImU32 kStaffPanel = IM_COL32(0xE9, 0xEE, 0xF5, 0xFF);

// The background as SDL wants it for SDL_RenderClear.
struct ClearColour {
    unsigned char r, g, b;
};
inline constexpr ClearColour kClear{0xF6, 0xF4, 0xEF};

inline ImU32 with_alpha(ImU32 colour, float alpha) {
    const auto a = static_cast<ImU32>(alpha * 255.0f + 0.5f);
    return (colour & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

// Scales the RGB of a colour (shade < 1 darkens); keeps alpha.
ImU32 shade(ImU32 colour, float factor);

void apply_style(ImGuiStyle& style);

}  // namespace truthpoint::kiosk_ui::theme
