// Running the echo-client binary from a test: its arguments, optional
// standard input (written from a thread while its output is read, so large
// streams cannot deadlock), and everything it printed and its exit code, all
// under one deadline.
//
// Example:
//   ClientRun run = run_client({"127.0.0.1", "hello", port});
//   EXPECT_EQ(run.exit_code, 0);
//   EXPECT_EQ(run.out, "Received: hello\n");
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/process/child_process.h"
#include "core/process/run_program.h"

namespace echo::client::testing {

using ClientRun = ProgramRun;

[[nodiscard]] ClientRun run_client(const std::vector<std::string>& args,
                                   const std::optional<std::string>& input = std::nullopt,
                                   std::chrono::seconds deadline = std::chrono::seconds(60));

// The reference echo-server, started on 127.0.0.1 port 0 (TCP and UDP).
struct ReferenceServer {
  ChildProcess process;
  std::uint16_t tcp_port = 0;
  std::uint16_t udp_port = 0;
};
// An Error when echo-server cannot be started or did not announce its ports.
[[nodiscard]] Result<ReferenceServer> start_reference_server();

}  // namespace echo::client::testing
