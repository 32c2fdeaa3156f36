// Chunkings of a byte stream, as TCP may deliver it: whole, one byte at a
// time, or at pseudo-random boundaries derived from the bytes themselves (so a
// reproducer file replays the same split, and every mutation tries a new one).
// The chunks are handed to a callback as they are cut, so no list of chunks is
// built per run. A target feeds each run in ONE chunking, chosen by two bits of
// its input (split_from_bits), and checks it against a model that does not
// depend on chunking: across runs the fuzzer tries every chunking of every
// stream, and no run pays for three.
//
// Example:
//   for_each_chunk(stream, split_from_bits(flags), [&](std::span<const std::byte> chunk) {
//     decoder.feed(chunk);
//   });
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace echo::fuzz {

enum class Split {
  kWhole,       // one chunk, even when the stream is empty
  kByteByByte,  // one chunk per byte
  kRandom,      // mostly short chunks, some empty ones, some up to 4 KiB
};

// The split two bits choose: 0 whole, 1 and 3 random (the most varied cuts:
// empty, 1-byte, short and long chunks), 2 byte by byte.
inline Split split_from_bits(std::uint8_t bits) {
  constexpr Split kSplits[] = {Split::kWhole, Split::kRandom, Split::kByteByByte, Split::kRandom};
  return kSplits[bits & 3];
}

// FNV-1a of the bytes: the seed of Split::kRandom.
inline std::uint64_t fnv1a(std::span<const std::byte> bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (std::byte b : bytes) hash = (hash ^ static_cast<std::uint64_t>(b)) * 0x100000001b3ULL;
  return hash;
}

// The sizes of Split::kRandom's chunks, one after another (xorshift64 seeded
// with the stream's FNV-1a, or with a seed the caller derived from the input).
class RandomChunkSizes {
 public:
  explicit RandomChunkSizes(std::uint64_t seed) : state_(seed | 1) {}

  std::size_t next() noexcept {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    switch (state_ % 8) {
      case 0:
        return 0;
      case 1:
      case 2:
        return 1;
      case 3:
        return (state_ >> 8) % 4096;
      default:
        return (state_ >> 8) % 64;
    }
  }

 private:
  std::uint64_t state_;
};

// Calls visit(chunk) for every chunk of `stream` in order, cut as `split` says;
// Split::kRandom draws its sizes from `seed` (by default the stream's FNV-1a:
// a target whose stream is long but made from a short input hashes the input).
template <class Visit>
void for_each_chunk(std::span<const std::byte> stream, Split split, Visit&& visit,
                    std::optional<std::uint64_t> seed = std::nullopt) {
  switch (split) {
    case Split::kWhole:
      visit(stream);
      return;
    case Split::kByteByByte:
      for (std::size_t i = 0; i < stream.size(); ++i) visit(stream.subspan(i, 1));
      return;
    case Split::kRandom: {
      RandomChunkSizes sizes(seed.value_or(fnv1a(stream)));
      while (!stream.empty()) {
        std::size_t size = sizes.next();
        if (size > stream.size()) size = stream.size();
        visit(stream.first(size));
        stream = stream.subspan(size);
      }
      return;
    }
  }
}

}  // namespace echo::fuzz
