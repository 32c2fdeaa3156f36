#include "conformance/explore/testing/live_server.h"

#include <chrono>
#include <string>
#include <vector>

#include "conformance/fixtures/harness.h"
#include "core/address/parse.h"
#include "core/process/listening_line.h"

namespace echo::conformance::explore::testing {

Result<LiveServer> start_reference_server() {
  Result<ChildProcess> child =
      ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0", "--quiet"});
  if (!child) return child.error();
  Result<Listening> listening =
      wait_for_listening(*child, Deadline::after(std::chrono::seconds(10)));
  if (!listening) return listening.error();
  const Endpoint endpoint = listening->tcp.front();
  return LiveServer{std::move(*child), endpoint};
}

Result<LiveServer> start_fixture_server(std::string_view mode) {
  Result<fixtures::RunningFixture> fixture = fixtures::start_fixture(mode);
  if (!fixture) return fixture.error();
  Result<Endpoint> endpoint = parse_endpoint(fixture->target, std::nullopt, PortRule::kNonZero);
  if (!endpoint) return endpoint.error();
  return LiveServer{std::move(fixture->process), *endpoint};
}

}  // namespace echo::conformance::explore::testing
