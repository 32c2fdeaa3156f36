#include "conformance/explore/spawned_server.h"

#include <signal.h>

#include <cstring>
#include <thread>

#include "core/net/socket.h"

namespace echo::conformance::explore {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kPort = "{port}";

// A loopback port free for both TCP and UDP right now.
Result<std::uint16_t> free_port() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    ECHO_ASSIGN_OR_RETURN(const Fd tcp, tcp_listen(Endpoint::loopback_v4(0)));
    ECHO_ASSIGN_OR_RETURN(const Endpoint bound, local_endpoint(tcp.get()));
    if (udp_bind(Endpoint::loopback_v4(bound.port()), false).ok()) return bound.port();
  }
  return Error{"cannot find a loopback port free for both TCP and UDP"};
}

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string describe_status(int status) {
  if (status > 128) {
    const int signal_number = status - 128;
    return "killed by signal " + std::to_string(signal_number) + " (" + ::strsignal(signal_number) +
           ")";
  }
  return "exited with status " + std::to_string(status);
}

bool connects(const Endpoint& target, std::chrono::milliseconds within) {
  return tcp_connect(target, Deadline::after(within)).ok();
}

}  // namespace

Result<std::unique_ptr<SpawnedServer>> SpawnedServer::start(const std::string& command,
                                                            SpawnOptions options) {
  const std::size_t at = command.find(kPort);
  if (at == std::string::npos) {
    return Error{"--spawn: the command '" + command + "' has no {port} for the port to listen on"};
  }
  ECHO_ASSIGN_OR_RETURN(const std::uint16_t port, free_port());
  std::string filled = command;
  for (std::size_t p = filled.find(kPort); p != std::string::npos; p = filled.find(kPort, p)) {
    filled.replace(p, kPort.size(), std::to_string(port));
  }
  std::unique_ptr<SpawnedServer> server(
      new SpawnedServer(std::move(filled), std::move(options), Endpoint::loopback_v4(port)));
  ECHO_TRY(server->launch());
  return server;
}

SpawnedServer::SpawnedServer(std::string command, SpawnOptions options, Endpoint endpoint)
    : command_(std::move(command)), options_(std::move(options)), endpoint_(endpoint) {}

SpawnedServer::~SpawnedServer() = default;  // ~ChildProcess kills and reaps it

Status SpawnedServer::launch() {
  const std::string script = "exec " + command_ + " >>" + shell_quoted(options_.log) + " 2>&1";
  ECHO_ASSIGN_OR_RETURN(ChildProcess child,
                        ChildProcess::spawn("/bin/sh", {"-c", script})
                            .with_context("--spawn: cannot start '" + command_ + "'"));
  process_ = std::make_unique<ChildProcess>(std::move(child));
  const auto started = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - started < options_.ready_within) {
    if (!running()) {
      return Error{"--spawn: '" + command_ + "' " + exit_description_ +
                   " before serving (its "
                   "output is in " +
                   options_.log + ")"};
    }
    if (!options_.wait_for_tcp) {
      std::this_thread::sleep_for(300ms);  // nothing to connect to: give it a moment to bind
      return {};
    }
    if (connects(endpoint_, 200ms)) return {};
    std::this_thread::sleep_for(20ms);
  }
  return Error{"--spawn: '" + command_ + "' did not accept TCP connections on " +
               endpoint_.to_string() + " within " + std::to_string(options_.ready_within.count()) +
               " ms"};
}

bool SpawnedServer::running() {
  if (!process_ || !process_->running()) return false;
  Result<int> status = process_->wait(Deadline::after(0ms));
  if (!status) return true;  // still running (timed out waiting)
  exit_description_ = describe_status(*status);
  return false;
}

Status SpawnedServer::restart() {
  if (process_ && process_->running()) {
    (void)process_->send_signal(SIGKILL);
    (void)process_->wait(Deadline::after(5s));
  }
  ++restarts_;
  // The port may linger for a moment after the old server (a socket without
  // SO_REUSEADDR): try a few times.
  Status launched;
  for (int attempt = 0; attempt < 5; ++attempt) {
    launched = launch();
    if (launched) return launched;
    std::this_thread::sleep_for(200ms);
  }
  return launched;
}

bool still_serving(const Endpoint& target, std::chrono::milliseconds wait) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (connects(target, 500ms)) return true;
    std::this_thread::sleep_for(wait);
  }
  return false;
}

}  // namespace echo::conformance::explore
