// The four reaction faces as vector shapes on an ImDrawList (no emoji font exists for ImGui 1.86).
#pragma once

#include <imgui.h>

#include "truthpoint/core/event.hpp"

namespace truthpoint::kiosk_ui {

// `radius` is half the face's width. `pressed` adds a ring around the face, as feedback.
void draw_face(ImDrawList* draw_list, ImVec2 center, float radius, core::Reaction reaction, bool pressed = false);

}  // namespace truthpoint::kiosk_ui
