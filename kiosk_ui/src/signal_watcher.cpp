// SIGINT/SIGTERM → a callback on a watcher thread (see signal_watcher.hpp).
#include "signal_watcher.hpp"

#include <pthread.h>

namespace truthpoint::kiosk_ui {

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
    sigemptyset(&watched_);
    sigaddset(&watched_, SIGINT);
    sigaddset(&watched_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &watched_, &previous_mask_);
    thread_ = std::thread([this] {
        for (;;) {
            int signal = 0;
            if (sigwait(&watched_, &signal) != 0) continue;
            if (stopping_.load()) return;
            on_signal_(signal);
        }
    });
}

SignalWatcher::~SignalWatcher() {
    stopping_.store(true);
    // Blocked in every thread, so it stays pending for the watcher until its sigwait takes it.
    pthread_kill(thread_.native_handle(), SIGTERM);
    thread_.join();
    // A second Ctrl-C during shutdown asks for what is already happening: take it rather than let
    // the restored mask deliver it and kill the process before the recorder has flushed.
    const timespec no_wait{0, 0};
    while (sigtimedwait(&watched_, nullptr, &no_wait) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace truthpoint::kiosk_ui
