// Waiting in a test for what another thread does: polls `done` every 20 ms up to `limit`.
#pragma once

#include <chrono>
#include <thread>

namespace truthpoint::testing {

template <typename Predicate>
bool eventually(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

}  // namespace truthpoint::testing
