// libFuzzer harness: scenario text in, a scenario or a located error out, never a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto problem = chokepoint::fuzz::scenario_loader_one({reinterpret_cast<const char*>(data), size});
    if (problem) {
        std::fprintf(stderr, "scenario loader: %s\n", problem->c_str());
        std::abort();
    }
    return 0;
}
