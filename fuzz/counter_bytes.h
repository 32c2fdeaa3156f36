// Helpers for the operation-driven targets (ring buffer, echo session), which
// push long byte streams through the code under test and must check every byte
// without a per-run model or per-operation allocation.
//
// CounterBytes: byte k of the stream is (k * multiplier + increment) mod 256,
// a running counter in which every value occurs once per 256 bytes (the
// multiplier is odd), so a byte reordered, repeated or lost shows unless it
// moved by a multiple of 256. A model of the stream is then just the counter of
// its first byte: a run of n bytes from byte k is one span of a precomputed
// table, written and compared with memcpy/memcmp.
//
// end_of(storage, n): the last n bytes of a static array, for buffers handed
// to the code under test: reading or writing past them runs into the redzone
// AddressSanitizer puts after every global, as past an exactly sized heap
// allocation, but with no allocation per operation.
//
// Example:
//   constexpr CounterBytes kStream(151, 7);
//   std::span<std::byte> src = end_of(g_scratch, n);
//   std::memcpy(src.data(), kStream.run(written, n).data(), n);   // bytes written .. written+n-1
//   FUZZ_CHECK(kStream.matches(buffer.readable(), consumed), ...);
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "fuzz/fuzz_check.h"

namespace echo::fuzz {

class CounterBytes {
 public:
  static constexpr std::size_t kMaxRun = 1024;

  constexpr CounterBytes(std::uint8_t multiplier, std::uint8_t increment) {
    for (std::size_t k = 0; k < table_.size(); ++k) {
      table_[k] = static_cast<std::byte>((k * multiplier + increment) & 0xff);
    }
  }

  // Bytes k .. k + n - 1 of the stream; n at most kMaxRun.
  [[nodiscard]] std::span<const std::byte> run(std::uint64_t k, std::size_t n) const {
    FUZZ_CHECK(n <= kMaxRun, "a run of %zu counter bytes, at most %zu", n, kMaxRun);
    return std::span<const std::byte>(table_).subspan(k % 256, n);
  }

  // The index of the first of `bytes` that is not the stream's from byte k on
  // (bytes.size() at most kMaxRun), or nullopt when all are.
  [[nodiscard]] std::optional<std::size_t> first_difference(std::span<const std::byte> bytes,
                                                            std::uint64_t k) const {
    std::span<const std::byte> want = run(k, bytes.size());
    if (bytes.empty() || std::memcmp(bytes.data(), want.data(), bytes.size()) == 0) {
      return std::nullopt;
    }
    return static_cast<std::size_t>(std::mismatch(bytes.begin(), bytes.end(), want.begin()).first -
                                    bytes.begin());
  }

 private:
  std::array<std::byte, 256 + kMaxRun> table_{};
};

template <std::size_t N>
std::span<std::byte> end_of(std::array<std::byte, N>& storage, std::size_t n) {
  FUZZ_CHECK(n <= N, "%zu bytes asked of a %zu-byte scratch buffer", n, N);
  return std::span<std::byte>(storage).last(n);
}

}  // namespace echo::fuzz
