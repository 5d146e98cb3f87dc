// The thread pool of the hub's request handlers, whose threads follow the requests in progress: a handler
// may wait on the store or on the ingest queue's group commit, so a fixed small pool would leave ready
// requests queued behind waiting ones. It starts `min_threads`, adds a thread whenever a job arrives and
// none is idle, up to `max_threads` (beyond that jobs wait in order), and lets a thread idle for
// `idle_exit` go, down to `min_threads`. Private to hub/: http_server.cpp runs its handlers on it.
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

namespace truthpoint::hub {

class ElasticThreadPool final {
public:
    ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                      std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
    ~ElasticThreadPool();
    ElasticThreadPool(const ElasticThreadPool&) = delete;
    ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

    void enqueue(std::function<void()> job);
    // Runs what is queued, then waits for every thread to end.
    void shutdown();

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
