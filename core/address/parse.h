// Parsing of addresses and ports as people type them, apart from name
// resolution (see core/net/resolve.h). Parsers never throw: bad input gives an
// Error whose message names what was wrong and what was expected.
//
// Example:
//   auto hp = parse_host_port("[::1]:7007", std::nullopt, PortRule::kNonZero);
//   // hp->host == "::1", hp->port == 7007, hp->kind == HostKind::kIpv6
//   parse_port("70000", PortRule::kNonZero).error().message;
//   // "port 70000 is out of range 1-65535"
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/address/endpoint.h"
#include "core/util/result.h"

namespace echo {

// Whether port 0 is allowed: it is only where "any free port" is meant (a listen address).
enum class PortRule { kNonZero, kZeroMeansAny };

// What kind of host a HostPort names.
enum class HostKind { kIpv4, kIpv6, kName };

struct HostPort {
  std::string host;  // without brackets
  uint16_t port = 0;
  HostKind kind = HostKind::kName;
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// A decimal port: digits only, no sign, no leading zeros, 1-65535 (0 too under kZeroMeansAny).
[[nodiscard]] Result<uint16_t> parse_port(std::string_view text, PortRule rule);

// A strict dotted quad: exactly four decimal parts 0-255, no leading zeros, no
// hex or octal forms, nothing else ("1.2.3", "256.1.1.1", "0x7f.1" are refused).
[[nodiscard]] Result<in_addr> parse_ipv4(std::string_view text);

// An IPv6 literal in any RFC 4291 text form (with "::" and a trailing dotted
// quad). Zone ids ("fe80::1%eth0") are refused with a message saying so.
[[nodiscard]] Result<in6_addr> parse_ipv6(std::string_view text);

// "host:port", "[ipv6]:port", or a bare host (then default_port is used; without
// one the port is required). A host is an IPv4 or IPv6 literal or a DNS name
// (letters, digits, '-', '.'); a host made only of digits and dots must be a
// valid dotted quad, and a name may not end in a numeric label ("0x7f.1",
// "example.123"), which resolvers read as IPv4. A bare IPv6 literal without
// brackets is accepted when default_port is given ("::1"). IPv6 hosts come
// back in canonical form (format_ipv6), other hosts as typed.
[[nodiscard]] Result<HostPort> parse_host_port(std::string_view text,
                                               std::optional<uint16_t> default_port, PortRule rule);

// parse_host_port() whose host must be a numeric literal; no resolution.
[[nodiscard]] Result<Endpoint> parse_endpoint(std::string_view text,
                                              std::optional<uint16_t> default_port, PortRule rule);

// Canonical text forms: dotted quad; RFC 5952 for IPv6 (lower case, longest
// run of zero groups as "::", embedded IPv4 for ::ffff:a.b.c.d).
[[nodiscard]] std::string format_ipv4(in_addr address);
[[nodiscard]] std::string format_ipv6(const in6_addr& address);

}  // namespace echo
