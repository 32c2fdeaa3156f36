// Length-prefixed messages: a length (1, 2 or 4 bytes big-endian, or an
// unsigned LEB128 varint, see varint.h) followed by that many bytes.
//
// Errors:
//   - kTooLong, "message length 5000 exceeds the 1024-byte limit": reported as
//     soon as the prefix is read, with skipped == the prefix size. The
//     decoder then discards the 5000 body bytes as they arrive, without
//     buffering them (counted in skipped_total()), and resumes after them.
//   - kBadLengthPrefix (varint only): more than 10 bytes, a value past 64 bits,
//     or a non-minimal encoding (80 00 for 0 is rejected, so every length has
//     one encoding). skipped == the prefix bytes examined. The message
//     boundary is lost, so this is final: failed() turns true and feed() then
//     discards everything (counted in skipped_total()).
//   - kTruncated, after finish() with part of a message buffered, e.g.
//     "input ended inside a message: got 5 of its 14 bytes" or
//     "input ended inside a length prefix: got 1 of 2 bytes"; skipped == the
//     bytes buffered.
//
// Example:
//   LengthPrefixedDecoder decoder({.prefix = LengthPrefix::kBe16, .max_length = 1024});
//   decoder.feed(bytes{0x00, 0x02, 'h', 'i'});  // next() == "hi"
//
//   std::vector<std::byte> wire;
//   Status status = encode_length_prefixed(wire, as_bytes("hi"), {.prefix =
//   LengthPrefix::kVarint});
//   // wire == {02, 'h', 'i'}
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/codec/decode_event.h"
#include "core/codec/internal/input_buffer.h"
#include "core/codec/varint.h"
#include "core/util/result.h"

namespace echo {

enum class LengthPrefix {
  kU8,      // 1 byte
  kBe16,    // 2 bytes, big-endian
  kBe32,    // 4 bytes, big-endian
  kVarint,  // 1 to 10 bytes, unsigned LEB128, minimal encoding only
};

struct LengthPrefixedOptions {
  LengthPrefix prefix = LengthPrefix::kBe32;
  // Longest message body. At most 1 GiB (checked).
  std::size_t max_length = 64 * 1024;
};

// The largest number of bytes the prefix can take: 1, 2, 4 or 10.
[[nodiscard]] std::size_t max_prefix_size(LengthPrefix prefix) noexcept;

class LengthPrefixedDecoder {
 public:
  explicit LengthPrefixedDecoder(LengthPrefixedOptions options = {});

  // Copies as much of `data` as the buffer limit allows (the body of an
  // oversized message and everything after a final error are taken without
  // buffering); returns how many bytes were taken.
  [[nodiscard]] std::size_t feed(std::span<const std::byte> data);
  // The next message (owning its bytes) or error; std::nullopt until more input.
  [[nodiscard]] std::optional<DecodeEvent<std::vector<std::byte>>> next();
  // No more input will come: next() reports a final partial message.
  void finish() noexcept { finished_ = true; }

  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  // max_prefix_size(prefix) + max_length.
  [[nodiscard]] std::size_t buffer_limit() const noexcept { return buffer_.limit(); }
  [[nodiscard]] std::uint64_t skipped_total() const noexcept { return skipped_total_; }
  // True after a kBadLengthPrefix error: no further messages will be decoded.
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] const LengthPrefixedOptions& options() const noexcept { return options_; }

 private:
  std::optional<DecodeEvent<std::vector<std::byte>>> fail(const VarintDecoded& prefix);
  std::optional<DecodeEvent<std::vector<std::byte>>> wait_or_truncate(const char* what,
                                                                      std::size_t expected);

  LengthPrefixedOptions options_;
  codec_internal::InputBuffer buffer_;
  std::uint64_t body_to_skip_ = 0;  // rest of an oversized message still to discard
  bool failed_ = false;
  bool finished_ = false;
  std::uint64_t skipped_total_ = 0;
};

// Appends the prefix and `message` to `out`. Fails, appending nothing, if the
// message is longer than options.max_length or than the prefix can express.
Status encode_length_prefixed(std::vector<std::byte>& out, std::span<const std::byte> message,
                              const LengthPrefixedOptions& options);

}  // namespace echo
