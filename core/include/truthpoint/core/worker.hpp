// The one building block for background work: a Mailbox between threads, a WorkerThread that owns its
// inbox, and a Worker that turns jobs into results. Every background job in the project is one of these.
//
// Rules they keep, so that no user has to:
//  - a wake-up (the condition variable, or a caller's `on_post` callback) never runs under the lock;
//  - one shutdown path: destroying a WorkerThread closes its inbox, lets its body return, and joins;
//  - nothing posted before the close is lost unless the mailbox keeps only the latest item.
#pragma once

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace truthpoint::core {

// What a mailbox keeps when items arrive faster than they are taken.
enum class Keep {
    All,     // every item, in order (events to commit)
    Latest,  // only the newest: a newer item replaces one not yet taken (a shelf to load, a snapshot)
};

// A thread-safe mailbox. Any thread posts; one thread takes (polling, or blocking in `wait_until`).
template <typename T>
class Mailbox {
public:
    explicit Mailbox(Keep keep = Keep::All, std::function<void()> on_post = {})
        : keep_(keep), on_post_(std::move(on_post)) {}
    Mailbox(const Mailbox&) = delete;
    Mailbox& operator=(const Mailbox&) = delete;

    // False (and the item dropped) once the mailbox is closed.
    bool post(T item) {
        std::function<void()> on_post;
        {
            std::lock_guard lock(mutex_);
            if (closed_) return false;
            if (keep_ == Keep::Latest) items_.clear();
            items_.push_back(std::move(item));
            on_post = on_post_;
        }
        ready_.notify_all();
        if (on_post) on_post();
        return true;
    }

    // Everything waiting, oldest first. Never blocks beyond the lock.
    std::vector<T> take_all() {
        std::lock_guard lock(mutex_);
        return take_locked();
    }
    std::optional<T> take_latest() {
        std::lock_guard lock(mutex_);
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.back());
        items_.clear();
        return item;
    }

    // Blocks until there is an item, the deadline passes, or the mailbox is closed. Returns what is
    // waiting (empty at the deadline); std::nullopt only when closed with nothing left to take.
    template <typename Clock, typename Duration>
    std::optional<std::vector<T>> wait_until(std::chrono::time_point<Clock, Duration> deadline) {
        std::unique_lock lock(mutex_);
        ready_.wait_until(lock, deadline, [this] { return closed_ || !items_.empty(); });
        if (closed_ && items_.empty()) return std::nullopt;
        return take_locked();
    }
    std::optional<std::vector<T>> wait() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
        if (closed_ && items_.empty()) return std::nullopt;
        return take_locked();
    }

    // Later posts are refused; a waiter wakes. Items already posted can still be taken.
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }
    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    // Replaces the callback run after each post (e.g. the window's wake-up, installed once it exists).
    void set_on_post(std::function<void()> on_post) {
        std::lock_guard lock(mutex_);
        on_post_ = std::move(on_post);
    }

private:
    std::vector<T> take_locked() {
        std::vector<T> items(std::make_move_iterator(items_.begin()), std::make_move_iterator(items_.end()));
        items_.clear();
        return items;
    }

    const Keep keep_;
    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<T> items_;
    bool closed_ = false;
    std::function<void()> on_post_;
};

// A named thread that owns its inbox. `body` runs once on the thread and returns when `inbox.wait*`
// reports the close. Destruction is the one shutdown path: close the inbox, then join.
template <typename Message>
class WorkerThread {
public:
    WorkerThread(std::string name, Keep keep, std::function<void(Mailbox<Message>& inbox)> body)
        : inbox_(keep), thread_([this, name = std::move(name), body = std::move(body)] {
              pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());  // ps/top/gdb show it
              body(inbox_);
          }) {}
    ~WorkerThread() { stop(); }
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;

    bool post(Message message) { return inbox_.post(std::move(message)); }

    // Closes the inbox and waits for the body to return. Idempotent; never call it from the thread.
    void stop() {
        inbox_.close();
        if (thread_.joinable()) thread_.join();
    }

private:
    Mailbox<Message> inbox_;
    std::thread thread_;  // last: starts once the inbox exists
};

// Jobs in, results out: `work` runs on the worker's thread, one job at a time. `on_result` (the window's
// wake-up) runs on the worker's thread after each result is posted, outside every lock. With Keep::All
// the jobs posted before destruction are all done first; with Keep::Latest only the newest waiting one.
template <typename Job, typename Result>
class Worker {
public:
    using Work = std::function<Result(Job&)>;

    Worker(std::string name, Keep keep, Work work, std::function<void()> on_result = {})
        : results_(Keep::All, std::move(on_result)),
          thread_(std::move(name), keep, [this, work = std::move(work)](Mailbox<Job>& inbox) mutable {
              while (auto jobs = inbox.wait()) {
                  for (Job& job : *jobs) {
                      if constexpr (std::is_void_v<Result>) {
                          work(job);
                      } else {
                          results_.post(work(job));
                      }
                  }
              }
          }) {}
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void post(Job job) { thread_.post(std::move(job)); }

    // Results since the last call, in the order of their jobs. Never blocks on the work.
    template <typename R = Result, typename = std::enable_if_t<!std::is_void_v<R>>>
    std::vector<R> take_results() {
        return results_.take_all();
    }
    void set_on_result(std::function<void()> on_result) { results_.set_on_post(std::move(on_result)); }

private:
    struct NoResult {};
    Mailbox<std::conditional_t<std::is_void_v<Result>, NoResult, Result>> results_;
    WorkerThread<Job> thread_;  // last: stopped and joined first, while results_ still exists
};

}  // namespace truthpoint::core
