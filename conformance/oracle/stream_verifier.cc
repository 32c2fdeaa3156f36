#include "conformance/oracle/stream_verifier.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

constexpr std::size_t kScratch = 16 * 1024;

std::string bytes_count(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

}  // namespace

StreamVerifier::StreamVerifier(ExpectedSource expected, std::uint64_t expected_length)
    : expected_(std::move(expected)), length_(expected_length), scratch_(kScratch) {}

StreamVerifier StreamVerifier::for_payload(PayloadStream payload, std::uint64_t length) {
  return StreamVerifier(
      [payload](std::uint64_t offset, std::span<std::byte> into) { payload.fill(offset, into); },
      length);
}

StreamVerifier StreamVerifier::for_bytes(std::vector<std::byte> bytes) {
  const std::uint64_t length = bytes.size();
  return StreamVerifier(
      [bytes = std::move(bytes)](std::uint64_t offset, std::span<std::byte> into) {
        std::memcpy(into.data(), bytes.data() + offset, into.size());
      },
      length);
}

std::uint64_t StreamVerifier::extra() const noexcept {
  return received_ > length_ ? received_ - length_ : 0;
}

std::uint64_t StreamVerifier::missing() const noexcept {
  return received_ < length_ ? length_ - received_ : 0;
}

std::uint64_t StreamVerifier::verified() const noexcept {
  const std::uint64_t in_range = std::min(received_, length_);
  return mismatch_ ? mismatch_->offset : in_range;
}

bool StreamVerifier::feed(std::span<const std::byte> chunk) {
  collect_long_excerpts(chunk);
  collect_after_mismatch(chunk);
  const std::uint64_t in_range =
      received_ < length_ ? std::min<std::uint64_t>(chunk.size(), length_ - received_) : 0;
  if (!mismatch_) check_in_range(chunk, static_cast<std::size_t>(in_range));
  const auto beyond = chunk.subspan(in_range);
  const std::size_t keep = std::min(beyond.size(), Mismatch::kAfter - extra_.size());
  extra_.insert(extra_.end(), beyond.begin(), beyond.begin() + static_cast<std::ptrdiff_t>(keep));
  received_ += chunk.size();
  return ok();
}

// Compares the first `in_range` bytes of chunk (which starts at offset
// received_) with the expected bytes, a scratch block at a time. The received
// excerpt of a mismatch may run on into bytes beyond the expected length.
void StreamVerifier::check_in_range(std::span<const std::byte> chunk, std::size_t in_range) {
  for (std::size_t done = 0; done < in_range;) {
    const std::size_t n = std::min(scratch_.size(), in_range - done);
    const std::span<std::byte> want(scratch_.data(), n);
    expected_(received_ + done, want);
    if (std::memcmp(want.data(), chunk.data() + done, n) != 0) {
      const auto at = static_cast<std::size_t>(
          std::mismatch(want.begin(), want.end(), chunk.begin() + static_cast<std::ptrdiff_t>(done))
              .first -
          want.begin());
      record_mismatch(received_ + done + at, chunk.subspan(done + at));
      return;
    }
    done += n;
  }
}

void StreamVerifier::record_mismatch(std::uint64_t offset, std::span<const std::byte> rest) {
  // Bytes past the expected length in this chunk were collected as extra; the
  // long excerpt starts at the mismatch instead.
  after_.assign(rest.begin(),
                rest.begin() + static_cast<std::ptrdiff_t>(std::min(rest.size(), kLongExcerpt)));
  Mismatch m;
  m.offset = offset;
  m.window_start = offset - std::min<std::uint64_t>(offset, Mismatch::kBefore);
  const std::uint64_t window_end = std::min(length_, offset + Mismatch::kAfter);
  m.expected.resize(static_cast<std::size_t>(window_end - m.window_start));
  expected_(m.window_start, m.expected);
  // Bytes before the mismatch matched, so the received excerpt starts as the expected one.
  m.received.assign(m.expected.begin(),
                    m.expected.begin() + static_cast<std::ptrdiff_t>(offset - m.window_start));
  const std::size_t take = std::min(rest.size(), Mismatch::kAfter);
  m.received.insert(m.received.end(), rest.begin(),
                    rest.begin() + static_cast<std::ptrdiff_t>(take));
  mismatch_ = std::move(m);
}

// After a mismatch, keeps filling the received excerpt from later chunks.
void StreamVerifier::collect_after_mismatch(std::span<const std::byte> chunk) {
  if (!mismatch_) return;
  const std::size_t have = mismatch_->received.size() -
                           static_cast<std::size_t>(mismatch_->offset - mismatch_->window_start);
  const std::size_t take = std::min(chunk.size(), Mismatch::kAfter - have);
  mismatch_->received.insert(mismatch_->received.end(), chunk.begin(),
                             chunk.begin() + static_cast<std::ptrdiff_t>(take));
}

// The head, and what arrives from the first wrong or extra byte on. Called
// before the chunk is checked: a mismatch found in this chunk is collected
// from the chunk by record_mismatch().
void StreamVerifier::collect_long_excerpts(std::span<const std::byte> chunk) {
  if (head_.size() < kLongExcerpt) {
    const std::size_t take = std::min(chunk.size(), kLongExcerpt - head_.size());
    head_.insert(head_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
  }
  if (!mismatch_ && received_ + chunk.size() <= length_) return;
  std::span<const std::byte> rest = chunk;
  if (!mismatch_ && received_ < length_) rest = chunk.subspan(length_ - received_);
  const std::size_t take = std::min(rest.size(), kLongExcerpt - after_.size());
  after_.insert(after_.end(), rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(take));
}

std::string StreamVerifier::describe() const {
  std::string out;
  auto sentence = [&out](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (mismatch_) {
    const auto mark = static_cast<std::size_t>(mismatch_->offset - mismatch_->window_start);
    sentence("first mismatch at byte " + std::to_string(mismatch_->offset) + " of " +
             std::to_string(length_) + " (excerpts from byte " +
             std::to_string(mismatch_->window_start) + "): expected " +
             hex_excerpt(mismatch_->expected, mark) + " received " +
             hex_excerpt(mismatch_->received, mark));
  }
  if (extra() > 0) {
    sentence(bytes_count(extra()) + " beyond the " + std::to_string(length_) +
             " expected, starting " + hex_excerpt(extra_) + " " + quoted_text(extra_));
  }
  if (missing() > 0) {
    sentence("received " + std::to_string(received_) + " of " + bytes_count(length_));
  }
  return out;
}

std::string StreamVerifier::expected_line() const {
  return "the " + bytes_count(length_) + " sent, unchanged";
}

std::string StreamVerifier::actual_line() const {
  if (mismatch_) return "byte " + std::to_string(mismatch_->offset) + " differs";
  if (extra() > 0) return bytes_count(received_) + " (" + std::to_string(extra()) + " extra)";
  if (missing() > 0) return "only " + bytes_count(received_);
  return "the " + bytes_count(length_) + " sent, unchanged";
}

}  // namespace echo::conformance
