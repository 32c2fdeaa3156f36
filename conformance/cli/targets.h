// Turning the targets a user typed into endpoints the runner can check:
// parse NAME=HOST:PORT, resolve (names go through DNS, literals never do) and,
// unless only UDP is checked, prove with a TCP connect that something listens
// there. UDP cannot be probed: it has no handshake, and silence proves nothing.
//
// Example:
//   Result<TargetSpec> spec = parse_target_spec("mine=localhost:7007");
//   Result<Target> target = prepare_target(*spec, {.probe_tcp = true});
//   // target->name == "mine", target->address == 127.0.0.1:7007 (or [::1]:7007),
//   // after a connect that reached a server
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "conformance/runner/runner.h"
#include "core/util/result.h"

namespace echo::conformance::cli {

// A target as typed: "NAME=HOST:PORT" names its report column NAME; a plain
// "HOST:PORT" is named by the address as typed.
struct TargetSpec {
  std::string typed;    // the whole argument, for messages
  std::string name;     // [A-Za-z0-9._-]+, or the address as typed
  std::string address;  // "host:port" or "[v6]:port"
};

// Splits at the first '='. An error names the argument and what is wrong:
//   "target 'my peer=127.0.0.1:7': name 'my peer' may hold only letters, digits, '.', '_', '-'"
[[nodiscard]] Result<TargetSpec> parse_target_spec(std::string_view text);

// Every target; also refuses a name used twice, and the names "reference" and
// "reference-v6", which belong to our reference server (--with-reference).
[[nodiscard]] Result<std::vector<TargetSpec>> parse_target_specs(
    const std::vector<std::string>& texts);

struct TargetOptions {
  bool probe_tcp = true;
  double timeout_scale = 1.0;  // scales the 2 s connect deadline
};

// An error names the target as typed and says what was wrong:
//   "target '127.0.0.1:70000': port 70000 is out of range 1-65535"
//   "target '127.0.0.1:9' is unreachable: cannot connect to 127.0.0.1:9: Connection refused
//    (is an echo server listening there?)"
[[nodiscard]] Result<Target> prepare_target(const TargetSpec& spec, const TargetOptions& options);

// Whether a TCP connect that ended with `error` reached a server. A server
// that accepted and at once reset or closed (ECONNRESET, ECONNABORTED, EPIPE)
// is there, and its cases will say what it does; only refused, unroutable and
// timed-out connects mean nothing listens.
[[nodiscard]] bool connect_reached_server(std::error_code error);

// The first of `addresses` where a TCP connect reaches a server (within 2 s ×
// `timeout_scale` each), or the reasons none did, joined with "; ".
[[nodiscard]] Result<Endpoint> first_reachable(const std::vector<Endpoint>& addresses,
                                               double timeout_scale);

}  // namespace echo::conformance::cli
