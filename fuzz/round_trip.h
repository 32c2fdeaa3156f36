// The codec targets' shared run logic. check_codec_run(): one run, the round
// trip or the model as the input chose, decoded and compared.
// encode_pieces(): the encoding half of the codec targets' round-trip
// property. It cuts a stream into pieces of pseudo-random sizes below
// `longest` (drawn from the stream's FNV-1a, so a reproducer replays the same
// cuts) and offers each to encode(wire, piece), which must accept it exactly
// when encodable(piece) says and, refusing, append nothing; accepted(piece,
// before) then checks what an accepted piece appended to `wire` after
// `before`. The caller decodes `wire` and expects the accepted pieces back.
// A refusal formats its message (allocations): the first kRefusalsChecked of
// a run are checked, the rest of the pieces that must be refused are not
// offered.
//
// Example:
//   encode_pieces(stream, max_length + 3, wire,
//       [&](auto piece) { return piece.size() <= max_length; },
//       [&](Bytes& out, auto piece) { return encode_delimited(out, piece, options); },
//       [&](auto piece, std::size_t before) { ends.push_back(before + piece.size()); });
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/util/result.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"

namespace echo::fuzz {

inline constexpr std::size_t kRefusalsChecked = 4;

template <class Encodable, class Encode, class Accepted>
void encode_pieces(std::span<const std::byte> stream, std::size_t longest,
                   std::vector<std::byte>& wire, Encodable&& encodable, Encode&& encode,
                   Accepted&& accepted) {
  wire.clear();
  std::uint64_t state = fnv1a(stream);
  std::size_t refusals = 0;
  while (!stream.empty()) {
    const std::size_t size = std::min<std::size_t>(stream.size(), (state >> 3) % longest);
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::span<const std::byte> piece = stream.first(size);
    stream = stream.subspan(size);
    const bool should_accept = encodable(piece);
    if (!should_accept && ++refusals > kRefusalsChecked) continue;
    const std::size_t before = wire.size();
    const Status status = encode(wire, piece);
    FUZZ_CHECK(status.ok() == should_accept, "encoding %s a %zu-byte piece it should %s",
               status ? "accepted" : "refused", size, should_accept ? "accept" : "refuse");
    if (!status) {
      FUZZ_CHECK(wire.size() == before, "a refused encode appended %zu bytes",
                 wire.size() - before);
      continue;
    }
    accepted(piece, before);
  }
}

// One run of a codec target, the property its input chose: the round trip
// (expect_round_trip(stream, wire, expected) encodes pieces of the stream into
// `wire` and lists them; `wire` is decoded) or the model
// (expect_model(stream, expected); the stream itself is decoded).
template <class Decoder, class RoundTrip, class Model>
void check_codec_run(Decoder fresh, std::span<const std::byte> stream, Feeding how, bool round_trip,
                     RoundTrip&& expect_round_trip, Model&& expect_model) {
  static ExpectedEvents expected;  // storage reused run after run
  static std::vector<std::byte> wire;
  expected.clear();
  if (round_trip) {
    expect_round_trip(stream, wire, expected);
    expected.check(std::move(fresh), wire, how);
    return;
  }
  expect_model(stream, expected);
  expected.check(std::move(fresh), stream, how);
}

}  // namespace echo::fuzz
