// The kiosk's ImGui style (see theme.hpp).
#include "theme.hpp"

#include <algorithm>

namespace truthpoint::kiosk_ui::theme {

ImU32 shade(ImU32 colour, float factor) {
    const auto channel = [&](int shift) {
        const float value = static_cast<float>((colour >> shift) & 0xFF) * factor;
        return static_cast<ImU32>(std::clamp(value, 0.0f, 255.0f)) << shift;
    };
    return channel(IM_COL32_R_SHIFT) | channel(IM_COL32_G_SHIFT) | channel(IM_COL32_B_SHIFT) |
           (colour & IM_COL32_A_MASK);
}

void apply_style(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.AntiAliasedLines = true;
    style.AntiAliasedFill = true;
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(kText);
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(kBackground);
}

}  // namespace truthpoint::kiosk_ui::theme
