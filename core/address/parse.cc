// parse_port(), parse_host_port() and parse_endpoint(); the IPv4 and IPv6
// literals are in ipv4.cc and ipv6.cc.
#include "core/address/parse.h"

#include <string>
#include <string_view>

#include "core/address/internal/quote.h"

namespace echo {
namespace {

using address_internal::clipped;
using address_internal::quoted;

constexpr std::size_t kMaxNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A label that inet_aton() reads as a number ("127", "0x7f"): a name ending in
// one would be resolved as an IPv4 address, so such names are refused.
bool is_numeric_label(std::string_view label) {
  const bool hex = label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X');
  if (hex) label.remove_prefix(2);
  for (char c : label) {
    if (hex ? !is_hex_digit(c) : !is_digit(c)) return false;
  }
  return true;
}

// Why `label` is not a valid DNS label, or an empty string when it is.
std::string label_problem(std::string_view label) {
  if (label.empty()) return "empty label: expected labels of 1-63 characters between dots";
  if (label.size() > kMaxLabelLength) {
    return "label " + quoted(label) + " is " + std::to_string(label.size()) +
           " characters long: expected 1-63";
  }
  for (char c : label) {
    if (!is_letter(c) && !is_digit(c) && c != '-') {
      return "unexpected character " + quoted({&c, 1}) + ": expected letters, digits, '-' and '.'";
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return "label " + quoted(label) + " starts or ends with '-'";
  }
  return {};
}

Status check_name(std::string_view name) {
  auto fail = [&](const std::string& why) {
    return Error{quoted(name) + " is not a valid host name: " + why};
  };
  if (name.size() > kMaxNameLength) {
    return fail("it is " + std::to_string(name.size()) + " characters long: expected at most 253");
  }
  std::string_view label;
  for (std::size_t start = 0;;) {
    const std::size_t dot = name.find('.', start);
    label = name.substr(start, dot - start);
    if (auto problem = label_problem(label); !problem.empty()) return fail(problem);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (is_numeric_label(label)) {
    return fail(
        "it ends in a numeric label, which would be read as an IPv4 address: expected "
        "a dotted quad a.b.c.d or a name ending in letters");
  }
  return {};
}

// The kind of a host outside brackets: a dotted quad or a DNS name.
Result<HostKind> classify_host(std::string_view host) {
  if (host.find_first_not_of("0123456789.") == std::string_view::npos) {
    if (auto v4 = parse_ipv4(host); !v4) return v4.error();
    return HostKind::kIpv4;
  }
  if (auto status = check_name(host); !status) return status.error();
  return HostKind::kName;
}

// The port after "host:" (`port_text`), or the default port when there is no ':'.
Result<uint16_t> port_of(std::string_view text, std::optional<std::string_view> port_text,
                         std::optional<uint16_t> default_port, PortRule rule,
                         std::string_view expected) {
  if (port_text && !port_text->empty()) return parse_port(*port_text, rule);
  if (!port_text && default_port) {
    if (*default_port == 0 && rule == PortRule::kNonZero) return parse_port("0", rule);
    return *default_port;
  }
  return Error{"missing port in " + quoted(text) + ": expected " + std::string(expected)};
}

Result<HostPort> parse_bracketed(std::string_view text, std::optional<uint16_t> default_port,
                                 PortRule rule) {
  const std::size_t close = text.find(']');
  if (close == std::string_view::npos) return Error{"unterminated '[' in " + quoted(text)};
  const std::string_view inside = text.substr(1, close - 1);
  if (inside.empty()) {
    return Error{"empty host in " + quoted(text) + ": expected an IPv6 address inside [ ]"};
  }
  auto address = parse_ipv6(inside);
  if (!address) return address.error();
  std::string_view rest = text.substr(close + 1);
  std::optional<std::string_view> port_text;
  if (!rest.empty()) {
    if (rest.front() != ':') {
      return Error{"unexpected " + quoted(rest) + " after ']' in " + quoted(text) +
                   ": expected ':' and a port"};
    }
    port_text = rest.substr(1);
  }
  auto port = port_of(text, port_text, default_port, rule, "[host]:port");
  if (!port) return port.error();
  return HostPort{format_ipv6(*address), *port, HostKind::kIpv6};
}

// Text with two or more ':' and no brackets: a bare IPv6 literal.
Result<HostPort> parse_bare_ipv6(std::string_view text, std::optional<uint16_t> default_port,
                                 PortRule rule) {
  auto address = parse_ipv6(text);
  if (!address && (default_port || text.find('%') != std::string_view::npos)) {
    return address.error();
  }
  if (!address) {
    return Error{"too many ':' in " + quoted(text) +
                 ": expected host:port, or [ipv6]:port for an IPv6 address"};
  }
  if (!default_port) {
    return Error{"missing port in " + quoted(text) + ": expected [" + clipped(text) + "]:port"};
  }
  auto port = port_of(text, std::nullopt, default_port, rule, "[host]:port");
  if (!port) return port.error();
  return HostPort{format_ipv6(*address), *port, HostKind::kIpv6};
}

}  // namespace

Result<uint16_t> parse_port(std::string_view text, PortRule rule) {
  const std::string range = rule == PortRule::kZeroMeansAny ? "0-65535" : "1-65535";
  if (text.empty()) return Error{"missing port: expected a number " + range};
  for (char c : text) {
    if (!is_digit(c)) return Error{"port " + quoted(text) + " is not a number: expected " + range};
  }
  if (text.size() > 1 && text[0] == '0') {
    return Error{"port " + quoted(text) + " has a leading zero: expected " + range};
  }
  unsigned value = 0;
  for (char c : text.substr(0, 6)) value = value * 10 + static_cast<unsigned>(c - '0');
  if (text.size() > 5 || value > 65535 || (value == 0 && rule == PortRule::kNonZero)) {
    return Error{"port " + clipped(text) + " is out of range " + range};
  }
  return static_cast<uint16_t>(value);
}

Result<HostPort> parse_host_port(std::string_view text, std::optional<uint16_t> default_port,
                                 PortRule rule) {
  if (text.empty()) return Error{"empty address: expected host:port"};
  if (text.front() == '[') return parse_bracketed(text, default_port, rule);
  const std::size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
    return parse_bare_ipv6(text, default_port, rule);
  }
  const std::string_view host = text.substr(0, colon);
  if (host.empty()) return Error{"empty host in " + quoted(text) + ": expected host:port"};
  auto kind = classify_host(host);
  if (!kind) return kind.error();
  std::optional<std::string_view> port_text;
  if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
  auto port = port_of(text, port_text, default_port, rule, "host:port");
  if (!port) return port.error();
  return HostPort{std::string(host), *port, *kind};
}

Result<Endpoint> parse_endpoint(std::string_view text, std::optional<uint16_t> default_port,
                                PortRule rule) {
  auto host_port = parse_host_port(text, default_port, rule);
  if (!host_port) return host_port.error();
  switch (host_port->kind) {
    case HostKind::kIpv4:
      return Endpoint::v4(parse_ipv4(host_port->host).value(), host_port->port);
    case HostKind::kIpv6:
      return Endpoint::v6(parse_ipv6(host_port->host).value(), host_port->port);
    case HostKind::kName:
      break;
  }
  return Error{quoted(host_port->host) +
               " is a host name, not a numeric address: expected an IPv4 or IPv6 literal"};
}

}  // namespace echo
