// Turning the targets a user typed into endpoints the runner can check:
// parse, resolve (names go through DNS, literals never do) and, unless only
// UDP is checked, prove with a TCP connect that something listens there.
// UDP cannot be probed: it has no handshake, and silence proves nothing.
//
// Example:
//   Result<Target> target = prepare_target("localhost:7007", {.probe_tcp = true});
//   // target->address == 127.0.0.1:7007 (or [::1]:7007), after a successful connect
#pragma once

#include <string>

#include "conformance/runner/runner.h"
#include "core/util/result.h"

namespace echo::conformance::cli {

struct TargetOptions {
  bool probe_tcp = true;
  double timeout_scale = 1.0;  // scales the 2 s connect deadline
};

// An error names the target as typed and says what was wrong:
//   "target '127.0.0.1:70000': port 70000 is out of range 1-65535"
//   "target '127.0.0.1:9' is unreachable: cannot connect to 127.0.0.1:9: Connection refused
//    (is an echo server listening there?)"
[[nodiscard]] Result<Target> prepare_target(const std::string& text, const TargetOptions& options);

}  // namespace echo::conformance::cli
