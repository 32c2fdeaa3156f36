#include "core/codec/delimited.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "core/codec/internal/describe.h"
#include "core/util/check.h"

namespace echo {
namespace {

constexpr std::size_t kMaxLimit = std::size_t{1} << 30;

// The decoders' error messages are formatted in place: one allocation each
// (a fuzzer meets thousands of errors a second).
std::string overflow_message(const DelimitedOptions& options) {
  std::array<char, 96> text{};
  std::snprintf(text.data(), text.size(),
                "message exceeds the %zu-byte limit without a %s delimiter", options.max_length,
                codec_internal::quoted_byte(options.delimiter).c_str());
  return text.data();
}

std::string truncated_message(const DelimitedOptions& options, std::size_t got) {
  std::array<char, 96> text{};
  std::snprintf(text.data(), text.size(),
                "input ended inside a message: %zu bytes without a %s delimiter", got,
                codec_internal::quoted_byte(options.delimiter).c_str());
  return text.data();
}

std::size_t buffer_limit_for(const DelimitedOptions& options) {
  ECHO_CHECK(options.max_length <= kMaxLimit, "DelimitedOptions::max_length above 1 GiB");
  return options.max_length + 1;
}

}  // namespace

DelimitedDecoder::DelimitedDecoder(DelimitedOptions options)
    : options_(options), buffer_(buffer_limit_for(options)) {}

std::size_t DelimitedDecoder::feed(std::span<const std::byte> data) {
  ECHO_CHECK(data.empty() || !finished_, "DelimitedDecoder::feed() after finish()");
  std::size_t taken = 0;
  if (discarding_) {
    const auto end = std::find(data.begin(), data.end(), options_.delimiter);
    taken = static_cast<std::size_t>(end - data.begin()) + (end == data.end() ? 0 : 1);
    skipped_total_ += taken;
    if (end == data.end()) return taken;
    discarding_ = false;
  }
  return taken + buffer_.append(data.subspan(taken));
}

std::optional<DecodeEvent<std::vector<std::byte>>> DelimitedDecoder::next() {
  const std::span<const std::byte> view = buffer_.view();
  const auto end = std::find(view.begin() + static_cast<std::ptrdiff_t>(scanned_), view.end(),
                             options_.delimiter);
  if (end != view.end()) {
    const auto length = static_cast<std::size_t>(end - view.begin());
    const std::span<const std::byte> message =
        view.first(length + (options_.include_delimiter ? 1 : 0));
    std::vector<std::byte> bytes(message.begin(), message.end());
    buffer_.drop(length + 1);
    scanned_ = 0;
    return bytes;
  }
  scanned_ = view.size();
  if (finished_ && !view.empty() && view.size() <= options_.max_length) {
    DecodeError error{DecodeErrorKind::kTruncated, truncated_message(options_, view.size()),
                      view.size()};
    skipped_total_ += view.size();
    buffer_.clear();
    scanned_ = 0;
    return error;
  }
  if (view.size() <= options_.max_length) return std::nullopt;
  // max_length bytes and then one more that is not the delimiter.
  DecodeError error{DecodeErrorKind::kTooLong, overflow_message(options_), view.size()};
  skipped_total_ += view.size();
  buffer_.clear();
  scanned_ = 0;
  discarding_ = true;
  return error;
}

Status encode_delimited(std::vector<std::byte>& out, std::span<const std::byte> message,
                        const DelimitedOptions& options) {
  const auto found = std::find(message.begin(), message.end(), options.delimiter);
  if (found != message.end()) {
    return Error{"message contains the " + codec_internal::quoted_byte(options.delimiter) +
                 " delimiter at offset " + std::to_string(found - message.begin()) +
                 "; expected none inside a delimited message"};
  }
  if (message.size() > options.max_length) {
    return Error{"message of " + std::to_string(message.size()) + " bytes exceeds the " +
                 std::to_string(options.max_length) + "-byte limit"};
  }
  out.insert(out.end(), message.begin(), message.end());
  out.push_back(options.delimiter);
  return {};
}

}  // namespace echo
