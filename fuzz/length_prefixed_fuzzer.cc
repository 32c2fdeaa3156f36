// length_prefixed_fuzzer: LengthPrefixedDecoder and encode_length_prefixed
// (core/codec/length_prefixed.h). Input: a prefix byte, a max_length selector,
// then the stream. Prefix byte: bits 0-1 the prefix (u8, be16, be32, varint);
// bits 2-4 how the run feeds its stream (Feeding::from_bits: bits 2-3 whole, at
// random boundaries or byte by byte, bit 4 finish() after the last byte); bit 5
// which property the run checks. Properties (a broken one aborts):
//  - the decoder contract of decoder_harness.h;
//  - bit 5 clear: the events, skipped total and buffered bytes, fed as chosen,
//    match a naive model of the documented format: kTooLong (skipped == prefix
//    size, body discarded), for varints the strict LEB128 rules
//    (kBadLengthPrefix, skipped == bytes examined, then everything discarded),
//    after finish() kTruncated for a partial prefix or message; so across runs
//    the decoding is the same however the stream is chunked;
//  - bit 5 set: encode then decode (fed as chosen) round-trips pieces cut from
//    the stream, and encoding is refused exactly when a piece is longer than
//    max_length or the prefix can say.
// Cost per run: one decoding and the decoder's own allocations (a vector per
// message, a string per error); the model's expected events and the encoded
// stream reuse storage from run to run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/codec/length_prefixed.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"
#include "fuzz/round_trip.h"

namespace {

using echo::DecodeErrorKind;
using echo::LengthPrefix;
using echo::LengthPrefixedDecoder;
using echo::LengthPrefixedOptions;
using echo::fuzz::ExpectedEvents;
using echo::fuzz::Feeding;
using Bytes = std::vector<std::byte>;

constexpr std::size_t kMaxLengths[] = {0, 1, 2, 5, 127, 128, 300, 1024, 70000};
constexpr LengthPrefix kPrefixes[] = {LengthPrefix::kU8, LengthPrefix::kBe16, LengthPrefix::kBe32,
                                      LengthPrefix::kVarint};

// A prefix read from the front of the input: a length, an incomplete prefix
// (nullopt, size 0) or a bad varint (nullopt, size == bytes examined).
struct Prefix {
  std::optional<std::uint64_t> length;
  std::size_t size = 0;
};

Prefix read_fixed(std::span<const std::byte> in, std::size_t size) {
  if (in.size() < size) return {};
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) value = value << 8 | static_cast<std::uint64_t>(in[i]);
  return {value, size};
}

Prefix read_varint(std::span<const std::byte> in) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == in.size()) return {};
    auto b = static_cast<std::uint64_t>(in[i]);
    if (i == 9 && b > 1) return {std::nullopt, 10};  // too long or past 64 bits
    value |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) != 0) continue;
    if (i > 0 && b == 0) return {std::nullopt, i + 1};  // not minimal
    return {value, i + 1};
  }
  return {};  // unreachable: the 10th byte always decides
}

Prefix read_prefix(LengthPrefix kind, std::span<const std::byte> in) {
  switch (kind) {
    case LengthPrefix::kU8:
      return read_fixed(in, 1);
    case LengthPrefix::kBe16:
      return read_fixed(in, 2);
    case LengthPrefix::kBe32:
      return read_fixed(in, 4);
    case LengthPrefix::kVarint:
      return read_varint(in);
  }
  return {};
}

