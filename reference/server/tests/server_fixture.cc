#include "reference/server/tests/server_fixture.h"

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <fstream>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/process/listening_line.h"
#include "reference/server/counters.h"

namespace echo::server::testing {
namespace {

bool contains(const std::vector<std::string>& args, std::string_view flag) {
  return std::find(args.begin(), args.end(), flag) != args.end();
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  for (pid_t child; file >> child;) children.push_back(child);
  return children;
}

}  // namespace

Deadline io_deadline() { return Deadline::after(kIoTimeout); }

void start_extra_server(const std::vector<std::string>& args, ExtraServer& server) {
  Result<ChildProcess> spawned = ChildProcess::spawn(
      sibling_program("echo-server"), args, SpawnOptions{.pipe_stdin = false, .pipe_stderr = true});
  ASSERT_TRUE(spawned) << spawned.error().message;
  server.process.emplace(std::move(*spawned));
  const bool want_tcp = !contains(args, "--udp-only");
  const bool want_udp = !contains(args, "--tcp-only");
  const Deadline deadline = Deadline::after(kStartTimeout);
  while ((want_tcp && server.tcp.empty()) || (want_udp && server.udp.empty())) {
    Result<std::string> line = server.process->read_line(deadline);
    ASSERT_TRUE(line) << "no listening line from echo-server: " << line.error().message;
    auto parsed = parse_listening_line(*line);
    ASSERT_TRUE(parsed) << "unexpected output: " << *line;
    (parsed->transport == Transport::kTcp ? server.tcp : server.udp) = parsed->endpoint;
  }
}

std::map<std::string, std::uint64_t> stop_and_read_counters(ChildProcess& server) {
  std::map<std::string, std::uint64_t> counters;
  if (!server.send_signal(SIGTERM)) return counters;
  Result<int> status = server.wait(Deadline::after(kExitTimeout));
  if (!status || *status != 0) return counters;
  return parse_counters(read_pipe(server.stderr_fd(), io_deadline()));
}

void EchoServerTest::start(std::vector<std::string> extra, std::string listen, bool pipe_stderr) {
  std::vector<std::string> args = {"--listen", listen, "--model", GetParam(), "--quiet"};
  if (GetParam() == "epoll") args.insert(args.end(), {"--threads", "2"});
  const bool want_tcp = !contains(extra, "--udp-only");
  const bool want_udp = !contains(extra, "--tcp-only");
  args.insert(args.end(), extra.begin(), extra.end());

  Result<ChildProcess> spawned =
      ChildProcess::spawn(sibling_program("echo-server"), args,
                          SpawnOptions{.pipe_stdin = false, .pipe_stderr = pipe_stderr});
  ASSERT_TRUE(spawned) << spawned.error().message;
  server_.emplace(std::move(*spawned));

  Result<Listening> listening =
      wait_for_listening(*server_, Deadline::after(kStartTimeout),
                         ListeningWanted{.tcp = want_tcp ? 1u : 0u, .udp = want_udp ? 1u : 0u});
  ASSERT_TRUE(listening) << listening.error().message;
  if (want_tcp) tcp_ = listening->tcp.front();
  if (want_udp) udp_ = listening->udp.front();
  if (want_tcp && want_udp) {
    EXPECT_EQ(tcp_.port(), udp_.port()) << "TCP and UDP share the port";
  }
}

int EchoServerTest::stop() {
  if (!server_ || !server_->running()) return -1;
  if (!server_->send_signal(SIGTERM)) return -1;
  Result<int> status = server_->wait(Deadline::after(kExitTimeout));
  return status ? *status : -1;
}

Fd EchoServerTest::connect_tcp() const {
  Result<Fd> client = tcp_connect(tcp_, io_deadline());
  EXPECT_TRUE(client) << client.error().message;
  return client ? std::move(*client) : Fd();
}

void expect_echo(int fd, std::string_view text) {
  ASSERT_TRUE(write_all(fd, std::as_bytes(std::span(text)), io_deadline()));
  std::string reply(text.size(), '\0');
  Status read = read_exact(fd, std::as_writable_bytes(std::span(reply)), io_deadline());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(reply, text);
}

std::string pattern(std::size_t size, std::size_t offset) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t at = i + offset;
    bytes[i] = static_cast<char>((at + at / 251) & 0xff);
  }
  return bytes;
}

std::string read_until_eof(int fd, Deadline deadline) {
  std::string received;
  std::byte chunk[64 * 1024];
  for (;;) {
    Result<std::size_t> n = read_some(fd, chunk, deadline);
    EXPECT_TRUE(n) << n.error().message << " after " << received.size() << " bytes";
    if (!n || *n == 0) return received;
    received.append(reinterpret_cast<const char*>(chunk), *n);
  }
}

bool readable_within(int fd, std::chrono::milliseconds timeout) {
  Result<short> events = wait_ready(fd, POLLIN, Deadline::after(timeout));
  return events.ok();
}

std::string read_pipe(int fd, Deadline deadline) {
  std::string text;
  std::byte chunk[4096];
  while (wait_ready(fd, POLLIN, deadline)) {
    Transfer got = read_fd(fd, chunk);
    if (got.kind != Transfer::Kind::kDone) break;
    text.append(reinterpret_cast<const char*>(chunk), got.bytes);
  }
  return text;
}

long largest_rss_kib(pid_t pid) {
  long largest = rss_kib(pid);
  for (pid_t child : children_of(pid)) largest = std::max(largest, rss_kib(child));
  return largest;
}

bool ipv6_loopback_available() {
  Result<Fd> probe = tcp_listen(Endpoint::loopback_v6(0));
  return probe.ok();
}

}  // namespace echo::server::testing
