// A fixed set of worker threads for the leverage measurement's independent counterfactual runs.
// Which thread runs a task never shows in a result: every task writes only its own slot and
// results are combined in task order afterwards, so the game is the same for any thread count.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace chokepoint {

class WorkerPool {
public:
    // `threads` in all, counting the caller's (which works too): 1 runs everything on the caller,
    // 0 means one per hardware thread.
    explicit WorkerPool(int threads = 0);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int threads() const { return static_cast<int>(workers_.size()) + 1; }

    // Calls task(i) for i in [0, n), spread over the threads, and returns when all are done.
    // If tasks throw, the exception of the lowest i is rethrown (after every task has ended).
    void for_each(std::size_t n, const std::function<void(std::size_t)>& task);

    // One per hardware thread (at least 1).
    static int hardware_threads();

private:
    void work();
    void run_tasks();

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t count_ = 0, next_ = 0, finished_ = 0;
    unsigned long generation_ = 0;
    bool stopping_ = false;
    std::size_t error_index_ = 0;
    std::exception_ptr error_;
};

}  // namespace chokepoint