void expect_format(const LengthPrefixedOptions& options, std::span<const std::byte> stream,
                   bool finish, ExpectedEvents& check) {
  std::uint64_t skipped_total = 0;
  // What is left buffered at the end: waiting, or reported as kTruncated after finish().
  auto end_waiting = [&](std::size_t buffered) {
    if (!finish || buffered == 0) return check.end(skipped_total, buffered);
    check.error(DecodeErrorKind::kTruncated, buffered);
    check.end(skipped_total + buffered, 0);
  };
  while (!stream.empty()) {
    Prefix prefix = read_prefix(options.prefix, stream);
    if (!prefix.length && prefix.size == 0) {
      return end_waiting(stream.size());  // an incomplete prefix
    }
    if (!prefix.length) {  // a bad varint is final: the rest is discarded
      check.error(DecodeErrorKind::kBadLengthPrefix, prefix.size);
      return check.end(skipped_total + stream.size(), 0);
    }
    stream = stream.subspan(prefix.size);
    if (*prefix.length > options.max_length) {
      check.error(DecodeErrorKind::kTooLong, prefix.size);
      std::size_t body =
          static_cast<std::size_t>(std::min<std::uint64_t>(*prefix.length, stream.size()));
      skipped_total += prefix.size + body;
      stream = stream.subspan(body);
      continue;
    }
    if (stream.size() < *prefix.length) {
      return end_waiting(prefix.size + stream.size());  // an incomplete body
    }
    const auto length = static_cast<std::size_t>(*prefix.length);
    check.message(stream.first(length));
    stream = stream.subspan(length);
  }
  check.end(skipped_total, 0);
}

std::uint64_t prefix_max(LengthPrefix kind) {
  switch (kind) {
    case LengthPrefix::kU8:
      return 0xff;
    case LengthPrefix::kBe16:
      return 0xffff;
    case LengthPrefix::kBe32:
      return 0xffffffff;
    case LengthPrefix::kVarint:
      break;
  }
  return std::numeric_limits<std::uint64_t>::max();
}

// Encodes pieces cut from the stream into `wire`; the accepted ones are the
// messages expected of decoding it.
void expect_round_trip(const LengthPrefixedOptions& options, std::span<const std::byte> stream,
                       Bytes& wire, ExpectedEvents& check) {
  static std::vector<std::size_t> ends;  // of the accepted pieces in wire
  ends.clear();
  echo::fuzz::encode_pieces(
      stream, std::min<std::size_t>(options.max_length, 600) + 3, wire,
      [&](std::span<const std::byte> piece) {
        return piece.size() <= options.max_length && piece.size() <= prefix_max(options.prefix);
      },
      [&](Bytes& out, std::span<const std::byte> piece) {
        return echo::encode_length_prefixed(out, piece, options);
      },
      [&](std::span<const std::byte> piece, std::size_t before) {
        const std::size_t size = piece.size();
        FUZZ_CHECK(wire.size() > before + size &&
                       wire.size() - before - size <= echo::max_prefix_size(options.prefix) &&
                       std::equal(piece.begin(), piece.end(), wire.end() - static_cast<long>(size)),
                   "a %zu-byte piece encoded to %zu bytes not ending in it", size,
                   wire.size() - before);
        ends.push_back(wire.size());
      });
  const std::span<const std::byte> encoded = wire;  // wire no longer grows
  std::size_t i = 0;
  for (std::size_t end : ends) {
    const std::size_t size = end - i;  // prefix and body
    Prefix prefix = read_prefix(options.prefix, encoded.subspan(i, size));
    FUZZ_CHECK(prefix.length && prefix.size + *prefix.length == size,
               "an encoded piece does not begin with its length");
    check.message(encoded.subspan(i + prefix.size, size - prefix.size));
    i = end;
  }
  check.end(0, 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  LengthPrefixedOptions options;
  const std::uint8_t flags = in.take_u8();
  options.prefix = kPrefixes[flags & 3];
  const Feeding how = Feeding::from_bits(static_cast<std::uint8_t>(flags >> 2));
  const bool round_trip = (flags & 0x20) != 0;
  options.max_length = kMaxLengths[in.take_u8() % std::size(kMaxLengths)];
  std::span<const std::byte> stream = std::as_bytes(in.take_rest());

  LengthPrefixedDecoder fresh(options);
  std::size_t limit = echo::max_prefix_size(options.prefix) + options.max_length;
  FUZZ_CHECK(fresh.buffer_limit() == limit, "buffer_limit() %zu, expected %zu",
             fresh.buffer_limit(), limit);
  echo::fuzz::check_codec_run(
      std::move(fresh), stream, how, round_trip,
      [&](std::span<const std::byte> s, Bytes& wire, ExpectedEvents& expected) {
        expect_round_trip(options, s, wire, expected);
      },
      [&](std::span<const std::byte> s, ExpectedEvents& expected) {
        expect_format(options, s, how.finish, expected);
      });
  return 0;
}
