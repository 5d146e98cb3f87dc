# Finds every dependency among Debian 12's packages (see DESIGN.md); nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)  # the hub's batch parse (hub/src/batch_decoder.cpp)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)  # libpq, for the hub's postgresql:// storage
find_package(CURL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)  # libcrypto: HMAC-SHA256 of receipt codes and sorry-card codes (core)
find_package(CLI11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS i18n uc)  # the dashboard's digits, dates and Solar Hijri calendar (hub)
# Stores' local days and hours, read from the system's tzdata (/usr/share/zoneinfo, kept current by Debian).
find_package(date REQUIRED CONFIG)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)  # sd_notify: readiness and the watchdog under systemd
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)  # sorry-card codes as QR codes (app)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # the tests' and benchmarks' HTTP client
# The hub's HTTP server: Boost.Beast and Asio, header-only (libboost1.81-dev, the version it is tested with).
find_package(Boost 1.81 REQUIRED CONFIG)

if(TRUTHPOINT_BUILD_UI)
  find_package(SDL2 REQUIRED)
  find_package(Freetype REQUIRED)
  find_package(Fontconfig REQUIRED)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  pkg_check_modules(FRIBIDI REQUIRED IMPORTED_TARGET fribidi)

  # Debian ships ImGui 1.86 as a static libimgui.a (with the SDL2 platform backend and the
  # FreeType builder inside) but the SDL_Renderer backend only as source: compile it here.
  # FreeType must come after libimgui.a on the link line, hence one INTERFACE target for both.
  set(TRUTHPOINT_IMGUI_BACKENDS /usr/share/doc/libimgui-dev/examples/backends
      CACHE PATH "Where Debian's libimgui-dev keeps the backend sources")
  # pkg-config lists /usr/include/imgui and /usr/include/stb: find the backends' headers by name.
  find_path(TRUTHPOINT_IMGUI_BACKENDS_INCLUDE imgui_impl_sdlrenderer.h
      PATHS ${IMGUI_INCLUDE_DIRS} PATH_SUFFIXES backends NO_DEFAULT_PATH REQUIRED)
  add_library(truthpoint_imgui_sdlrenderer STATIC
      ${TRUTHPOINT_IMGUI_BACKENDS}/imgui_impl_sdlrenderer.cpp)
  target_include_directories(truthpoint_imgui_sdlrenderer PUBLIC
      ${IMGUI_INCLUDE_DIRS} ${TRUTHPOINT_IMGUI_BACKENDS_INCLUDE})
  target_link_libraries(truthpoint_imgui_sdlrenderer PUBLIC SDL2::SDL2)
  target_compile_options(truthpoint_imgui_sdlrenderer PRIVATE -w)

  add_library(truthpoint_imgui INTERFACE)
  target_include_directories(truthpoint_imgui INTERFACE ${IMGUI_INCLUDE_DIRS} ${TRUTHPOINT_IMGUI_BACKENDS_INCLUDE})
  target_link_libraries(truthpoint_imgui INTERFACE
      truthpoint_imgui_sdlrenderer ${IMGUI_LINK_LIBRARIES} Freetype::Freetype SDL2::SDL2)
  add_library(truthpoint::imgui ALIAS truthpoint_imgui)
endif()

if(TRUTHPOINT_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
