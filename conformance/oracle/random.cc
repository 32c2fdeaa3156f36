#include "conformance/oracle/random.h"

#include <algorithm>
#include <bit>

namespace echo::conformance {

Rng::Rng(std::uint64_t seed) noexcept {
  std::uint64_t x = seed;
  for (auto& word : state_) {
    word = mix64(x);
    x += 0x9E3779B97F4A7C15ull;
  }
}

std::uint64_t Rng::next() noexcept {
  const std::uint64_t result = std::rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = std::rotl(state_[3], 45);
  return result;
}

std::uint64_t Rng::between(std::uint64_t low, std::uint64_t high) noexcept {
  if (high <= low) return low;
  const std::uint64_t span = high - low;
  if (span == ~0ull) return next();
  return low + next() % (span + 1);  // the bias is below 2^-40 for the spans used here
}

ChunkSizer::ChunkSizer(std::uint64_t seed, std::size_t min, std::size_t max) noexcept
    : rng_(seed), min_(std::max<std::size_t>(min, 1)), max_(std::max(max, min_)) {}

std::size_t ChunkSizer::next() noexcept {
  if (rng_.next() & 1) return rng_.between(min_, max_);
  const int max_bits = std::bit_width(max_);
  const auto bits = static_cast<int>(rng_.between(1, static_cast<std::uint64_t>(max_bits)));
  const std::uint64_t cap = bits >= 64 ? ~0ull : (1ull << bits) - 1;
  return std::clamp<std::size_t>(rng_.between(cap >> 1, cap), min_, max_);
}

}  // namespace echo::conformance
