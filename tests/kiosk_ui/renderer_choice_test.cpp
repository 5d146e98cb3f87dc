// The renderer choice: OpenGL on one of Mesa's CPU rasterisers is dropped for SDL's software renderer.
#include <catch2/catch.hpp>

#include "truthpoint/kiosk_ui/renderer_choice.hpp"

using truthpoint::kiosk_ui::is_software_opengl;

TEST_CASE("Mesa's CPU rasterisers are told apart from GPUs", "[kiosk_ui][renderer]") {
    CHECK(is_software_opengl("llvmpipe (LLVM 15.0.6, 256 bits)"));
    CHECK(is_software_opengl("softpipe"));
    CHECK(is_software_opengl("Software Rasterizer"));
    CHECK(is_software_opengl("Mesa DRI swrast"));
    CHECK_FALSE(is_software_opengl("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
    CHECK_FALSE(is_software_opengl("AMD Radeon RX 580 Series (polaris10, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)"));
    CHECK_FALSE(is_software_opengl("V3D 4.2"));  // a Raspberry Pi 4
    CHECK_FALSE(is_software_opengl(""));          // not OpenGL at all
}
