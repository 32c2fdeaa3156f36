// The server under test when the fuzzer starts it itself (--spawn 'CMD {port}'):
// a free loopback port is chosen, {port} in the command replaced by it, and
// the command run by /bin/sh (as `exec CMD`, so the server is the child the
// fuzzer watches, with its output appended to a log file). It is ready once
// a TCP connect succeeds. After a crash, restart() starts it again on the
// same port, as AFLNet does for every input, so a crash becomes a finding
// with a replayable script. Killed (SIGKILL) when destroyed.
//
// Also here: whether a target still serves, for servers the fuzzer did not start.
//
// Example:
//   auto server = SpawnedServer::start("./my-echo --port {port}", {.log = "out/server.log"});
//   ... run scripts against server->endpoint() ...
//   if (!server->running()) { std::string why = server->exit_description(); server->restart(); }
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/address/endpoint.h"
#include "core/process/child_process.h"
#include "core/util/result.h"

namespace echo::conformance::explore {

struct SpawnOptions {
  std::string log = "/dev/null";  // the server's standard output and error go here (appended)
  bool wait_for_tcp = true;       // ready once a TCP connect succeeds (else after a short pause)
  std::chrono::milliseconds ready_within{5000};
};

class SpawnedServer {
 public:
  // An error names the command and what went wrong: no {port} in it, it
  // exited at once (with its status), or it did not accept within ready_within.
  [[nodiscard]] static Result<std::unique_ptr<SpawnedServer>> start(const std::string& command,
                                                                    SpawnOptions options);
  ~SpawnedServer();

  [[nodiscard]] const Endpoint& endpoint() const noexcept { return endpoint_; }
  // The process has not exited (it is reaped here if it has).
  [[nodiscard]] bool running();
  // How it ended: "killed by signal 13 (Broken pipe)", "exited with status 1".
  [[nodiscard]] std::string exit_description() const { return exit_description_; }
  // Kills it if it still runs, starts it again on the same port, waits until ready.
  [[nodiscard]] Status restart();
  [[nodiscard]] std::size_t restarts() const noexcept { return restarts_; }

 private:
  SpawnedServer(std::string command, SpawnOptions options, Endpoint endpoint);
  Status launch();

  std::string command_;  // with the port filled in
  SpawnOptions options_;
  Endpoint endpoint_;
  std::unique_ptr<ChildProcess> process_;
  std::string exit_description_;
  std::size_t restarts_ = 0;
};

// Whether something still accepts TCP connections at `target`: false when a
// connect is refused (or times out) twice in a row, `wait` apart.
[[nodiscard]] bool still_serving(const Endpoint& target,
                                 std::chrono::milliseconds wait = std::chrono::milliseconds(100));

}  // namespace echo::conformance::explore
