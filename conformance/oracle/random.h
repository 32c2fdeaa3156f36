// Seeded, deterministic pseudo-random numbers for the checker: every payload,
// chunk size and choice a case makes derives from the run's --seed, so a
// failing run can be replayed byte for byte. Not for cryptography.
//
// Example:
//   Rng rng(derive_seed(context.seed, 7));
//   std::size_t n = rng.between(1, 4096);
#pragma once

#include <cstddef>
#include <cstdint>

namespace echo::conformance {

// splitmix64's output function: a bijective 64-bit mix with good avalanche.
[[nodiscard]] constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// An independent seed for `stream` (a case, a connection, a chunk sizer) of a run seeded `seed`.
[[nodiscard]] constexpr std::uint64_t derive_seed(std::uint64_t seed,
                                                  std::uint64_t stream) noexcept {
  return mix64(seed ^ mix64(stream ^ 0xC0FFEE5EED5EEDull));
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept;

  [[nodiscard]] std::uint64_t next() noexcept;
  // Uniform in [low, high] (inclusive); low when high <= low.
  [[nodiscard]] std::uint64_t between(std::uint64_t low, std::uint64_t high) noexcept;

 private:
  std::uint64_t state_[4];
};

// "Random chunk sizes": a seeded sequence of sizes in [min, max]. Half of them
// are drawn on a log scale, so small chunks (1-16 bytes) appear often even
// when max is large; the rest are uniform.
class ChunkSizer {
 public:
  ChunkSizer(std::uint64_t seed, std::size_t min, std::size_t max) noexcept;
  [[nodiscard]] std::size_t next() noexcept;

 private:
  Rng rng_;
  std::size_t min_;
  std::size_t max_;
};

}  // namespace echo::conformance
