#include "reference/client/client_run.h"

#include "core/process/listening_line.h"

namespace echo::client::testing {

ClientRun run_client(const std::vector<std::string>& args, const std::optional<std::string>& input,
                     std::chrono::seconds deadline) {
  return run_program(sibling_program("echo-client"), args, Deadline::after(deadline), input);
}

Result<ReferenceServer> start_reference_server() {
  ECHO_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::spawn(sibling_program("echo-server"),
                                                                {"--listen", "127.0.0.1:0"}));
  ReferenceServer reference{std::move(child)};
  ECHO_ASSIGN_OR_RETURN(
      Listening listening,
      wait_for_listening(reference.process, Deadline::after(std::chrono::seconds(10))));
  reference.tcp_port = listening.tcp.front().port();
  reference.udp_port = listening.udp.front().port();
  return reference;
}

}  // namespace echo::client::testing
