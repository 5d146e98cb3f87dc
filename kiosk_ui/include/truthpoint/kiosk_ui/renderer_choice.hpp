// Which SDL renderer the kiosk keeps: pure, so it is tested without a display.
#pragma once

#include <string>

namespace truthpoint::kiosk_ui {

// True for the names Mesa gives its CPU rasterisers in GL_RENDERER ("llvmpipe (LLVM 15.0.6, 256 bits)",
// "softpipe", "Software Rasterizer", "swrast"): OpenGL there costs more CPU than SDL's software renderer.
bool is_software_opengl(const std::string& gl_renderer);

}  // namespace truthpoint::kiosk_ui
