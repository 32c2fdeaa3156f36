#include "conformance/cli/reference_server.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
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

// Whatever can be read from non-blocking `fd` now, up to end of file.
std::string read_available(int fd) {
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return text;  // end of file, EAGAIN or an error
  }
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

// `error`, followed by the server's last line on standard error, if any.
Error with_last_words(Error error, int stderr_fd) {
  const std::string line = last_line(read_available(stderr_fd));
  if (!line.empty()) error.message += " (echo-server said: " + line + ")";
  return error;
}

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

std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const auto start = text.find_last_of('\n');
  return std::string(start == std::string_view::npos ? text : text.substr(start + 1));
}

Result<ReferenceServer> ReferenceServer::start(const ReferenceOptions& options) {
  std::vector<std::string> args{"--listen", "127.0.0.1:0", "--quiet"};
  if (options.ipv6) args.insert(args.end(), {"--listen", "[::1]:0"});
  const std::string program = sibling_program("echo-server");
  SpawnOptions spawn;
  spawn.pipe_stderr = true;
  Result<ChildProcess> child = ChildProcess::spawn(program, args, spawn);
  if (!child) {
    return Error{"cannot start the reference server " + program + ": " + child.error().message};
  }
  auto shared = std::make_unique<Shared>(std::move(*child));
  kill_server_on_interrupt(shared->process.pid());
  Result<std::vector<Target>> targets = read_announcements(shared->process, options);
  if (!targets) {
    g_server_pid.store(0);
    return with_last_words(targets.error(), shared->process.stderr_fd());  // ~ChildProcess kills
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
