// target_list_fuzzer: the checker's command-line targets ("host:port",
// "[v6]:port", "name:port") as parse_host_port reads them, with no default
// port. Input: one target as typed. Properties (a broken one aborts):
//  - never a crash, and a refusal always says why;
//  - an accepted target has a non-zero port, a host without brackets, and a
//    kind that fits the host (a literal of that family, or a DNS name that is
//    not all digits and dots);
//  - formatting it again ("host:port" or "[host]:port") and parsing that gives
//    the same HostPort; so does parse_endpoint for the numeric kinds.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/address/parse.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"

namespace {

using echo::HostKind;
using echo::HostPort;
using echo::PortRule;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.';
}

bool only_digits_and_dots(std::string_view text) {
  return text.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::string format_target(const HostPort& target) {
  std::string port = std::to_string(target.port);
  if (target.kind == HostKind::kIpv6) return "[" + target.host + "]:" + port;
  return target.host + ":" + port;
}

void check_kind(const HostPort& target) {
  const char* host = target.host.c_str();
  FUZZ_CHECK(!target.host.empty(), "an accepted target with an empty host");
  FUZZ_CHECK(target.host.find_first_of("[]") == std::string::npos, "host \"%s\" has brackets",
             host);
  switch (target.kind) {
    case HostKind::kIpv4:
      FUZZ_CHECK(echo::parse_ipv4(target.host).ok(), "kIpv4 host \"%s\" is no dotted quad", host);
      return;
    case HostKind::kIpv6:
      FUZZ_CHECK(echo::parse_ipv6(target.host).ok(), "kIpv6 host \"%s\" is no IPv6 literal", host);
      return;
    case HostKind::kName:
      for (char c : target.host) {
        FUZZ_CHECK(is_name_char(c), "name \"%s\" has a character outside [A-Za-z0-9.-]", host);
      }
      FUZZ_CHECK(!only_digits_and_dots(target.host), "\"%s\" was taken for a name", host);
      return;
  }
}

void check_endpoint(std::string_view text, const HostPort& target) {
  echo::Result<echo::Endpoint> endpoint =
      echo::parse_endpoint(text, std::nullopt, PortRule::kNonZero);
  bool numeric = target.kind != HostKind::kName;
  FUZZ_CHECK(endpoint.ok() == numeric, "parse_endpoint %s a %s host \"%s\"",
             endpoint ? "accepted" : "refused", numeric ? "numeric" : "named", target.host.c_str());
  if (!endpoint) return;
  FUZZ_CHECK(endpoint->port() == target.port, "parse_endpoint port %u, parse_host_port %u",
             endpoint->port(), target.port);
  echo::Result<echo::Endpoint> again =
      echo::parse_endpoint(endpoint->to_string(), std::nullopt, PortRule::kNonZero);
  FUZZ_CHECK(again && *again == *endpoint, "\"%s\" does not parse back to the same endpoint",
             endpoint->to_string().c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = echo::fuzz::as_text(data, size);
  echo::Result<HostPort> target = echo::parse_host_port(text, std::nullopt, PortRule::kNonZero);
  if (!target) {
    FUZZ_CHECK(!target.error().message.empty(), "a refusal without a message");
    return 0;
  }
  FUZZ_CHECK(target->port != 0, "port 0 accepted under PortRule::kNonZero");
  check_kind(*target);
  std::string formatted = format_target(*target);
  echo::Result<HostPort> again = echo::parse_host_port(formatted, std::nullopt, PortRule::kNonZero);
  FUZZ_CHECK(again && *again == *target, "\"%s\" does not parse back to the same target",
             formatted.c_str());
  check_endpoint(text, *target);
  return 0;
}
