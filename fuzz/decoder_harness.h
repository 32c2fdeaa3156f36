// decode(): drives one of the core/codec decoders over a chunked stream the
// way feed_all() does, checking the decoder contract of decode_event.h at
// every step (a broken property aborts):
//  - feed() never takes more than offered, and takes at least one byte of
//    non-empty data once next() has been drained (progress);
//  - buffered() never exceeds buffer_limit().
// The result (events, skipped_total(), buffered()) must not depend on the
// chunking; the targets compare it across chunkings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "fuzz/chunking.h"
#include "fuzz/fuzz_check.h"

namespace echo::fuzz {

template <class Decoder>
using EventOf = typename decltype(std::declval<Decoder&>().next())::value_type;

template <class Decoder>
struct Decoding {
  std::vector<EventOf<Decoder>> events;
  std::uint64_t skipped_total = 0;
  std::size_t buffered = 0;
  friend bool operator==(const Decoding&, const Decoding&) = default;
};

template <class Decoder>
void check_bound(const Decoder& decoder) {
  FUZZ_CHECK(decoder.buffered() <= decoder.buffer_limit(), "buffered() %zu above the limit %zu",
             decoder.buffered(), decoder.buffer_limit());
}

template <class Decoder>
Decoding<Decoder> decode(Decoder decoder, const Chunks& chunks) {
  Decoding<Decoder> out;
  for (std::span<const std::byte> chunk : chunks) {
    do {
      std::size_t taken = decoder.feed(chunk);
      FUZZ_CHECK(taken <= chunk.size(), "feed() took %zu of %zu bytes", taken, chunk.size());
      FUZZ_CHECK(taken > 0 || chunk.empty(), "feed() of %zu bytes took none after next() drained",
                 chunk.size());
      check_bound(decoder);
      chunk = chunk.subspan(taken);
      while (std::optional<EventOf<Decoder>> event = decoder.next()) {
        out.events.push_back(std::move(*event));
        check_bound(decoder);
      }
    } while (!chunk.empty());
  }
  out.skipped_total = decoder.skipped_total();
  out.buffered = decoder.buffered();
  return out;
}

// Decodes whole, byte by byte and at random boundaries; all three must agree.
template <class Decoder>
Decoding<Decoder> decode_every_way(const Decoder& fresh, std::span<const std::byte> stream) {
  Decoding<Decoder> at_once = decode(fresh, whole(stream));
  FUZZ_CHECK(decode(fresh, random_chunks(stream)) == at_once,
             "decoding at random boundaries differs from decoding the %zu bytes at once",
             stream.size());
  FUZZ_CHECK(decode(fresh, byte_by_byte(stream)) == at_once,
             "decoding byte by byte differs from decoding the %zu bytes at once", stream.size());
  return at_once;
}

}  // namespace echo::fuzz
