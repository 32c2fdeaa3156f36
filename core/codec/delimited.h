// Delimiter-terminated messages, e.g. lines: each message is the bytes up to
// a delimiter byte ('\n' by default), at most max_length bytes long not
// counting the delimiter.
//
// Overflow and resync: when max_length bytes have arrived and the next byte
// is not the delimiter, next() returns a kTooLong error,
//   "message exceeds the 1024-byte limit without a '\n' delimiter",
// with skipped == max_length + 1 (the bytes dropped so far). The decoder then
// discards input up to and including the next delimiter, without buffering it,
// and resumes with the message after it. Those further bytes are counted in
// skipped_total() only.
//
// After finish(), bytes left without a delimiter are reported as kTruncated,
// "input ended inside a message: 7 bytes without a '\n' delimiter", with
// skipped == 7.
//
// Example:
//   DelimitedDecoder decoder({.delimiter = std::byte{'\n'}, .max_length = 1024});
//   decoder.feed(as_bytes("hel"));    // next() == std::nullopt
//   decoder.feed(as_bytes("lo\nx"));  // next() == "hello", then std::nullopt
//
//   std::vector<std::byte> wire;
//   Status status = encode_delimited(wire, as_bytes("hello"), {});  // wire == "hello\n"
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/codec/decode_event.h"
#include "core/codec/internal/input_buffer.h"
#include "core/util/result.h"

namespace echo {

struct DelimitedOptions {
  std::byte delimiter{'\n'};
  // Longest message, not counting the delimiter. At most 1 GiB (checked).
  std::size_t max_length = 1024;
  // Whether a decoded message ends with its delimiter.
  bool include_delimiter = false;
};

class DelimitedDecoder {
 public:
  explicit DelimitedDecoder(DelimitedOptions options = {});

  // Copies as much of `data` as the buffer limit allows (bytes discarded after
  // an overflow are taken without buffering); returns how many were taken.
  [[nodiscard]] std::size_t feed(std::span<const std::byte> data);
  // The next message (owning its bytes) or error; std::nullopt until more input.
  [[nodiscard]] std::optional<DecodeEvent<std::vector<std::byte>>> next();
  // No more input will come: next() reports a final partial message.
  void finish() noexcept { finished_ = true; }

  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  // max_length + 1: a whole message and its delimiter.
  [[nodiscard]] std::size_t buffer_limit() const noexcept { return buffer_.limit(); }
  [[nodiscard]] std::uint64_t skipped_total() const noexcept { return skipped_total_; }
  [[nodiscard]] const DelimitedOptions& options() const noexcept { return options_; }

 private:
  DelimitedOptions options_;
  codec_internal::InputBuffer buffer_;
  std::size_t scanned_ = 0;  // buffered bytes already known not to be the delimiter
  bool discarding_ = false;  // after an overflow, until the next delimiter
  bool finished_ = false;
  std::uint64_t skipped_total_ = 0;
};

// Appends `message` and the delimiter to `out`. Fails, appending nothing, if
// the message contains the delimiter or is longer than options.max_length.
Status encode_delimited(std::vector<std::byte>& out, std::span<const std::byte> message,
                        const DelimitedOptions& options);

}  // namespace echo
