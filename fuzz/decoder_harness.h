// decode(): drives one of the core/codec decoders over a chunked stream the
// way feed_all() does, checking the decoder contract of decode_event.h at
// every step (a broken property aborts):
//  - feed() never takes more than offered, and takes at least one byte of
//    non-empty data once next() has been drained (progress);
//  - buffered() never exceeds buffer_limit().
// The result (events, skipped_total(), buffered()) must not depend on the
// chunking: decode_every_way() decodes whole, at random boundaries and byte by
// byte and compares each event with the first decoding's as it comes.
// MessageModel compares a decoding with the events a naive model of the format
// expects, message bytes given as spans of the stream, so a model allocates
// nothing.
//
// A target keeps its Decoding in a static so the event list's storage is
// reused, and clears it before returning: a run must free what it allocated,
// or libFuzzer suspects a leak and re-runs it under LeakSanitizer.
//
// Example:
//   static Decoding<DelimitedDecoder> decoded;
//   decode_every_way(DelimitedDecoder(options), stream, decoded);
//   MessageModel check(decoded);
//   check.message(stream.first(3));
//   check.end(/*skipped_total=*/0, /*buffered=*/0);
//   decoded.events.clear();
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

template <class Decoder>
struct Decoding {
  std::vector<EventOf<Decoder>> events;
  DecodeEnd end;
};

template <class Decoder>
void check_bound(const Decoder& decoder) {
  FUZZ_CHECK(decoder.buffered() <= decoder.buffer_limit(), "buffered() %zu above the limit %zu",
             decoder.buffered(), decoder.buffer_limit());
}

// Feeds `stream` to `decoder` cut as `split` says, calling
// on_event(EventOf<Decoder>&&) for every event in order.
template <class Decoder, class OnEvent>
DecodeEnd decode(Decoder decoder, std::span<const std::byte> stream, Split split,
                 OnEvent&& on_event) {
  for_each_chunk(stream, split, [&](std::span<const std::byte> chunk) {
    do {
      std::size_t taken = decoder.feed(chunk);
      FUZZ_CHECK(taken <= chunk.size(), "feed() took %zu of %zu bytes", taken, chunk.size());
      FUZZ_CHECK(taken > 0 || chunk.empty(), "feed() of %zu bytes took none after next() drained",
                 chunk.size());
      check_bound(decoder);
      chunk = chunk.subspan(taken);
      while (std::optional<EventOf<Decoder>> event = decoder.next()) {
        on_event(std::move(*event));
        check_bound(decoder);
      }
    } while (!chunk.empty());
  });
  return {decoder.skipped_total(), decoder.buffered()};
}

// Decodes whole into `out` (its vector's storage is reused), then at random
// boundaries and byte by byte; all three must agree event for event.
template <class Decoder>
void decode_every_way(const Decoder& fresh, std::span<const std::byte> stream,
                      Decoding<Decoder>& out) {
  out.events.clear();
  out.end = decode(fresh, stream, Split::kWhole,
                   [&](EventOf<Decoder>&& event) { out.events.push_back(std::move(event)); });
  for (Split split : {Split::kRandom, Split::kByteByByte}) {
    const char* how = split == Split::kRandom ? "at random boundaries" : "byte by byte";
    std::size_t i = 0;
    DecodeEnd end = decode(fresh, stream, split, [&](EventOf<Decoder>&& event) {
      FUZZ_CHECK(i < out.events.size() && event == out.events[i],
                 "decoding %s differs from decoding the %zu bytes at once at event %zu", how,
                 stream.size(), i);
      ++i;
    });
    FUZZ_CHECK(i == out.events.size() && end == out.end,
               "decoding %s differs from decoding the %zu bytes at once: %zu events of %zu, "
               "skipped %llu, buffered %zu",
               how, stream.size(), i, out.events.size(),
               static_cast<unsigned long long>(end.skipped_total), end.buffered);
  }
}

// Checks a decoding of byte-vector messages against a model that reports the
// events it expects in order. Error messages are for people: an error is
// compared by kind and skipped, and its message must only be non-empty.
template <class Decoder>
class MessageModel {
 public:
  explicit MessageModel(const Decoding<Decoder>& decoded) : decoded_(decoded) {}

  // A message of exactly these bytes.
  void message(std::span<const std::byte> bytes) {
    const auto* got = std::get_if<0>(next_event());
    FUZZ_CHECK(got != nullptr && got->size() == bytes.size() &&
                   std::equal(bytes.begin(), bytes.end(), got->begin()),
               "the decoder disagrees with the model at event %zu: a %zu-byte message expected",
               index_ - 1, bytes.size());
  }

  void error(DecodeErrorKind kind, std::size_t skipped) {
    const auto* got = std::get_if<DecodeError>(next_event());
    FUZZ_CHECK(got != nullptr && got->kind == kind && got->skipped == skipped,
               "the decoder disagrees with the model at event %zu: an error of kind %d skipping "
               "%zu bytes expected",
               index_ - 1, static_cast<int>(kind), skipped);
    FUZZ_CHECK(!got->message.empty(), "an error without a message");
  }

  void end(std::uint64_t skipped_total, std::size_t buffered) {
    FUZZ_CHECK(index_ == decoded_.events.size(),
               "the decoder gave %zu events, the model expects %zu", decoded_.events.size(),
               index_);
    FUZZ_CHECK(decoded_.end == (DecodeEnd{skipped_total, buffered}),
               "skipped_total() %llu and buffered() %zu, the model expects %llu and %zu",
               static_cast<unsigned long long>(decoded_.end.skipped_total), decoded_.end.buffered,
               static_cast<unsigned long long>(skipped_total), buffered);
  }

 private:
  const EventOf<Decoder>* next_event() {
    FUZZ_CHECK(index_ < decoded_.events.size(), "the model expects more than the %zu events",
               decoded_.events.size());
    return &decoded_.events[index_++];
  }

  const Decoding<Decoder>& decoded_;
  std::size_t index_ = 0;
};

}  // namespace echo::fuzz
