// delimited_fuzzer: DelimitedDecoder and encode_delimited (core/codec/delimited.h).
// Input: a delimiter byte, a max_length selector, a flags byte (bit 0:
// include_delimiter), then the stream. Properties (a broken one aborts):
//  - the decoder contract of decoder_harness.h, and the same events, skipped
//    total and buffered bytes whole, byte by byte and at random boundaries;
//  - the events match a naive model of the documented framing and overflow
//    resync (kTooLong with skipped == max_length + 1, then discard through the
//    next delimiter), and buffered() ends as the unterminated tail;
//  - encode then decode round-trips: the stream cut into pieces, each encoded
//    (refused exactly when it holds the delimiter or is too long), decodes to
//    exactly the accepted pieces.
// Cost per run: the decoder's own allocations (a vector per message, a string
// per error); the model and the round trip compare spans of the stream, and
// the event list and the encoded stream reuse storage from run to run.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/codec/delimited.h"
#include "fuzz/chunking.h"
#include "fuzz/decoder_harness.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::DecodeErrorKind;
using echo::DelimitedDecoder;
using echo::DelimitedOptions;
using Bytes = std::vector<std::byte>;
using Decoding = echo::fuzz::Decoding<DelimitedDecoder>;
using Model = echo::fuzz::MessageModel<DelimitedDecoder>;

constexpr std::size_t kMaxLengths[] = {1, 2, 3, 7, 16, 64, 255, 1024};

// The framing, byte by byte: messages are runs of the stream up to a delimiter.
void check_model(const DelimitedOptions& options, std::span<const std::byte> stream,
                 const Decoding& decoded) {
  Model check(decoded);
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
  check.end(skipped_total, stream.size() - start);
}

void check_round_trip(const DelimitedOptions& options, std::span<const std::byte> stream) {
  static std::vector<std::span<const std::byte>> accepted;  // pieces of the stream
  static Bytes wire;
  accepted.clear();
  wire.clear();
  std::uint64_t state = echo::fuzz::fnv1a(stream);
  while (!stream.empty()) {
    std::size_t size =
        std::min<std::size_t>(stream.size(), (state >> 3) % (options.max_length + 3));
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    std::span<const std::byte> piece = stream.first(size);
    stream = stream.subspan(size);
    bool encodable = size <= options.max_length &&
                     std::find(piece.begin(), piece.end(), options.delimiter) == piece.end();
    std::size_t before = wire.size();
    echo::Status status = echo::encode_delimited(wire, piece, options);
    FUZZ_CHECK(status.ok() == encodable, "encode_delimited %s a %zu-byte piece it should %s",
               status ? "accepted" : "refused", size, encodable ? "accept" : "refuse");
    if (!status) {
      FUZZ_CHECK(wire.size() == before, "a refused encode appended %zu bytes",
                 wire.size() - before);
      continue;
    }
    accepted.push_back(piece);
  }
  std::size_t i = 0;
  echo::fuzz::DecodeEnd end = echo::fuzz::decode(
      DelimitedDecoder(options), wire, echo::fuzz::Split::kRandom, [&](auto&& event) {
        FUZZ_CHECK(i < accepted.size(), "more than the %zu messages encoded were decoded",
                   accepted.size());
        const Bytes* message = std::get_if<Bytes>(&event);
        const std::span<const std::byte> piece = accepted[i];
        const std::size_t size = piece.size() + (options.include_delimiter ? 1 : 0);
        FUZZ_CHECK(message != nullptr && message->size() == size &&
                       std::equal(piece.begin(), piece.end(), message->begin()) &&
                       (!options.include_delimiter || message->back() == options.delimiter),
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
  DelimitedOptions options;
  options.delimiter = std::byte{in.take_u8()};
  options.max_length = kMaxLengths[in.take_u8() % std::size(kMaxLengths)];
  options.include_delimiter = (in.take_u8() & 1) != 0;
  std::span<const std::byte> stream = std::as_bytes(in.take_rest());

  DelimitedDecoder fresh(options);
  FUZZ_CHECK(fresh.buffer_limit() == options.max_length + 1, "buffer_limit() %zu for max %zu",
             fresh.buffer_limit(), options.max_length);
  static Decoding decoded;
  echo::fuzz::decode_every_way(fresh, stream, decoded);
  check_model(options, stream, decoded);
  check_round_trip(options, stream);
  decoded.events.clear();  // free this run's messages in this run (see decoder_harness.h)
  return 0;
}
