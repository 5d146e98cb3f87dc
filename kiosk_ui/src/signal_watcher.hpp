// Turns SIGINT/SIGTERM into a call on an ordinary thread, so the frame loop can be woken safely
// (SDL_PushEvent is not async-signal-safe). Construct it before any other thread starts: the signals
// are blocked in the constructing thread, every thread it later creates inherits that, and only the
// watcher's own thread receives them through sigwait.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace truthpoint::kiosk_ui {

class SignalWatcher {
public:
    explicit SignalWatcher(std::function<void(int signal)> on_signal);
    ~SignalWatcher();  // stops the watcher and restores the signal mask
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    sigset_t watched_{};
    sigset_t previous_mask_{};
    std::atomic<bool> stopping_{false};
    std::function<void(int)> on_signal_;
    std::thread thread_;
};

}  // namespace truthpoint::kiosk_ui
