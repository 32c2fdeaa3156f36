// StreamVerifier: checks an echoed byte stream against what was sent, chunk
// by chunk, in O(chunk) memory. It finds the exact offset of the first wrong
// byte, keeps a hex excerpt of expected vs received around it, counts bytes
// beyond the expected length, and says how the stream fell short. Sans-I/O:
// it only sees bytes, so it is also a fuzz target.
//
// Example:
//   StreamVerifier verifier = StreamVerifier::for_payload(PayloadStream(seed, 1), 64 << 20);
//   while (...) verifier.feed(received_chunk);
//   if (!verifier.ok()) outcome.evidence = verifier.describe();
//   // "first mismatch at byte 1048576 of 67108864: expected 3a 91 [07] ... received 3a 91 [00]
//   ..."
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conformance/oracle/payload.h"

namespace echo::conformance {

// The first wrong byte and the bytes around it. Both excerpts start at
// window_start (up to kBefore bytes before the mismatch) and run up to kAfter
// bytes from the mismatch; `received` may be shorter when the stream ended.
struct Mismatch {
  static constexpr std::size_t kBefore = 8;
  static constexpr std::size_t kAfter = 16;
  std::uint64_t offset = 0;
  std::uint64_t window_start = 0;
  std::vector<std::byte> expected;
  std::vector<std::byte> received;
};

class StreamVerifier {
 public:
  // Writes the expected bytes offset .. offset + into.size() - 1 into `into`.
  using ExpectedSource = std::function<void(std::uint64_t offset, std::span<std::byte> into)>;

  StreamVerifier(ExpectedSource expected, std::uint64_t expected_length);
  [[nodiscard]] static StreamVerifier for_payload(PayloadStream payload, std::uint64_t length);
  [[nodiscard]] static StreamVerifier for_bytes(std::vector<std::byte> bytes);

  // Checks the next received bytes. Returns false once the stream is known to
  // be wrong (a mismatch or an extra byte); later chunks are still counted.
  bool feed(std::span<const std::byte> chunk);

  [[nodiscard]] std::uint64_t expected_length() const noexcept { return length_; }
  // Writes the expected bytes offset .. offset + into.size() - 1 into `into`
  // (all below expected_length()), e.g. to record what was awaited.
  void expected_bytes(std::uint64_t offset, std::span<std::byte> into) const {
    expected_(offset, into);
  }
  [[nodiscard]] std::uint64_t received() const noexcept { return received_; }
  // Bytes received beyond the expected length.
  [[nodiscard]] std::uint64_t extra() const noexcept;
  // Bytes still awaited (0 once the expected length arrived).
  [[nodiscard]] std::uint64_t missing() const noexcept;
  // Bytes that arrived and matched, before any mismatch.
  [[nodiscard]] std::uint64_t verified() const noexcept;
  [[nodiscard]] const std::optional<Mismatch>& mismatch() const noexcept { return mismatch_; }
  // The first extra bytes (up to Mismatch::kAfter) when there were any.
  [[nodiscard]] const std::vector<std::byte>& extra_excerpt() const noexcept { return extra_; }

  // Longer excerpts, for the traces the findings reason about (trace.h):
  // the first bytes received, and the bytes received from the first mismatch
  // on, or past the expected length when there was no mismatch (up to kLongExcerpt each).
  static constexpr std::size_t kLongExcerpt = 256;
  [[nodiscard]] const std::vector<std::byte>& received_head() const noexcept { return head_; }
  [[nodiscard]] const std::vector<std::byte>& received_after() const noexcept { return after_; }

  // No mismatch and no extra byte so far (the stream may still be incomplete).
  [[nodiscard]] bool ok() const noexcept { return !mismatch_ && extra() == 0; }
  // ok() and every expected byte arrived.
  [[nodiscard]] bool complete() const noexcept { return ok() && missing() == 0; }

  // What is wrong, as evidence; empty when complete(). Mentions, in order, the
  // first mismatch (offset and excerpts), extra bytes, and a short stream.
  [[nodiscard]] std::string describe() const;
  // Short lines for Outcome.expected / Outcome.actual.
  [[nodiscard]] std::string expected_line() const;
  [[nodiscard]] std::string actual_line() const;

 private:
  void check_in_range(std::span<const std::byte> chunk, std::size_t in_range);
  void record_mismatch(std::uint64_t offset, std::span<const std::byte> rest);
  void collect_after_mismatch(std::span<const std::byte> chunk);
  void collect_long_excerpts(std::span<const std::byte> chunk);

  ExpectedSource expected_;
  std::uint64_t length_;
  std::uint64_t received_ = 0;
  std::optional<Mismatch> mismatch_;
  std::vector<std::byte> extra_;
  std::vector<std::byte> head_;
  std::vector<std::byte> after_;
  std::vector<std::byte> scratch_;
};

}  // namespace echo::conformance
