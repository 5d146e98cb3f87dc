// Threads on demand for the hub's request handlers (see elastic_pool.hpp).
#include "elastic_pool.hpp"

#include <thread>

namespace truthpoint::hub {

ElasticThreadPool::ElasticThreadPool(std::size_t min_threads, std::size_t max_threads,
                                     std::chrono::milliseconds idle_exit)
    : min_threads_(min_threads), max_threads_(std::max<std::size_t>(max_threads, 1)), idle_exit_(idle_exit) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < std::min(min_threads_, max_threads_); ++i) start_thread();
}

ElasticThreadPool::~ElasticThreadPool() { shutdown(); }

void ElasticThreadPool::start_thread() {
    ++alive_;
    ++idle_;  // counted idle until it takes a job, so that a burst of enqueues does not over-spawn
    std::thread thread([this] { run(); });
    const auto id = thread.get_id();
    threads_.emplace(id, std::move(thread));
}

void ElasticThreadPool::join_retired() {
    // A retired thread has let go of the mutex for good (it holds it only to record its retirement).
    for (const auto id : retired_) {
        auto it = threads_.find(id);
        if (it == threads_.end()) continue;
        it->second.join();
        threads_.erase(it);
    }
    retired_.clear();
}

void ElasticThreadPool::enqueue(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        join_retired();
        jobs_.push_back(std::move(job));
        if (idle_ < jobs_.size() && alive_ < max_threads_ && !stopping_) start_thread();
    }
    work_.notify_one();
}

void ElasticThreadPool::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        const bool woken = work_.wait_for(lock, idle_exit_, [this] { return stopping_ || !jobs_.empty(); });
        if (!woken && alive_ > min_threads_) break;  // idle long enough, and more threads than the floor
        if (jobs_.empty()) {
            if (stopping_) break;
            continue;
        }
        auto job = std::move(jobs_.front());
        jobs_.pop_front();
        --idle_;
        lock.unlock();
        job();
        job = nullptr;  // whatever the job holds is released outside the lock
        lock.lock();
        ++idle_;
    }
    --idle_;
    retired_.push_back(std::this_thread::get_id());
    if (--alive_ == 0) all_ended_.notify_all();
}

void ElasticThreadPool::shutdown() {
    std::unordered_map<std::thread::id, std::thread> ended;
    {
        std::unique_lock lock(mutex_);
        stopping_ = true;
        work_.notify_all();
        all_ended_.wait(lock, [this] { return alive_ == 0; });
        ended.swap(threads_);
        retired_.clear();
    }
    for (auto& [id, thread] : ended) thread.join();
}

std::pair<std::size_t, std::size_t> ElasticThreadPool::threads() const {
    std::lock_guard lock(mutex_);
    return {alive_, idle_};
}

}  // namespace truthpoint::hub
