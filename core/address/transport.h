// Transport: TCP or UDP, the two ways an echo service is reached (RFC 862
// defines one of each). One type for the whole project: the server's
// listening lines, the client's --udp, and the checker's case catalogue.
//
// Example:
//   to_string(Transport::kUdp);          // "udp"
//   parse_transport("tcp");              // Transport::kTcp
//   parse_transport("sctp").has_value(); // false
#pragma once

#include <optional>
#include <string_view>

namespace echo {

enum class Transport { kTcp, kUdp };

// "tcp" or "udp": the spelling of listening lines, reports and `list`.
[[nodiscard]] const char* to_string(Transport transport) noexcept;

// The transport spelled "tcp" or "udp" (lower case, nothing else); nullopt otherwise.
[[nodiscard]] std::optional<Transport> parse_transport(std::string_view text) noexcept;

}  // namespace echo
