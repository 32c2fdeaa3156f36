// decode(): drives one of the core/codec decoders over a stream fed the way
// the input chose (Feeding: a split of fuzz/chunking.h, and whether finish()
// follows the last byte), checking the decoder contract of decode_event.h at
// every step (a broken property aborts):
//  - feed() never takes more than offered, and takes at least one byte of
//    non-empty data once next() has been drained (progress);
//  - buffered() never exceeds buffer_limit().
// A run decodes its stream once, in one chunking, and compares the events as
// they come with what a chunking-free model of the format expects
// (ExpectedEvents: messages as spans of the stream, errors by kind and skipped
// count), so the result (events, skipped_total(), buffered()) not depending on
// the chunking is checked across runs, without decoding every stream three
// ways, and without allocating the model's messages.
//
// Storage a target keeps between runs (the expected events) is cleared within
// the run: a run must free what it allocated, or libFuzzer suspects a leak and
// re-runs it under LeakSanitizer.
//
// Example:
//   static ExpectedEvents expected;
//   expected.clear();
//   expected.message(stream.first(3));         // the model: "abc" then "\n"...
//   expected.end(/*skipped_total=*/0, /*buffered=*/0);
//   expected.check(DelimitedDecoder(options), stream, Feeding{Split::kRandom, false});
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "core/codec/decode_event.h"
#include "fuzz/chunking.h"
#include "fuzz/fuzz_check.h"

namespace echo::fuzz {

template <class Decoder>
using EventOf = typename decltype(std::declval<Decoder&>().next())::value_type;

// What a decoder holds after the stream: skipped_total() and buffered().
struct DecodeEnd {
  std::uint64_t skipped_total = 0;
  std::size_t buffered = 0;
  friend bool operator==(const DecodeEnd&, const DecodeEnd&) = default;
};

// How a run feeds its stream, from three bits of the input: bits 0-1 the
// split (split_from_bits), bit 2 whether finish() follows the last byte.
struct Feeding {
  Split split = Split::kWhole;
  bool finish = false;

  static Feeding from_bits(std::uint8_t bits) { return {split_from_bits(bits), (bits & 4) != 0}; }
  [[nodiscard]] const char* describe() const {
    switch (split) {
      case Split::kWhole:
        return finish ? "whole, then finish()" : "whole";
      case Split::kByteByByte:
        return finish ? "byte by byte, then finish()" : "byte by byte";
      case Split::kRandom:
        break;
    }
    return finish ? "at random boundaries, then finish()" : "at random boundaries";
  }
};

template <class Decoder>
void check_bound(const Decoder& decoder) {
  FUZZ_CHECK(decoder.buffered() <= decoder.buffer_limit(), "buffered() %zu above the limit %zu",
             decoder.buffered(), decoder.buffer_limit());
}

// Feeds `stream` to `decoder` as `how` says, calling
// on_event(EventOf<Decoder>&&) for every event in order.
template <class Decoder, class OnEvent>
DecodeEnd decode(Decoder decoder, std::span<const std::byte> stream, Feeding how,
                 OnEvent&& on_event) {
  auto drain = [&] {
    while (std::optional<EventOf<Decoder>> event = decoder.next()) {
      on_event(std::move(*event));
      check_bound(decoder);
    }
  };
  for_each_chunk(stream, how.split, [&](std::span<const std::byte> chunk) {
    do {
      std::size_t taken = decoder.feed(chunk);
      FUZZ_CHECK(taken <= chunk.size(), "feed() took %zu of %zu bytes", taken, chunk.size());
      FUZZ_CHECK(taken > 0 || chunk.empty(), "feed() of %zu bytes took none after next() drained",
                 chunk.size());
      check_bound(decoder);
      chunk = chunk.subspan(taken);
      drain();
    } while (!chunk.empty());
  });
  if (how.finish) {
    decoder.finish();
    drain();
  }
  return {decoder.skipped_total(), decoder.buffered()};
}

// The events a model expects of a stream, for decoders of byte-vector
// messages. Error messages are for people: an error is compared by kind and
// skipped, and its message must only be non-empty. Keep one in a static: its
// list's storage is reused run after run (plain records, no message copies).
class ExpectedEvents {
 public:
  struct SameBytes {
    bool operator()(const std::vector<std::byte>& got, std::span<const std::byte> want) const {
      return got.size() == want.size() && std::equal(want.begin(), want.end(), got.begin());
    }
  };

  void clear() noexcept {
    events_.clear();
    end_ = {};
  }
  // A message of exactly these bytes (a span of the stream, valid until check()).
  void message(std::span<const std::byte> bytes) {
    events_.push_back({bytes.data(), bytes.size(), false, {}});
  }
  void error(DecodeErrorKind kind, std::size_t skipped) {
    events_.push_back({nullptr, skipped, true, kind});
  }
  void end(std::uint64_t skipped_total, std::size_t buffered) { end_ = {skipped_total, buffered}; }

  // Decodes `stream` as `how` says and compares every event as it comes; a
  // message with matches(message, the span the model gave), by default the
  // same bytes (a decoder of other messages passes how its message matches
  // the span: e.g. a probe record, its encoding).
  template <class Decoder, class Matches = SameBytes>
  void check(Decoder fresh, std::span<const std::byte> stream, Feeding how,
             Matches matches = {}) const {
    std::size_t i = 0;
    DecodeEnd end = decode(std::move(fresh), stream, how, [&](EventOf<Decoder>&& event) {
      FUZZ_CHECK(i < events_.size(), "decoding %s: more than the %zu events the model expects",
                 how.describe(), events_.size());
      compare(event, events_[i], i, how, matches);
      ++i;
    });
    FUZZ_CHECK(i == events_.size(), "decoding %s: %zu events, the model expects %zu",
               how.describe(), i, events_.size());
    FUZZ_CHECK(end == end_,
               "decoding %s: skipped_total() %llu and buffered() %zu, the model expects %llu "
               "and %zu",
               how.describe(), static_cast<unsigned long long>(end.skipped_total), end.buffered,
               static_cast<unsigned long long>(end_.skipped_total), end_.buffered);
  }

 private:
  struct Event {
    const std::byte* data = nullptr;  // a message's bytes
    std::size_t size = 0;             // a message's length, or the bytes an error skipped
    bool is_error = false;
    DecodeErrorKind kind{};
  };

  template <class DecodeEventT, class Matches>
  static void compare(const DecodeEventT& got, const Event& want, std::size_t i, Feeding how,
                      const Matches& matches) {
    if (want.is_error) {
      const auto* error = std::get_if<DecodeError>(&got);
      FUZZ_CHECK(error != nullptr && error->kind == want.kind && error->skipped == want.size,
                 "decoding %s disagrees with the model at event %zu: an error of kind %d "
                 "skipping %zu bytes expected",
                 how.describe(), i, static_cast<int>(want.kind), want.size);
      FUZZ_CHECK(!error->message.empty(), "an error without a message");
      return;
    }
    const auto* message = std::get_if<0>(&got);
    FUZZ_CHECK(message != nullptr && matches(*message, std::span(want.data, want.size)),
               "decoding %s disagrees with the model at event %zu: a message of %zu bytes in the "
               "stream expected",
               how.describe(), i, want.size);
  }

  std::vector<Event> events_;
  DecodeEnd end_;
};

}  // namespace echo::fuzz
