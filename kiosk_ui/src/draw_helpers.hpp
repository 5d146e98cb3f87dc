// Small drawing helpers shared by the screens: layout types to ImGui types, centred text that fits.
#pragma once

#include <string_view>

#include <imgui.h>

#include "truthpoint/kiosk_ui/layout.hpp"

namespace truthpoint::kiosk_ui {

inline ImVec2 to_imvec(Point p) { return ImVec2(p.x, p.y); }
inline ImVec2 top_left(const Rect& r) { return ImVec2(r.x, r.y); }
inline ImVec2 bottom_right(const Rect& r) { return ImVec2(r.right(), r.bottom()); }
inline Size window_size() { return Size{ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y}; }

// Draws one line centred in `area` at `scale` × the font's size, shrunk further until it fits the width.
void draw_centered_text(ImDrawList* draw_list, ImFont* font, const Rect& area, ImU32 colour, std::string_view text,
                        float scale = 1.0f);

// An invisible tap target over `area`; true on the frame the tap is released inside it.
bool tap_area(const char* id, const Rect& area);

}  // namespace truthpoint::kiosk_ui
