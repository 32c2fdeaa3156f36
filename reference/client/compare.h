// Comparing an echo with what was sent, and the one-line message naming the
// first differing offset.
//
// Example:
//   first_difference(bytes("hello"), bytes("hallo"));  // 1
//   mismatch_message(bytes("hello"), bytes("hallo"));
//   // "echo differs at offset 1: sent 0x65, received 0x61"
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/util/bytes.h"
#include "reference/client/stream_window.h"

namespace echo::client {

// The first offset where the two differ (the shorter length when one is a
// prefix of the other); nullopt when they are equal.
[[nodiscard]] std::optional<std::size_t> first_difference(std::span<const std::byte> sent,
                                                          std::span<const std::byte> received);

// Names the first difference; `base` is added to offsets (the message's place in a stream).
[[nodiscard]] std::string mismatch_message(std::span<const std::byte> sent,
                                           std::span<const std::byte> received,
                                           std::uint64_t base = 0);
// The message for a failed StreamWindow check.
[[nodiscard]] std::string mismatch_message(const EchoCheck& check);

}  // namespace echo::client
