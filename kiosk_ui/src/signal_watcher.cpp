// SIGINT/SIGTERM → a callback on a watcher thread, through a self-pipe (see signal_watcher.hpp).
#include "signal_watcher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace truthpoint::kiosk_ui {

namespace {

int g_signal_pipe = -1;  // the write end, for the handler: a handler can reach nothing else
constexpr unsigned char kStopWatcher = 0;

extern "C" void forward_signal(int signal) {
    const int saved_errno = errno;
    const auto byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t written = write(g_signal_pipe, &byte, 1);
    errno = saved_errno;
}

}  // namespace

SignalWatcher::SignalWatcher(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
    if (pipe2(pipe_, O_CLOEXEC) != 0) throw std::runtime_error("cannot create the signal pipe");
    g_signal_pipe = pipe_[1];
    struct sigaction action {};
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, &previous_int_);
    sigaction(SIGTERM, &action, &previous_term_);
    thread_ = std::thread([this] { run(); });
}

void SignalWatcher::run() {
    for (;;) {
        unsigned char byte = 0;
        const ssize_t got = read(pipe_[0], &byte, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || byte == kStopWatcher) return;
        on_signal_(byte);
    }
}

SignalWatcher::~SignalWatcher() {
    // Keep the handler until the end: a second Ctrl-C during shutdown asks for what is already happening,
    // and must not kill the process before the recorder has flushed.
    const unsigned char stop = kStopWatcher;
    [[maybe_unused]] const ssize_t written = write(pipe_[1], &stop, 1);
    thread_.join();
    sigaction(SIGINT, &previous_int_, nullptr);
    sigaction(SIGTERM, &previous_term_, nullptr);
    g_signal_pipe = -1;
    close(pipe_[0]);
    close(pipe_[1]);
}

}  // namespace truthpoint::kiosk_ui
