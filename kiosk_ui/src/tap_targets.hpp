// For tests only: when TRUTHPOINT_UI_TARGETS=FILE is set, the kiosk publishes the screen it shows and
// the centres of its tap targets whenever they change (another screen, an overlay, another language),
// after that frame is presented. A worker thread writes the file (FILE.tmp, then rename), so the frame
// loop never touches the disk.
//
// File format, one record per line, fields separated by a space:
//   seq N                   increases with every publication
//   screen NAME             attract | pick | reaction | drivers | intent | why_not | saving | thank_you
//                           | idle | staff_pin | staff_checking | staff_menu
//   locale CODE             the shopper's language: en, fa, ar, el, tr
//   window X Y W H          the window's position on the X screen and its size
//   target NAME X Y         centre of a tap target in window coordinates. Names: start, lang_<code>,
//                           product_<sku>, very_unhappy … very_happy, drivers and intents and why-nots
//                           by wire name (packaging, buy_now, not_needed, ...), back, next, skip,
//                           larger_text, retry, continue, digit_0 … digit_9, erase, submit, cancel,
//                           shelf observations by wire name, exit_kiosk, back_to_shoppers, sync_now
//                           and sync_panel (the uploader's state, when the kiosk has one), and
//                           staff_corner (press and hold 3 s to open the staff PIN pad).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "screens.hpp"
#include "truthpoint/core/worker.hpp"

namespace truthpoint::kiosk_ui {

inline constexpr const char* kTapTargetsEnv = "TRUTHPOINT_UI_TARGETS";

class TapTargetsWriter {
public:
    // nullptr unless the environment asks for a targets file.
    static std::unique_ptr<TapTargetsWriter> from_environment();

    explicit TapTargetsWriter(std::string path);
    // Destruction writes the publication waiting, then joins (core::Worker).

    // Never blocks on disk; a newer publication replaces one not yet written.
    void publish(std::string screen, std::string locale, Rect window, std::vector<TapTarget> targets);

private:
    struct Snapshot {
        long sequence = 0;
        std::string screen;
        std::string locale;
        Rect window;
        std::vector<TapTarget> targets;
    };
    static void write(const std::string& path, const Snapshot& snapshot);

    long sequence_ = 0;
    core::Worker<Snapshot, void> writer_;
};

}  // namespace truthpoint::kiosk_ui
