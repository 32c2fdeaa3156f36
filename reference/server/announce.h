// The one line the server prints on standard output for each bound socket, so
// tests and the conformance checker can find a port chosen by the kernel:
//
//   listening tcp 127.0.0.1:41234
//   listening udp [::1]:41234
//
// Example:
//   std::cout << format_listening_line(Transport::kTcp, bound) << std::endl;
//   auto parsed = parse_listening_line("listening udp 127.0.0.1:41234");
//   // parsed->first == "udp", parsed->second.port() == 41234
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/address/endpoint.h"

namespace echo::server {

enum class Transport { kTcp, kUdp };

[[nodiscard]] std::string_view transport_name(Transport transport) noexcept;

// "listening <tcp|udp> <endpoint>", without a newline.
[[nodiscard]] std::string format_listening_line(Transport transport, const Endpoint& bound);

// The transport name ("tcp" or "udp") and endpoint of a listening line; nullopt
// for any other line (other output, a malformed or non-numeric address).
[[nodiscard]] std::optional<std::pair<std::string, Endpoint>> parse_listening_line(
    std::string_view line);

}  // namespace echo::server
