// Deterministic hashing and a small random generator for estate-loadgen: every
// simulated fact is a pure function of (seed, agent index, ...), so two runs
// with one seed describe the same fleet. Not cryptographic.
#ifndef ESTATE_TESTS_LOADGEN_DET_RANDOM_H_
#define ESTATE_TESTS_LOADGEN_DET_RANDOM_H_

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace estate::loadgen {

// SplitMix64's finalizer: a bijection on 64 bits with good avalanche.
constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Hash of a tag (which fact) and a few integers.
inline uint64_t Hash(std::string_view tag, std::initializer_list<uint64_t> values) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : tag) h = (h ^ c) * 0x100000001b3ull;
  for (uint64_t v : values) h = Mix64(h ^ v);
  return Mix64(h);
}

// SplitMix64 stream, seeded from a Hash.
class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ull;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi].
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

}  // namespace estate::loadgen

#endif  // ESTATE_TESTS_LOADGEN_DET_RANDOM_H_
