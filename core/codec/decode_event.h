// What the incremental decoders (DelimitedDecoder, LengthPrefixedDecoder,
// ProbeRecordDecoder) produce, and feed_all(), the loop that drives one.
//
// Every decoder has the same shape:
//   std::size_t feed(std::span<const std::byte> data);  // copies what fits, returns how much
//   std::optional<DecodeEvent<T>> next();               // a message, an error, or nothing yet
//   void finish();                                      // the input has ended
//   std::size_t buffered() const;                       // never above buffer_limit()
//   std::uint64_t skipped_total() const;                // every input byte discarded so far
// feed() copies at most buffer_limit() - buffered() bytes, so memory stays
// bounded however much arrives; the caller offers the rest again after
// draining next(). Whenever next() returns std::nullopt, the following feed()
// of non-empty data takes at least one byte, so the loop in feed_all() always
// makes progress. Input may be split at any byte boundary: the sequence of
// events is the same however the stream is chunked. finish() declares the end
// of the input (the peer closed): next() then reports an incomplete message
// at the end as kTruncated instead of waiting for more; feed() must not be
// called with more bytes afterwards (checked: aborts).
//
// Example:
//   DelimitedDecoder decoder;
//   feed_all(decoder, received, [&](DecodeEvent<std::vector<std::byte>> event) {
//     if (auto* message = std::get_if<0>(&event)) handle(*message);
//     else log(std::get<DecodeError>(event).message);
//   });
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <variant>

namespace echo {

enum class DecodeErrorKind {
  kTooLong,          // a message or payload is longer than the configured maximum
  kBadLengthPrefix,  // a varint length prefix is too long, overflows, or is not minimal
  kBadMagic,         // bytes that do not begin with the probe record magic
  kBadChecksum,      // a probe record whose CRC-32C does not match its contents
  kTruncated,        // the input ended (finish()) inside a message
};

// Bad input: one line naming what was wrong and what was expected, and how
// many input bytes were discarded when it was reported (each decoder's header
// says exactly which bytes that counts).
struct DecodeError {
  DecodeErrorKind kind = DecodeErrorKind::kTooLong;
  std::string message;
  std::size_t skipped = 0;

  friend bool operator==(const DecodeError&, const DecodeError&) = default;
};

// A complete message (index 0) or an error (index 1).
template <class Message>
using DecodeEvent = std::variant<Message, DecodeError>;

// Feeds all of `data` to `decoder`, calling on_event(DecodeEvent<...>&&) for
// every event that becomes available, in order.
template <class Decoder, class OnEvent>
void feed_all(Decoder& decoder, std::span<const std::byte> data, OnEvent&& on_event) {
  for (;;) {
    data = data.subspan(decoder.feed(data));
    while (auto event = decoder.next()) on_event(std::move(*event));
    if (data.empty()) return;
  }
}

}  // namespace echo
