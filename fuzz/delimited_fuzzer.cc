// delimited_fuzzer: DelimitedDecoder and encode_delimited (core/codec/delimited.h).
// Input: a delimiter byte, a max_length selector, a flags byte, then the
// stream. Flags: bit 0 include_delimiter; bits 1-3 how the run feeds its
// stream (Feeding::from_bits: bits 1-2 whole, at random boundaries or byte by
// byte, bit 3 finish() after the last byte); bit 4 which property the run
// checks. Properties (a broken one aborts):
//  - the decoder contract of decoder_harness.h;
//  - bit 4 clear: the events, skipped total and buffered bytes match a naive
//    model of the documented framing and overflow resync (kTooLong with
//    skipped == max_length + 1, then discard through the next delimiter;
//    after finish(), kTruncated for an unterminated tail), fed as chosen, so
//    across runs the decoding is the same however the stream is chunked;
//  - bit 4 set: encode then decode round-trips: the stream cut into pieces,
//    each encoded (refused exactly when it holds the delimiter or is too long),
//    decodes, fed as chosen, to exactly the accepted pieces.
// Cost per run: one decoding and the decoder's own allocations (a vector per
// message, a string per error); the model's expected events and the encoded
// stream reuse storage from run to run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "core/codec/delimited.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"
#include "fuzz/round_trip.h"

namespace {

using echo::DecodeErrorKind;
using echo::DelimitedDecoder;
using echo::DelimitedOptions;
using echo::fuzz::ExpectedEvents;
using echo::fuzz::Feeding;
using Bytes = std::vector<std::byte>;

constexpr std::size_t kMaxLengths[] = {1, 2, 3, 7, 16, 64, 255, 1024};

// The framing, byte by byte: messages are runs of the stream up to a delimiter.
void expect_framing(const DelimitedOptions& options, std::span<const std::byte> stream, bool finish,
                    ExpectedEvents& check) {
  std::uint64_t skipped_total = 0;
  std::size_t start = 0;  // of the current message
  bool discarding = false;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    const std::byte b = stream[i];
    if (discarding) {
      ++skipped_total;
      discarding = b != options.delimiter;
      start = i + 1;
      continue;
    }
    if (b == options.delimiter) {
      check.message(stream.subspan(start, i - start + (options.include_delimiter ? 1 : 0)));
      start = i + 1;
      continue;
    }
    if (i - start == options.max_length) {
      check.error(DecodeErrorKind::kTooLong, options.max_length + 1);
      skipped_total += options.max_length + 1;
      discarding = true;
      start = i + 1;
    }
  }
  const std::size_t tail = stream.size() - start;  // unterminated; none while discarding
  if (finish && tail > 0) {
    check.error(DecodeErrorKind::kTruncated, tail);
    return check.end(skipped_total + tail, 0);
  }
  check.end(skipped_total, tail);
}

// Encodes pieces cut from the stream into `wire`; the accepted ones, each
// with its delimiter, are the messages expected of decoding it.
void expect_round_trip(const DelimitedOptions& options, std::span<const std::byte> stream,
                       Bytes& wire, ExpectedEvents& check) {
  static std::vector<std::size_t> ends;  // of the accepted pieces in wire, delimiter excluded
  ends.clear();
  echo::fuzz::encode_pieces(
      stream, options.max_length + 3, wire,
      [&](std::span<const std::byte> piece) {
        return piece.size() <= options.max_length &&
               std::find(piece.begin(), piece.end(), options.delimiter) == piece.end();
      },
      [&](Bytes& out, std::span<const std::byte> piece) {
        return echo::encode_delimited(out, piece, options);
      },
      [&](std::span<const std::byte> piece, std::size_t before) {
        FUZZ_CHECK(wire.size() == before + piece.size() + 1 &&
                       std::equal(piece.begin(), piece.end(), wire.begin() + before) &&
                       wire.back() == options.delimiter,
                   "a %zu-byte piece was not encoded as itself and the delimiter", piece.size());
        ends.push_back(before + piece.size());
      });
  const std::span<const std::byte> encoded = wire;  // wire no longer grows
  std::size_t start = 0;
  for (std::size_t end : ends) {
    check.message(encoded.subspan(start, end - start + (options.include_delimiter ? 1 : 0)));
    start = end + 1;
  }
  check.end(0, 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  DelimitedOptions options;
  options.delimiter = std::byte{in.take_u8()};
  options.max_length = kMaxLengths[in.take_u8() % std::size(kMaxLengths)];
  const std::uint8_t flags = in.take_u8();
  options.include_delimiter = (flags & 1) != 0;
  const Feeding how = Feeding::from_bits(static_cast<std::uint8_t>(flags >> 1));
  const bool round_trip = (flags & 0x10) != 0;
  std::span<const std::byte> stream = std::as_bytes(in.take_rest());

  DelimitedDecoder fresh(options);
  FUZZ_CHECK(fresh.buffer_limit() == options.max_length + 1, "buffer_limit() %zu for max %zu",
             fresh.buffer_limit(), options.max_length);
  echo::fuzz::check_codec_run(
      std::move(fresh), stream, how, round_trip,
      [&](std::span<const std::byte> s, Bytes& wire, ExpectedEvents& expected) {
        expect_round_trip(options, s, wire, expected);
      },
      [&](std::span<const std::byte> s, ExpectedEvents& expected) {
        expect_framing(options, s, how.finish, expected);
      });
  return 0;
}
