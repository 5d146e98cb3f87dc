// Writes the tap-targets file for tests on a worker thread (see tap_targets.hpp).
#include "tap_targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "truthpoint/app/atomic_file.hpp"

namespace truthpoint::kiosk_ui {

std::unique_ptr<TapTargetsWriter> TapTargetsWriter::from_environment() {
    const char* path = std::getenv(kTapTargetsEnv);
    if (path == nullptr || *path == '\0') return nullptr;
    return std::make_unique<TapTargetsWriter>(path);
}

TapTargetsWriter::TapTargetsWriter(std::string path)
    : writer_("tp-tap-targets", core::Keep::Latest, [path = std::move(path)](Snapshot& snapshot) { write(path, snapshot); }) {}

void TapTargetsWriter::publish(std::string screen, std::string locale, Rect window, std::vector<TapTarget> targets) {
    writer_.post(Snapshot{++sequence_, std::move(screen), std::move(locale), window, std::move(targets)});
}

void TapTargetsWriter::write(const std::string& path_, const Snapshot& snapshot) {
    std::ostringstream out;
    out << "seq " << snapshot.sequence << '\n'
        << "screen " << snapshot.screen << '\n'
        << "locale " << snapshot.locale << '\n'
        << "window " << static_cast<int>(snapshot.window.x) << ' ' << static_cast<int>(snapshot.window.y) << ' '
        << static_cast<int>(snapshot.window.width) << ' ' << static_cast<int>(snapshot.window.height) << '\n';
    for (const TapTarget& target : snapshot.targets) {
        out << "target " << target.name << ' ' << static_cast<int>(target.center.x) << ' '
            << static_cast<int>(target.center.y) << '\n';
    }
    // A reader (the test driving the window) never sees half a file.
    if (auto written = app::replace_file_atomically(path_, out.str()); !written) {
        std::fprintf(stderr, "truthpoint-kiosk: %s (%s)\n", written.error().message.c_str(), kTapTargetsEnv);
    }
}

}  // namespace truthpoint::kiosk_ui
