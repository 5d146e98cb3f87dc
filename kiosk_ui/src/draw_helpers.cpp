// Drawing helpers shared by the screens (see draw_helpers.hpp).
#include "draw_helpers.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace truthpoint::kiosk_ui {

void draw_centered_text(ImDrawList* draw_list, ImFont* font, const Rect& area, ImU32 colour, std::string_view text,
                        float scale) {
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    float size = font->FontSize * scale;
    ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, begin, end);
    if (extent.x > area.width && extent.x > 0) {
        size *= area.width / extent.x;  // a long product name shrinks rather than running off the glass
        extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, begin, end);
    }
    const ImVec2 position(area.x + (area.width - extent.x) / 2, area.y + (area.height - extent.y) / 2);
    draw_list->AddText(font, size, ImVec2(std::floor(position.x), std::floor(position.y)), colour, begin, end);
}

bool tap_area(const char* id, const Rect& area) {
    ImGui::SetCursorScreenPos(top_left(area));
    return ImGui::InvisibleButton(id, ImVec2(std::max(area.width, 1.0f), std::max(area.height, 1.0f)));
}

}  // namespace truthpoint::kiosk_ui
