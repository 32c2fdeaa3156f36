#include "core/codec/probe_record.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "core/codec/big_endian.h"
#include "core/codec/crc32c.h"
#include "core/codec/internal/describe.h"
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
  for (std::size_t i = 0; i < data.size(); ++i) {
    const std::size_t n = std::min(kMagicSize, data.size() - i);
    if (std::equal(kMagicBytes.begin(), kMagicBytes.begin() + static_cast<std::ptrdiff_t>(n),
                   data.begin() + static_cast<std::ptrdiff_t>(i))) {
      return i;
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
      drop_bad(start, DecodeErrorKind::kBadMagic,
               "expected the probe magic " + codec_internal::hex32(kProbeMagic));
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
      drop_bad(1, DecodeErrorKind::kTooLong,
               "probe payload length " + std::to_string(length) + " exceeds the " +
                   std::to_string(options_.max_payload) + "-byte limit");
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
      drop_bad(1, DecodeErrorKind::kBadChecksum,
               "probe record checksum " + codec_internal::hex32(expected) +
                   " does not match the computed " + codec_internal::hex32(computed));
      continue;
    }
    const std::span<const std::byte> payload = covered.subspan(kProbeHeaderSize);
    ProbeRecord record{load_be64(view.subspan(4)), load_be64(view.subspan(12)),
                       std::vector<std::byte>(payload.begin(), payload.end())};
    buffer_.drop(probe_record_size(length));
    return record;
  }
}

void ProbeRecordDecoder::drop_bad(std::size_t n, DecodeErrorKind kind, std::string cause) {
  buffer_.drop(n);
  pending_skipped_ += n;
  skipped_total_ += n;
  if (!pending_cause_.empty()) return;
  pending_kind_ = kind;
  pending_cause_ = std::move(cause);
}

bool ProbeRecordDecoder::truncate(std::size_t expected, const char* unit) {
  if (!finished_) return false;
  drop_bad(1, DecodeErrorKind::kTruncated,
           "input ended inside a probe record: got " + std::to_string(buffer_.size()) + " of " +
               std::to_string(expected) + unit);
  return true;
}

DecodeError ProbeRecordDecoder::take_pending_error(const char* until) {
  DecodeError error{pending_kind_,
                    std::move(pending_cause_) + "; skipped " + std::to_string(pending_skipped_) +
                        (pending_skipped_ == 1 ? " byte" : " bytes") + " to " + until,
                    pending_skipped_};
  pending_cause_.clear();
  pending_skipped_ = 0;
  return error;
}

}  // namespace echo
