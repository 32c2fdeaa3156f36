// The reference echo server, started for a run on loopback only: the
// sibling program echo-server with --listen 127.0.0.1:0 (and [::1]:0 when the
// host has IPv6 loopback). Its "listening tcp|udp ADDRESS" lines
// (core/process/listening_line.h) say which ports the kernel chose. Stopped
// (SIGTERM, then SIGKILL) when destroyed, and killed if the checker itself
// gets SIGINT or SIGTERM (Ctrl-C mid-run). Its standard error (log lines, the
// counters line it prints when stopped) is piped and drained, never shown: the
// checker's output is the report alone. Only when the server does not start
// does the error quote it: its last line on standard error, what it printed on
// standard output, and its exit status.
//
// The checker runs echo-server as a program; it links none of its code.
//
// Example:
//   Result<ReferenceServer> server = ReferenceServer::start({.ipv6 = true});
//   for (const Target& target : server->targets()) ...;  // "reference", "reference-v6"
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conformance/runner/runner.h"
#include "core/process/child_process.h"
#include "core/util/result.h"

namespace echo::conformance::cli {

struct ReferenceOptions {
  bool ipv6 = false;  // also listen on [::1]:0, as target "reference-v6", when the host can
  double timeout_scale = 1.0;  // scales the 5 s allowed for the announcements
};

// Whether a TCP socket can be bound on [::1] here (containers often lack IPv6).
[[nodiscard]] bool ipv6_loopback_works();

class ReferenceServer {
 public:
  [[nodiscard]] static Result<ReferenceServer> start(const ReferenceOptions& options);
  ReferenceServer(ReferenceServer&&) noexcept = default;
  ReferenceServer& operator=(ReferenceServer&&) noexcept = delete;
  ~ReferenceServer();

  // "reference" (marked is_reference) on IPv4, and "reference-v6" when started with IPv6.
  [[nodiscard]] const std::vector<Target>& targets() const noexcept { return targets_; }
  [[nodiscard]] pid_t pid() const noexcept { return shared_ ? shared_->process.pid() : -1; }

 private:
  // What the drain thread shares with the server object; kept on the heap so
  // a moved ReferenceServer stays valid for the thread.
  struct Shared {
    explicit Shared(ChildProcess child) : process(std::move(child)) {}
    ChildProcess process;
    std::atomic<bool> stopping{false};
    std::atomic<bool> exited{false};  // reaped: its standard error can have no more
  };
  ReferenceServer(std::unique_ptr<Shared> shared, std::vector<Target> targets);
  void start_drain();

  std::unique_ptr<Shared> shared_;
  std::vector<Target> targets_;
  std::thread drain_;         // reads and drops the server's later standard output
  std::thread drain_stderr_;  // reads and drops its standard error until it exits
};

}  // namespace echo::conformance::cli
