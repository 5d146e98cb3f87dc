// Turns SIGINT/SIGTERM into a call on an ordinary thread, so the frame loop can be woken safely
// (SDL_PushEvent is not async-signal-safe). The handler only writes a byte to a pipe (async-signal-safe);
// the watcher's thread reads it and calls back. A handler, not a blocked mask with sigwait, because
// threads started before the window (the background uploader) keep the default mask, and a SIGTERM
// delivered to one of them would otherwise kill the process before the recorder has flushed.
#pragma once

#include <csignal>
#include <functional>
#include <thread>

namespace truthpoint::kiosk_ui {

class SignalWatcher {
public:
    explicit SignalWatcher(std::function<void(int signal)> on_signal);
    ~SignalWatcher();  // stops the watcher and restores the previous handlers
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    void run();

    int pipe_[2] = {-1, -1};
    struct sigaction previous_int_ {};
    struct sigaction previous_term_ {};
    std::function<void(int)> on_signal_;
    std::thread thread_;
};

}  // namespace truthpoint::kiosk_ui
