// A task queue for cpp-httplib whose threads follow the number of open connections. httplib runs each
// connection on one pool thread for as long as it stays open (keep-alive included), so a fixed pool smaller
// than the number of kiosks holding connections leaves the rest queued for seconds behind idle ones (with
// 64 threads and 1,000 kiosks on keep-alive: p50 7.8 s, measured). This pool starts `min_threads`, adds a
// thread whenever a connection arrives and none is idle, up to `max_threads` (beyond that connections wait
// in order, as with httplib's own pool), and lets a thread idle for `idle_exit` go, down to `min_threads`.
// Private to hub/: server.cpp installs it through httplib::Server::new_task_queue.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <httplib.h>

namespace truthpoint::hub {

class ElasticThreadPool final : public httplib::TaskQueue {
public:
    ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                      std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
    ~ElasticThreadPool() override;

    void enqueue(std::function<void()> job) override;
    // Runs what is queued, then waits for every thread to end.
    void shutdown() override;

    // {threads alive, threads idle}; for tests.
    std::pair<std::size_t, std::size_t> threads() const;

private:
    void start_thread();  // with mutex_ held
    void join_retired();  // with mutex_ held
    void run();

    const std::size_t min_threads_;
    const std::size_t max_threads_;
    const std::chrono::milliseconds idle_exit_;

    mutable std::mutex mutex_;  // guards everything below
    std::condition_variable work_;
    std::condition_variable all_ended_;
    std::deque<std::function<void()>> jobs_;
    std::unordered_map<std::thread::id, std::thread> threads_;
    std::vector<std::thread::id> retired_;  // ended, or about to: joined on the next enqueue or shutdown
    std::size_t alive_ = 0;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace truthpoint::hub
