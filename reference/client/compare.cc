#include "reference/client/compare.h"

#include <algorithm>
#include <cstdio>

namespace echo::client {
namespace {

std::string hex(std::byte b) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", std::to_integer<unsigned>(b));
  return text;
}

}  // namespace

std::optional<std::size_t> first_difference(std::span<const std::byte> sent,
                                            std::span<const std::byte> received) {
  std::size_t common = std::min(sent.size(), received.size());
  auto [s, r] = std::mismatch(sent.begin(), sent.begin() + static_cast<std::ptrdiff_t>(common),
                              received.begin());
  auto offset = static_cast<std::size_t>(s - sent.begin());
  if (offset < common || sent.size() != received.size()) return offset;
  return std::nullopt;
}

std::string mismatch_message(std::span<const std::byte> sent, std::span<const std::byte> received,
                             std::uint64_t base) {
  std::optional<std::size_t> at = first_difference(sent, received);
  if (!at) return "echo matches";
  std::string where = "echo differs at offset " + std::to_string(base + *at) + ": ";
  if (*at < sent.size() && *at < received.size()) {
    return where + "sent " + hex(sent[*at]) + ", received " + hex(received[*at]);
  }
  if (*at == received.size()) {
    return where + "echo ended after " + std::to_string(received.size()) + " of " +
           std::to_string(sent.size()) + " bytes";
  }
  return where + "received " + std::to_string(received.size() - sent.size()) +
         " more bytes than the " + std::to_string(sent.size()) + " sent";
}

std::string mismatch_message(const EchoCheck& check) {
  std::string where = "echo differs at offset " + std::to_string(check.offset) + ": ";
  if (check.verdict == EchoCheck::kDiffers) {
    return where + "sent " + hex(check.sent) + ", received " + hex(check.received);
  }
  return where + "received " + hex(check.received) + " beyond the " + std::to_string(check.offset) +
         " bytes sent so far";
}

}  // namespace echo::client
