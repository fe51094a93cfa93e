// libFuzzer harness: a Lua policy's source, seated in a tiny world under lowered budgets and
// played for one turn; the game must finish the turn whatever the policy does.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto problem = chokepoint::fuzz::policy_turn_one({reinterpret_cast<const char*>(data), size});
    if (problem) {
        std::fprintf(stderr, "policy turn: %s\n", problem->c_str());
        std::abort();
    }
    return 0;
}
