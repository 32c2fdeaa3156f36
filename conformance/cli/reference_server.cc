#include "conformance/cli/reference_server.h"

#include <signal.h>

#include <chrono>
#include <map>

#include "core/net/socket.h"
#include "reference/server/announce.h"

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

std::string family_name(int family) { return family == AF_INET6 ? "[::1]" : "127.0.0.1"; }

// Reads "listening tcp|udp ADDRESS" lines until every wanted family has both,
// on the same port; other lines are ignored.
Result<std::vector<Target>> read_announcements(ChildProcess& server,
                                               const ReferenceOptions& options) {
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kAnnounceTimeout *
                                                                             options.timeout_scale);
  const Deadline deadline = Deadline::after(timeout);
  const std::vector<int> families =
      options.ipv6 ? std::vector<int>{AF_INET, AF_INET6} : std::vector<int>{AF_INET};
  std::map<int, Endpoint> tcp;
  std::map<int, Endpoint> udp;
  while (tcp.size() < families.size() || udp.size() < families.size()) {
    Result<std::string> line = server.read_line(deadline);
    if (!line) {
      return Error{"the reference server (echo-server) did not announce its ports on " +
                   family_name(families.back()) + " within " + std::to_string(timeout.count()) +
                   " ms: " + line.error().message};
    }
    auto announced = echo::server::parse_listening_line(*line);
    if (!announced) continue;
    auto& seen = announced->first == "tcp" ? tcp : udp;
    seen[announced->second.family()] = announced->second;
  }
  std::vector<Target> targets;
  for (int family : families) {
    if (tcp[family].port() != udp[family].port()) {
      return Error{"the reference server announced tcp " + tcp[family].to_string() + " but udp " +
                   udp[family].to_string() + " (expected one port for both)"};
    }
    const bool v4 = family == AF_INET;
    targets.push_back(Target{v4 ? "reference" : "reference-v6", tcp[family], v4});
  }
  return targets;
}

}  // namespace

bool ipv6_loopback_works() { return tcp_listen(Endpoint::loopback_v6(0)).ok(); }

Result<ReferenceServer> ReferenceServer::start(const ReferenceOptions& options) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--quiet"};
  if (options.ipv6) args.insert(args.end(), {"--listen", "[::1]:0"});
  const std::string program = sibling_program("echo-server");
  Result<ChildProcess> child = ChildProcess::spawn(program, args);
  if (!child) {
    return Error{"cannot start the reference server " + program + ": " + child.error().message};
  }
  auto shared = std::make_unique<Shared>(std::move(*child));
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

// The server logs to stderr, but anything it writes to stdout later must not
// fill the pipe and stall it mid-run.
void ReferenceServer::start_drain() {
  Shared* shared = shared_.get();
  drain_ = std::thread([shared] {
    while (!shared->stopping.load()) {
      Result<std::string> line = shared->process.read_line(Deadline::after(200ms));
      if (!line && line.error().code != std::errc::timed_out) return;
    }
  });
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
  g_server_pid.store(0);
}

}  // namespace echo::conformance::cli
