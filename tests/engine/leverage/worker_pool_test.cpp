// The leverage measurement's worker pool: every task once, errors reported deterministically.
#include "engine/leverage/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace chokepoint {
namespace {

TEST(WorkerPool, RunsEveryTaskExactlyOnceForAnyThreadCount) {
    for (int threads : {1, 2, 3, 8}) {
        WorkerPool pool(threads);
        EXPECT_EQ(pool.threads(), threads);
        for (std::size_t n : {0u, 1u, 2u, 7u, 1000u}) {
            std::vector<std::atomic<int>> calls(n);
            pool.for_each(n, [&](std::size_t i) { calls[i].fetch_add(1); });
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i].load(), 1) << "task " << i << " of " << n;
        }
    }
}

TEST(WorkerPool, SpreadsTasksOverItsThreads) {
    WorkerPool pool(2);
    std::atomic<int> waiting{0};
    std::vector<std::thread::id> who(2);
    // Each of two tasks waits until both have started: this finishes only if two threads run them.
    pool.for_each(2, [&](std::size_t i) {
        who[i] = std::this_thread::get_id();
        waiting.fetch_add(1);
        while (waiting.load() < 2) std::this_thread::yield();
    });
    EXPECT_NE(who[0], who[1]);
}

TEST(WorkerPool, RethrowsTheLowestFailingTasksErrorAfterAllTasksEnd) {
    WorkerPool pool(2);
    std::atomic<int> done{0};
    try {
        pool.for_each(50, [&](std::size_t i) {
            done.fetch_add(1);
            if (i == 7 || i == 30) throw std::runtime_error("task " + std::to_string(i));
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "task 7");
    }
    EXPECT_EQ(done.load(), 50);
    // The pool is still usable.
    std::atomic<int> again{0};
    pool.for_each(10, [&](std::size_t) { again.fetch_add(1); });
    EXPECT_EQ(again.load(), 10);
}

TEST(WorkerPool, ZeroThreadsMeansOnePerHardwareThread) {
    WorkerPool pool(0);
    EXPECT_EQ(pool.threads(), WorkerPool::hardware_threads());
    EXPECT_GE(pool.threads(), 1);
}

}  // namespace
}  // namespace chokepoint
