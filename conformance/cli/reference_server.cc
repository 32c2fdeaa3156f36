#include "conformance/cli/reference_server.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "core/net/socket.h"
#include "core/process/listening_line.h"

namespace echo::conformance::cli {
namespace {

using namespace std::chrono_literals;

constexpr auto kAnnounceTimeout = 5000ms;

// The server to kill when the checker is interrupted; 0 when none runs.
std::atomic<pid_t> g_server_pid{0};

extern "C" void kill_server_and_die(int signal_number) {
  const pid_t pid = g_server_pid.load();
  if (pid > 0) ::kill(pid, SIGKILL);
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

void kill_server_on_interrupt(pid_t pid) {
  g_server_pid.store(pid);
  struct sigaction action {};
  action.sa_handler = kill_server_and_die;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

// Reads and drops `fd` (the server's standard error) until end of file, or
// until the server is reaped. A full pipe would stall the server mid-run.
void drop_until_closed(int fd, const std::atomic<bool>& exited) {
  char buffer[4096];
  while (!exited.load()) {
    pollfd ready{fd, POLLIN, 0};
    const int events = ::poll(&ready, 1, 200);
    if (events < 0 && errno != EINTR) return;
    if (events <= 0) continue;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return;
    if (n < 0 && errno != EINTR && errno != EAGAIN) return;
  }
}

// Waits for the "listening tcp|udp ADDRESS" lines of every address the server
// was started on; the TCP and UDP sockets of each must share the port.
Result<std::vector<Target>> read_announcements(ChildProcess& server,
                                               const ReferenceOptions& options) {
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kAnnounceTimeout *
                                                                             options.timeout_scale);
  const std::size_t addresses = options.ipv6 ? 2 : 1;
  ECHO_ASSIGN_OR_RETURN(
      const Listening listening,
      wait_for_listening(server, Deadline::after(timeout), ListeningWanted{addresses, addresses})
          .with_context("the reference server did not start"));
  std::vector<Target> targets;
  for (int family :
       options.ipv6 ? std::vector<int>{AF_INET, AF_INET6} : std::vector<int>{AF_INET}) {
    const auto of_family = [family](const Endpoint& e) { return e.family() == family; };
    const auto tcp = std::find_if(listening.tcp.begin(), listening.tcp.end(), of_family);
    const auto udp = std::find_if(listening.udp.begin(), listening.udp.end(), of_family);
    if (tcp == listening.tcp.end() || udp == listening.udp.end()) {
      return Error{std::string("the reference server announced no ") +
                   (family == AF_INET ? "IPv4" : "IPv6") + " address for TCP and UDP"};
    }
    if (tcp->port() != udp->port()) {
      return Error{"the reference server announced tcp " + tcp->to_string() + " but udp " +
                   udp->to_string() + " (expected one port for both)"};
    }
    const bool v4 = family == AF_INET;
    targets.push_back(Target{v4 ? "reference" : "reference-v6", *tcp, v4});
  }
  return targets;
}

}  // namespace

bool ipv6_loopback_works() { return tcp_listen(Endpoint::loopback_v6(0)).ok(); }

Result<ReferenceServer> ReferenceServer::start(const ReferenceOptions& options) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--quiet"};
  if (options.ipv6) args.insert(args.end(), {"--listen", "[::1]:0"});
  const std::string program = sibling_program("echo-server");
  SpawnOptions spawn;
  spawn.pipe_stderr = true;
  ECHO_ASSIGN_OR_RETURN(ChildProcess child,
                        ChildProcess::spawn(program, args, spawn)
                            .with_context("cannot start the reference server " + program));
  auto shared = std::make_unique<Shared>(std::move(child));
  kill_server_on_interrupt(shared->process.pid());
  Result<std::vector<Target>> targets = read_announcements(shared->process, options);
  if (!targets) {
    g_server_pid.store(0);
    return targets.error();  // ~ChildProcess kills the server
  }
  ReferenceServer server(std::move(shared), std::move(*targets));
  server.start_drain();
  return server;
}

ReferenceServer::ReferenceServer(std::unique_ptr<Shared> shared, std::vector<Target> targets)
    : shared_(std::move(shared)), targets_(std::move(targets)) {}

// Nothing the server writes later, on stdout or stderr, may fill a pipe and
// stall it mid-run, nor reach the checker's own output.
void ReferenceServer::start_drain() {
  Shared* shared = shared_.get();
  drain_ = std::thread([shared] {
    while (!shared->stopping.load()) {
      Result<std::string> line = shared->process.read_line(Deadline::after(200ms));
      if (!line && line.error().code != std::errc::timed_out) return;
    }
  });
  const int stderr_fd = shared->process.stderr_fd();
  drain_stderr_ =
      std::thread([shared, stderr_fd] { drop_until_closed(stderr_fd, shared->exited); });
}

ReferenceServer::~ReferenceServer() {
  if (!shared_) return;
  shared_->stopping.store(true);
  (void)shared_->process.send_signal(SIGTERM);
  if (drain_.joinable()) drain_.join();
  if (!shared_->process.wait(Deadline::after(3s)).ok()) {
    (void)shared_->process.send_signal(SIGKILL);
    (void)shared_->process.wait(Deadline::after(3s));
  }
  shared_->exited.store(true);  // its stderr has reached end of file, or soon will not matter
  if (drain_stderr_.joinable()) drain_stderr_.join();
  g_server_pid.store(0);
}

}  // namespace echo::conformance::cli
