// is_software_opengl: Mesa's CPU rasterisers by the names they report.
#include "truthpoint/kiosk_ui/renderer_choice.hpp"

namespace truthpoint::kiosk_ui {

bool is_software_opengl(const std::string& gl_renderer) {
    for (const char* software : {"llvmpipe", "softpipe", "Software Rasterizer", "swrast"}) {
        if (gl_renderer.find(software) != std::string::npos) return true;
    }
    return false;
}

}  // namespace truthpoint::kiosk_ui
