// Independent jobs on a few threads: each index 0 .. n-1 runs once, in whatever order the threads
// take them; the caller collects results by index, so what it writes does not depend on `jobs`.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace chokepoint {

// `jobs` threads (0: one per hardware thread), the caller's included.
inline int resolve_jobs(int jobs) {
    return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

template <class Fn>
void for_each_parallel(std::size_t n, int jobs, Fn fn) {
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        for (std::size_t i = next++; i < n; i = next++) fn(i);
    };
    const int threads = std::min<int>(resolve_jobs(jobs), std::max<int>(1, static_cast<int>(n)));
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
}

}  // namespace chokepoint
