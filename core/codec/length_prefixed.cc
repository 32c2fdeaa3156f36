#include "core/codec/length_prefixed.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <string>

#include "core/codec/big_endian.h"
#include "core/util/check.h"

namespace echo {
namespace {

constexpr std::size_t kMaxLimit = std::size_t{1} << 30;

std::size_t buffer_limit_for(const LengthPrefixedOptions& options) {
  ECHO_CHECK(options.max_length <= kMaxLimit, "LengthPrefixedOptions::max_length above 1 GiB");
  return max_prefix_size(options.prefix) + options.max_length;
}

// The largest length the prefix can express.
std::uint64_t prefix_capacity(LengthPrefix prefix) {
  switch (prefix) {
    case LengthPrefix::kU8:
      return std::numeric_limits<std::uint8_t>::max();
    case LengthPrefix::kBe16:
      return std::numeric_limits<std::uint16_t>::max();
    case LengthPrefix::kBe32:
      return std::numeric_limits<std::uint32_t>::max();
    case LengthPrefix::kVarint:
      break;
  }
  return std::numeric_limits<std::uint64_t>::max();
}

std::string bad_varint_message(const VarintDecoded& prefix) {
  switch (prefix.status) {
    case VarintStatus::kTooLong:
      return "varint length prefix is longer than 10 bytes; expected at most 10";
    case VarintStatus::kOverflow:
      return "varint length prefix exceeds 64 bits; expected a 10th byte of 0x00 or 0x01";
    case VarintStatus::kNonMinimal:
      return "varint length prefix " + std::to_string(prefix.value) + " is encoded in " +
             std::to_string(prefix.size) + " bytes; expected the minimal " +
             std::to_string(varint_size(prefix.value));
    case VarintStatus::kOk:
    case VarintStatus::kIncomplete:
      break;
  }
  return "varint length prefix is malformed";
}

}  // namespace

std::size_t max_prefix_size(LengthPrefix prefix) noexcept {
  switch (prefix) {
    case LengthPrefix::kU8:
      return 1;
    case LengthPrefix::kBe16:
      return 2;
    case LengthPrefix::kBe32:
      return 4;
    case LengthPrefix::kVarint:
      break;
  }
  return kMaxVarintSize;
}

LengthPrefixedDecoder::LengthPrefixedDecoder(LengthPrefixedOptions options)
    : options_(options), buffer_(buffer_limit_for(options)) {}

std::size_t LengthPrefixedDecoder::feed(std::span<const std::byte> data) {
  ECHO_CHECK(data.empty() || !finished_, "LengthPrefixedDecoder::feed() after finish()");
  if (failed_) {
    skipped_total_ += data.size();
    return data.size();
  }
  const auto skip = static_cast<std::size_t>(std::min<std::uint64_t>(body_to_skip_, data.size()));
  body_to_skip_ -= skip;
  skipped_total_ += skip;
  if (body_to_skip_ > 0) return skip;
  return skip + buffer_.append(data.subspan(skip));
}

std::optional<DecodeEvent<std::vector<std::byte>>> LengthPrefixedDecoder::next() {
  if (failed_) return std::nullopt;
  const std::span<const std::byte> view = buffer_.view();
  std::uint64_t length = 0;
  std::size_t prefix_size = max_prefix_size(options_.prefix);
  if (options_.prefix == LengthPrefix::kVarint) {
    const VarintDecoded prefix = decode_varint(view);
    if (prefix.status == VarintStatus::kIncomplete) return wait_or_truncate("a length prefix", 0);
    if (prefix.status != VarintStatus::kOk) return fail(prefix);
    length = prefix.value;
    prefix_size = prefix.size;
  } else {
    if (view.size() < prefix_size) return wait_or_truncate("a length prefix", prefix_size);
    if (prefix_size == 1) length = std::to_integer<std::uint8_t>(view[0]);
    if (prefix_size == 2) length = load_be16(view);
    if (prefix_size == 4) length = load_be32(view);
  }

  if (length > options_.max_length) {
    std::array<char, 96> text{};  // formatted in place: one allocation per error
    std::snprintf(text.data(), text.size(), "message length %llu exceeds the %zu-byte limit",
                  static_cast<unsigned long long>(length), options_.max_length);
    DecodeError error{DecodeErrorKind::kTooLong, text.data(), prefix_size};
    const auto body_here =
        static_cast<std::size_t>(std::min<std::uint64_t>(length, view.size() - prefix_size));
    buffer_.drop(prefix_size + body_here);
    skipped_total_ += prefix_size + body_here;
    body_to_skip_ = length - body_here;
    return error;
  }
  if (view.size() - prefix_size < length) {
    return wait_or_truncate("a message", prefix_size + static_cast<std::size_t>(length));
  }
  const std::span<const std::byte> body = view.subspan(prefix_size, length);
  std::vector<std::byte> message(body.begin(), body.end());
  buffer_.drop(prefix_size + body.size());
  return message;
}

std::optional<DecodeEvent<std::vector<std::byte>>> LengthPrefixedDecoder::fail(
    const VarintDecoded& prefix) {
  DecodeError error{DecodeErrorKind::kBadLengthPrefix, bad_varint_message(prefix), prefix.size};
  skipped_total_ += buffer_.size();
  buffer_.clear();
  failed_ = true;
  return error;
}

std::optional<DecodeEvent<std::vector<std::byte>>> LengthPrefixedDecoder::wait_or_truncate(
    const char* what, std::size_t expected) {
  const std::size_t got = buffer_.size();
  if (!finished_ || got == 0) return std::nullopt;
  std::array<char, 96> text{};
  if (expected > 0) {
    std::snprintf(text.data(), text.size(), "input ended inside %s: got %zu of its %zu bytes", what,
                  got, expected);
  } else {
    std::snprintf(text.data(), text.size(), "input ended inside %s: got %zu bytes", what, got);
  }
  DecodeError error{DecodeErrorKind::kTruncated, text.data(), got};
  skipped_total_ += got;
  buffer_.clear();
  return error;
}

Status encode_length_prefixed(std::vector<std::byte>& out, std::span<const std::byte> message,
                              const LengthPrefixedOptions& options) {
  const std::uint64_t limit =
      std::min<std::uint64_t>(options.max_length, prefix_capacity(options.prefix));
  if (message.size() > limit) {
    return Error{"message of " + std::to_string(message.size()) + " bytes exceeds the " +
                 std::to_string(limit) + "-byte limit of this length prefix"};
  }
  switch (options.prefix) {
    case LengthPrefix::kU8:
      append_be8(out, static_cast<std::uint8_t>(message.size()));
      break;
    case LengthPrefix::kBe16:
      append_be16(out, static_cast<std::uint16_t>(message.size()));
      break;
    case LengthPrefix::kBe32:
      append_be32(out, static_cast<std::uint32_t>(message.size()));
      break;
    case LengthPrefix::kVarint:
      encode_varint(out, message.size());
      break;
  }
  out.insert(out.end(), message.begin(), message.end());
  return {};
}

}  // namespace echo
