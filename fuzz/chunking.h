// Chunkings of a byte stream, as TCP may deliver it: whole, one byte at a
// time, or at pseudo-random boundaries derived from the bytes themselves (so a
// reproducer file replays the same split, and every mutation tries a new one).
//
// Example:
//   for (auto chunk : random_chunks(stream)) decoder.feed(chunk);
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace echo::fuzz {

using Chunks = std::vector<std::span<const std::byte>>;

// FNV-1a of the bytes: the seed of random_chunks().
inline std::uint64_t fnv1a(std::span<const std::byte> bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::byte b : bytes) hash = (hash ^ static_cast<std::uint64_t>(b)) * 0x100000001b3ULL;
  return hash;
}

inline Chunks whole(std::span<const std::byte> stream) { return {stream}; }

inline Chunks byte_by_byte(std::span<const std::byte> stream) {
  Chunks chunks;
  for (std::size_t i = 0; i < stream.size(); ++i) chunks.push_back(stream.subspan(i, 1));
  return chunks;
}

// Mostly short chunks, some empty ones, some up to 4 KiB.
inline Chunks random_chunks(std::span<const std::byte> stream) {
  std::uint64_t state = fnv1a(stream) | 1;
  Chunks chunks;
  while (!stream.empty()) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    std::size_t size = 0;
    switch (state % 8) {
      case 0:
        size = 0;
        break;
      case 1:
      case 2:
        size = 1;
        break;
      case 3:
        size = (state >> 8) % 4096;
        break;
      default:
        size = (state >> 8) % 64;
        break;
    }
    if (size > stream.size()) size = stream.size();
    chunks.push_back(stream.first(size));
    stream = stream.subspan(size);
  }
  return chunks;
}

}  // namespace echo::fuzz
