#include "conformance/explore/testing/live_server.h"

#include <chrono>
#include <string>
#include <vector>

#include "conformance/fixtures/harness.h"
#include "core/address/parse.h"
#include "core/process/listening_line.h"

namespace echo::conformance::explore::testing {

Result<LiveServer> start_reference_server() {
  ECHO_ASSIGN_OR_RETURN(
      ChildProcess child,
      ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0", "--quiet"}));
  ECHO_ASSIGN_OR_RETURN(const Listening listening,
                        wait_for_listening(child, Deadline::after(std::chrono::seconds(10))));
  const Endpoint endpoint = listening.tcp.front();
  return LiveServer{std::move(child), endpoint};
}

Result<LiveServer> start_fixture_server(std::string_view mode) {
  ECHO_ASSIGN_OR_RETURN(fixtures::RunningFixture fixture, fixtures::start_fixture(mode));
  ECHO_ASSIGN_OR_RETURN(const Endpoint endpoint,
                        parse_endpoint(fixture.target, std::nullopt, PortRule::kNonZero));
  return LiveServer{std::move(fixture.process), endpoint};
}

}  // namespace echo::conformance::explore::testing
