// The server `fuzz` and `replay` talk to, from what the user typed: a
// [NAME=]HOST:PORT resolved and (unless only UDP is used) proven reachable by
// a TCP connect, as `check` does (targets.h); and whether UDP is served there
// at all, so that a TCP-only server is not fuzzed with datagrams that can
// only be refused.
//
// Example:
//   Result<LiveTarget> t = prepare_live_target("mine=127.0.0.1:7007", true, 1.0);
//   if (udp_service(t->address) == UdpService::kRefused) ...;  // ICMP port unreachable
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "conformance/cli/reference_server.h"
#include "core/address/endpoint.h"
#include "core/util/result.h"

namespace echo::conformance::cli {

struct LiveTarget {
  std::string name;  // NAME, or HOST:PORT as typed
  Endpoint address;
};

// An error names the target as typed and what was wrong (targets.h's messages).
[[nodiscard]] Result<LiveTarget> prepare_live_target(const std::string& typed, bool probe_tcp,
                                                     double timeout_scale);

// What a differential run compares with: the server --reference names, or
// the built-in reference server started for the run (--differential), which
// stops when this is destroyed; no address when neither was asked for.
struct ComparedReference {
  std::optional<ReferenceServer> started;
  std::optional<Endpoint> address;
};

// An error starts with "--reference: " when that target was at fault.
[[nodiscard]] Result<ComparedReference> prepare_reference(const std::string& typed,
                                                          bool differential, bool probe_tcp,
                                                          double timeout_scale);

enum class UdpService {
  kAnswered,  // a probe datagram came back
  kRefused,   // ICMP port unreachable: nothing listens for UDP there
  kSilent,    // neither within the wait (silence may be the server's defect)
};

// Sends one datagram from a connected socket and waits up to `wait` for its echo or an ICMP error.
[[nodiscard]] UdpService udp_service(
    const Endpoint& address, std::chrono::milliseconds wait = std::chrono::milliseconds(500));

}  // namespace echo::conformance::cli
