// What the kiosk's window needs from the machine, checked before a window opens (`run`) or by an installer
// (`truthpoint-kiosk check`): a display a person can see, and fonts for every configured language.
#pragma once

#include <string>
#include <vector>

#include "truthpoint/core/result.hpp"

namespace truthpoint::kiosk_ui {

// The video driver and screen, e.g. "x11, 1920x1080"; an error saying what to do when there is no
// display, or only one that draws nowhere (SDL's dummy and offscreen drivers).
core::Result<std::string> probe_display();

// For `check` run over ssh, before the kiosk session exists: a screen connected to the graphics card
// (/sys/class/drm), where the session's compositor will draw. An error when no connector reports one.
core::Result<std::string> connected_screen();

// The font files that will draw `languages`; an error naming the language, the font and its package.
core::Result<std::string> check_kiosk_fonts(const std::vector<std::string>& languages);

}  // namespace truthpoint::kiosk_ui
