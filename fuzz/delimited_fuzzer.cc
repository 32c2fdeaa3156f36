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

using echo::DecodeError;
using echo::DecodeErrorKind;
using echo::DelimitedDecoder;
using echo::DelimitedOptions;
using Bytes = std::vector<std::byte>;
using Decoding = echo::fuzz::Decoding<DelimitedDecoder>;

constexpr std::size_t kMaxLengths[] = {1, 2, 3, 7, 16, 64, 255, 1024};

Decoding model(const DelimitedOptions& options, std::span<const std::byte> stream) {
  Decoding out;
  Bytes current;
  bool discarding = false;
  for (std::byte b : stream) {
    if (discarding) {
      ++out.skipped_total;
      discarding = b != options.delimiter;
      continue;
    }
    if (b == options.delimiter) {
      if (options.include_delimiter) current.push_back(b);
      out.events.emplace_back(std::move(current));
      current.clear();
      continue;
    }
    if (current.size() == options.max_length) {
      DecodeError error{
          .kind = DecodeErrorKind::kTooLong, .message = {}, .skipped = options.max_length + 1};
      out.events.emplace_back(std::move(error));
      out.skipped_total += options.max_length + 1;
      current.clear();
      discarding = true;
      continue;
    }
    current.push_back(b);
  }
  out.buffered = current.size();
  return out;
}

// Error messages are for people: compare errors by kind and skipped only.
void forget_messages(Decoding& decoding) {
  for (auto& event : decoding.events) {
    auto* error = std::get_if<DecodeError>(&event);
    if (error == nullptr) continue;
    FUZZ_CHECK(!error->message.empty(), "an error without a message");
    error->message.clear();
  }
}

void check_round_trip(const DelimitedOptions& options, std::span<const std::byte> stream) {
  std::vector<Bytes> accepted;
  Bytes wire;
  std::uint64_t state = echo::fuzz::fnv1a(stream);
  while (!stream.empty()) {
    std::size_t size =
        std::min<std::size_t>(stream.size(), (state >> 3) % (options.max_length + 3));
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    Bytes piece(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(size));
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
    if (options.include_delimiter) piece.push_back(options.delimiter);
    accepted.push_back(std::move(piece));
  }
  Decoding decoded = echo::fuzz::decode(DelimitedDecoder(options), echo::fuzz::random_chunks(wire));
  FUZZ_CHECK(decoded.events.size() == accepted.size(), "%zu messages encoded, %zu decoded",
             accepted.size(), decoded.events.size());
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    const Bytes* message = std::get_if<Bytes>(&decoded.events[i]);
    FUZZ_CHECK(message != nullptr && *message == accepted[i], "message %zu did not round-trip", i);
  }
  FUZZ_CHECK(decoded.skipped_total == 0 && decoded.buffered == 0,
             "a clean stream left %llu skipped and %zu buffered bytes",
             static_cast<unsigned long long>(decoded.skipped_total), decoded.buffered);
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
  Decoding decoded = echo::fuzz::decode_every_way(fresh, stream);
  forget_messages(decoded);
  FUZZ_CHECK(decoded == model(options, stream),
             "the decoder disagrees with the model of the framing (%zu events)",
             decoded.events.size());
  check_round_trip(options, stream);
  return 0;
}
