// InputBuffer: the decoders' private byte queue with a hard size limit. Bytes
// are appended at the back and dropped from the front; the unread bytes are
// always one contiguous span, so a decoder can parse a message in place.
//
// Example:
//   InputBuffer buffer(8);
//   buffer.append(ten_bytes);  // returns 8: the limit
//   buffer.view();             // the 8 bytes
//   buffer.drop(3);            // 5 left; the next append takes up to 3
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace echo::codec_internal {

class InputBuffer {
 public:
  explicit InputBuffer(std::size_t limit) : limit_(limit) {}

  // Appends as much of `data` as fits under the limit; returns how many bytes.
  std::size_t append(std::span<const std::byte> data);
  // The unread bytes; valid until the next append, drop or clear.
  [[nodiscard]] std::span<const std::byte> view() const noexcept;
  // Drops the first n unread bytes; n must not exceed size() (checked).
  void drop(std::size_t n);
  // Drops everything and releases the storage.
  void clear() noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return bytes_.size() - start_; }
  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }

 private:
  std::vector<std::byte> bytes_;
  std::size_t start_ = 0;  // index of the first unread byte in bytes_
  std::size_t limit_;
};

}  // namespace echo::codec_internal
