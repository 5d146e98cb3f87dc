// Writes the tap-targets file for tests on a worker thread (see tap_targets.hpp).
#include "tap_targets.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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
    // Written whole to a temporary name and renamed: a reader never sees half a file.
    const std::string temporary = path_ + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << "seq " << snapshot.sequence << '\n'
            << "screen " << snapshot.screen << '\n'
            << "locale " << snapshot.locale << '\n'
            << "window " << static_cast<int>(snapshot.window.x) << ' ' << static_cast<int>(snapshot.window.y) << ' '
            << static_cast<int>(snapshot.window.width) << ' ' << static_cast<int>(snapshot.window.height) << '\n';
        for (const TapTarget& target : snapshot.targets) {
            out << "target " << target.name << ' ' << static_cast<int>(target.center.x) << ' '
                << static_cast<int>(target.center.y) << '\n';
        }
        if (!out.flush()) {
            std::fprintf(stderr, "truthpoint-kiosk: cannot write %s (%s)\n", temporary.c_str(), kTapTargetsEnv);
            return;
        }
    }
    std::error_code error;
    std::filesystem::rename(temporary, path_, error);
    if (error) std::fprintf(stderr, "truthpoint-kiosk: cannot write %s: %s\n", path_.c_str(), error.message().c_str());
}

}  // namespace truthpoint::kiosk_ui
