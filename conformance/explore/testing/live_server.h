// Real servers for the live fuzzer's tests: the reference echo-server and the
// broken-echo-server fixtures (conformance/fixtures), started on a free
// loopback port as child processes (built next to the test in bin/), killed
// when the LiveServer goes.
//
// Example:
//   Result<LiveServer> server = start_fixture_server("nul-cut");
//   ScriptRecord r = run_script(script, {.target = server->endpoint});
#pragma once

#include <string_view>

#include "core/address/endpoint.h"
#include "core/process/child_process.h"
#include "core/util/result.h"

namespace echo::conformance::explore::testing {

struct LiveServer {
  ChildProcess process;
  Endpoint endpoint;  // TCP and UDP
};

// echo-server --listen 127.0.0.1:0 --quiet
[[nodiscard]] Result<LiveServer> start_reference_server();
// broken-echo-server --mode MODE --listen 127.0.0.1:0
[[nodiscard]] Result<LiveServer> start_fixture_server(std::string_view mode);

}  // namespace echo::conformance::explore::testing
