// length_prefixed_fuzzer: LengthPrefixedDecoder and encode_length_prefixed
// (core/codec/length_prefixed.h). Input: a prefix selector (u8, be16, be32,
// varint), a max_length selector, then the stream. Properties (a broken one
// aborts):
//  - the decoder contract of decoder_harness.h, and the same events, skipped
//    total and buffered bytes whole, byte by byte and at random boundaries;
//  - the events match a naive model of the documented format: kTooLong (skipped
//    == prefix size, body discarded), and for varints the strict LEB128 rules
//    (kBadLengthPrefix, skipped == bytes examined, then everything discarded);
//  - encode then decode round-trips pieces cut from the stream, and encoding
//    is refused exactly when a piece is longer than max_length or the prefix.
// Cost per run: the decoder's own allocations (a vector per message, a string
// per error); the model and the round trip compare spans of the stream, and
// the event list and the encoded stream reuse storage from run to run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "core/codec/length_prefixed.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::DecodeErrorKind;
using echo::LengthPrefix;
using echo::LengthPrefixedDecoder;
using echo::LengthPrefixedOptions;
using Bytes = std::vector<std::byte>;
using Decoding = echo::fuzz::Decoding<LengthPrefixedDecoder>;
using Model = echo::fuzz::MessageModel<LengthPrefixedDecoder>;

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

void check_model(const LengthPrefixedOptions& options, std::span<const std::byte> stream,
                 const Decoding& decoded) {
  Model check(decoded);
  std::uint64_t skipped_total = 0;
  while (!stream.empty()) {
    Prefix prefix = read_prefix(options.prefix, stream);
    if (!prefix.length && prefix.size == 0) {
      return check.end(skipped_total, stream.size());  // an incomplete prefix waits
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
      return check.end(skipped_total, prefix.size + stream.size());  // an incomplete body waits
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

void check_round_trip(const LengthPrefixedOptions& options, std::span<const std::byte> stream) {
  static std::vector<std::span<const std::byte>> accepted;  // pieces of the stream
  static Bytes wire;
  accepted.clear();
  wire.clear();
  std::uint64_t state = echo::fuzz::fnv1a(stream);
  std::size_t longest = std::min<std::size_t>(options.max_length, 600) + 3;
  while (!stream.empty()) {
    std::size_t size = std::min<std::size_t>(stream.size(), (state >> 3) % longest);
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::span<const std::byte> piece = stream.first(size);
    stream = stream.subspan(size);
    bool encodable = size <= options.max_length && size <= prefix_max(options.prefix);
    std::size_t before = wire.size();
    echo::Status status = echo::encode_length_prefixed(wire, piece, options);
    FUZZ_CHECK(status.ok() == encodable, "encode_length_prefixed %s a %zu-byte piece",
               status ? "accepted" : "refused", size);
    if (!status) {
      FUZZ_CHECK(wire.size() == before, "a refused encode appended %zu bytes",
                 wire.size() - before);
      continue;
    }
    accepted.push_back(piece);
  }
  std::size_t i = 0;
  echo::fuzz::DecodeEnd end = echo::fuzz::decode(
      LengthPrefixedDecoder(options), wire, echo::fuzz::Split::kRandom, [&](auto&& event) {
        FUZZ_CHECK(i < accepted.size(), "more than the %zu messages encoded were decoded",
                   accepted.size());
        const Bytes* message = std::get_if<Bytes>(&event);
        const std::span<const std::byte> piece = accepted[i];
        FUZZ_CHECK(message != nullptr && message->size() == piece.size() &&
                       std::equal(piece.begin(), piece.end(), message->begin()),
                   "message %zu did not round-trip", i);
        ++i;
      });
  FUZZ_CHECK(i == accepted.size(), "%zu messages encoded, %zu decoded", accepted.size(), i);
  FUZZ_CHECK(end.skipped_total == 0 && end.buffered == 0,
             "a clean stream left %llu skipped and %zu buffered bytes",
             static_cast<unsigned long long>(end.skipped_total), end.buffered);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  echo::fuzz::FuzzInput in(data, size);
  LengthPrefixedOptions options;
  options.prefix = kPrefixes[in.take_u8() % std::size(kPrefixes)];
  options.max_length = kMaxLengths[in.take_u8() % std::size(kMaxLengths)];
  std::span<const std::byte> stream = std::as_bytes(in.take_rest());

  LengthPrefixedDecoder fresh(options);
  std::size_t limit = echo::max_prefix_size(options.prefix) + options.max_length;
  FUZZ_CHECK(fresh.buffer_limit() == limit, "buffer_limit() %zu, expected %zu",
             fresh.buffer_limit(), limit);
  static Decoding decoded;
  echo::fuzz::decode_every_way(fresh, stream, decoded);
  check_model(options, stream, decoded);
  check_round_trip(options, stream);
  decoded.events.clear();  // free this run's messages in this run (see decoder_harness.h)
  return 0;
}
