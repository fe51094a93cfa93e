// The world's seeded random number generator: xoshiro256** seeded by
// splitmix64. Its state lives in State (so it is copied into counterfactuals
// and saved with the game); the same seed gives the same sequence on every
// platform, which std:: distributions do not promise.
#pragma once

#include <cstdint>

namespace chokepoint {

inline std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline void seed_rng(std::uint64_t (&s)[4], std::uint64_t seed) {
    for (auto& word : s) word = splitmix64(seed);
}

class Rng {
public:
    explicit Rng(std::uint64_t (&state)[4]) : s_(state) {}

    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t (&s_)[4];
};

}  // namespace chokepoint
