#include "core/codec/probe_record.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#include "core/codec/big_endian.h"
#include "core/codec/crc32c.h"
#include "core/util/check.h"

namespace echo {
namespace {

constexpr std::size_t kMaxLimit = std::size_t{1} << 30;
constexpr std::size_t kMagicSize = 4;
constexpr std::size_t kLengthOffset = 20;
constexpr std::array<std::byte, kMagicSize> kMagicBytes{
    std::byte{(kProbeMagic >> 24) & 0xFF}, std::byte{(kProbeMagic >> 16) & 0xFF},
    std::byte{(kProbeMagic >> 8) & 0xFF}, std::byte{kProbeMagic & 0xFF}};

std::size_t buffer_limit_for(const ProbeRecordOptions& options) {
  ECHO_CHECK(options.max_payload <= kMaxLimit, "ProbeRecordOptions::max_payload above 1 GiB");
  return probe_record_size(options.max_payload);
}

// The first offset where the magic starts, or where a prefix of it runs to
// the end of `data` (it may complete with more input); data.size() if none.
std::size_t find_magic(std::span<const std::byte> data) {
  if (data.empty()) return 0;
  const std::byte* const begin = data.data();
  const std::byte* const end = begin + data.size();
  // memchr finds each candidate first byte (the scan over garbage is the hot path).
  for (const std::byte* at = begin; at != end; ++at) {
    at = static_cast<const std::byte*>(
        std::memchr(at, std::to_integer<int>(kMagicBytes[0]), static_cast<std::size_t>(end - at)));
    if (at == nullptr) break;
    const auto left = static_cast<std::size_t>(end - at);
    const auto n = static_cast<std::ptrdiff_t>(std::min(kMagicSize, left));
    if (std::equal(kMagicBytes.begin(), kMagicBytes.begin() + n, at)) {
      return static_cast<std::size_t>(at - begin);
    }
  }
  return data.size();
}

}  // namespace

void encode_probe_record(std::vector<std::byte>& out, const ProbeRecord& record) {
  ECHO_CHECK(record.payload.size() <= std::numeric_limits<std::uint32_t>::max(),
             "probe payload of 4 GiB or more");
  const std::size_t start = out.size();
  out.reserve(start + probe_record_size(record.payload.size()));
  append_be32(out, kProbeMagic);
  append_be64(out, record.sequence);
  append_be64(out, record.send_time_ns);
  append_be32(out, static_cast<std::uint32_t>(record.payload.size()));
  out.insert(out.end(), record.payload.begin(), record.payload.end());
  append_be32(out, crc32c(std::span<const std::byte>(out).subspan(start)));
}

ProbeRecordDecoder::ProbeRecordDecoder(ProbeRecordOptions options)
    : options_(options), buffer_(buffer_limit_for(options)) {}

std::size_t ProbeRecordDecoder::feed(std::span<const std::byte> data) {
  ECHO_CHECK(data.empty() || !finished_, "ProbeRecordDecoder::feed() after finish()");
  return buffer_.append(data);
}

std::optional<DecodeEvent<ProbeRecord>> ProbeRecordDecoder::next() {
  for (;;) {
    const std::span<const std::byte> view = buffer_.view();
    if (const std::size_t start = find_magic(view); start > 0) {
      drop_bad(start, {.kind = DecodeErrorKind::kBadMagic});
      continue;
    }
    if (view.empty()) {
      if (finished_ && pending_skipped_ > 0) return take_pending_error("the end of the input");
      return std::nullopt;
    }
    if (view.size() < kMagicSize) {
      if (truncate(kMagicSize, " magic bytes")) continue;
      return std::nullopt;
    }
    if (pending_skipped_ > 0) return take_pending_error("the next magic");
    if (view.size() < kProbeHeaderSize) {
      if (truncate(kProbeHeaderSize, " header bytes")) continue;
      return std::nullopt;
    }

    const std::uint32_t length = load_be32(view.subspan(kLengthOffset));
    if (length > options_.max_payload) {
      drop_bad(1, {.kind = DecodeErrorKind::kTooLong, .first = length});
      continue;
    }
    if (view.size() < probe_record_size(length)) {
      if (truncate(probe_record_size(length), " bytes")) continue;
      return std::nullopt;
    }

    const std::span<const std::byte> covered = view.first(kProbeHeaderSize + length);
    const std::uint32_t expected = load_be32(view.subspan(covered.size()));
    const std::uint32_t computed = crc32c(covered);
    if (expected != computed) {
      drop_bad(1, {.kind = DecodeErrorKind::kBadChecksum, .first = expected, .second = computed});
      continue;
    }
    const std::span<const std::byte> payload = covered.subspan(kProbeHeaderSize);
    ProbeRecord record{load_be64(view.subspan(4)), load_be64(view.subspan(12)),
                       std::vector<std::byte>(payload.begin(), payload.end())};
    buffer_.drop(probe_record_size(length));
    return record;
  }
}

void ProbeRecordDecoder::drop_bad(std::size_t n, const Cause& cause) {
  buffer_.drop(n);
  if (pending_skipped_ == 0) pending_cause_ = cause;
  pending_skipped_ += n;
  skipped_total_ += n;
}

std::size_t ProbeRecordDecoder::describe(const Cause& cause, std::span<char> out) const {
  int n = 0;
  switch (cause.kind) {
    case DecodeErrorKind::kTooLong:
      n = std::snprintf(out.data(), out.size(),
                        "probe payload length %llu exceeds the %zu-byte limit",
                        static_cast<unsigned long long>(cause.first), options_.max_payload);
      break;
    case DecodeErrorKind::kBadChecksum:
      n = std::snprintf(out.data(), out.size(),
                        "probe record checksum 0x%08X does not match the computed 0x%08X",
                        static_cast<unsigned>(cause.first), static_cast<unsigned>(cause.second));
      break;
    case DecodeErrorKind::kTruncated:
      n = std::snprintf(out.data(), out.size(),
                        "input ended inside a probe record: got %llu of %llu%s",
                        static_cast<unsigned long long>(cause.first),
                        static_cast<unsigned long long>(cause.second), cause.unit);
      break;
    case DecodeErrorKind::kBadMagic:
    case DecodeErrorKind::kBadLengthPrefix:  // not a probe-record error
      n = std::snprintf(out.data(), out.size(), "expected the probe magic 0x%08X",
                        static_cast<unsigned>(kProbeMagic));
      break;
  }
  return std::min(static_cast<std::size_t>(std::max(n, 0)), out.size() - 1);
}

bool ProbeRecordDecoder::truncate(std::size_t expected, const char* unit) {
  if (!finished_) return false;
  drop_bad(1, {.kind = DecodeErrorKind::kTruncated,
               .first = buffer_.size(),
               .second = expected,
               .unit = unit});
  return true;
}

DecodeError ProbeRecordDecoder::take_pending_error(const char* until) {
  // Formatted in place (one allocation per error: the fuzzer meets thousands a second).
  std::array<char, 256> text{};
  const std::size_t n = describe(pending_cause_, text);
  std::snprintf(text.data() + n, text.size() - n, "; skipped %zu %s to %s", pending_skipped_,
                pending_skipped_ == 1 ? "byte" : "bytes", until);
  DecodeError error{pending_cause_.kind, text.data(), pending_skipped_};
  pending_skipped_ = 0;
  return error;
}

}  // namespace echo
