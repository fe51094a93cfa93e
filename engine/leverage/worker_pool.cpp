#include "engine/leverage/worker_pool.hpp"

#include <algorithm>
#include <exception>

namespace chokepoint {

int WorkerPool::hardware_threads() {
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

WorkerPool::WorkerPool(int threads) {
    const int n = threads > 0 ? threads : hardware_threads();
    for (int i = 1; i < n; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
}

// Takes tasks until none is left. Called with the lock not held.
void WorkerPool::run_tasks() {
    for (;;) {
        std::size_t i;
        {
            std::lock_guard lock(mutex_);
            if (next_ >= count_) return;
            i = next_++;
        }
        std::exception_ptr failed;
        try {
            (*task_)(i);
        } catch (...) {
            failed = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        if (failed && (!error_ || i < error_index_)) error_ = failed, error_index_ = i;
        if (++finished_ == count_) done_.notify_all();
    }
}

void WorkerPool::work() {
    unsigned long seen = 0;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
        }
        run_tasks();
    }
}

void WorkerPool::for_each(std::size_t n, const std::function<void(std::size_t)>& task) {
    if (n == 0) return;
    if (workers_.empty() || n == 1) {
        for (std::size_t i = 0; i < n; ++i) task(i);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        task_ = &task;
        count_ = n;
        next_ = finished_ = 0;
        error_ = nullptr;
        ++generation_;
    }
    wake_.notify_all();
    run_tasks();
    std::exception_ptr error;
    {
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return finished_ == count_; });
        error = error_;
        task_ = nullptr;
        count_ = next_ = finished_ = 0;
        error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace chokepoint
