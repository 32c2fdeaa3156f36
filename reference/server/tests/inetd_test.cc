// echo-server --inetd: the socket on standard input, as inetd and xinetd pass
// it; directly (this test accepts the connection or binds the UDP socket) and
// under xinetd when it is installed.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/address/parse.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"
#include "reference/server/tests/server_fixture.h"
#include "reference/server/tests/service_helpers.h"

namespace echo::server::testing {
namespace {

// Standard input, output and error all the connection, as inetd starts a
// "nowait" service; without --quiet, so a log line written into the
// connection would show in the echo.
Result<ChildProcess> spawn_inetd_service(int socket, const std::vector<std::string>& args) {
  std::vector<std::string> sh = {"-c", "exec \"$0\" \"$@\" >&0 2>&0",
                                 sibling_program("echo-server")};
  sh.insert(sh.end(), args.begin(), args.end());
  return ChildProcess::spawn("/bin/sh", sh, SpawnOptions{.stdin_from = socket});
}

TEST(Inetd, ServesOneTcpConnectionOnStandardInputThenExits) {
  std::vector<Endpoint> addresses = {Endpoint::loopback_v4(0)};
  if (ipv6_loopback_available()) addresses.push_back(Endpoint::loopback_v6(0));
  for (const Endpoint& address : addresses) {
    Result<Fd> listener = tcp_listen(address);
    ASSERT_TRUE(listener) << listener.error().message;
    Result<Fd> client = tcp_connect(*local_endpoint(listener->get()), io_deadline());
    ASSERT_TRUE(client) << client.error().message;
    Result<Fd> accepted = tcp_accept(listener->get());
    ASSERT_TRUE(accepted) << accepted.error().message;

    Result<ChildProcess> server = spawn_inetd_service(accepted->get(), {"--inetd"});
    ASSERT_TRUE(server) << server.error().message;
    accepted->reset();  // the server's copies alone hold the connection now

    expect_echo(client->get(), "inetd over " + address.to_string());
    const std::string tail = pattern(100'000);
    ASSERT_TRUE(write_all(client->get(), std::as_bytes(std::span(tail)), io_deadline()));
    ASSERT_EQ(::shutdown(client->get(), SHUT_WR), 0);
    // The rest, then end of stream once the server exits: nothing else (no log line).
    const std::string rest = read_until_eof(client->get(), io_deadline());
    EXPECT_EQ(rest.size(), tail.size());
    EXPECT_TRUE(rest == tail) << "it begins: " << rest.substr(0, 40);
    EXPECT_EQ(wait_for_exit(*server), 0);
  }
}

TEST(Inetd, ServesUdpOnStandardInputWithTheLoopGuardUntilIdle) {
  Result<Fd> service = udp_bind(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(service) << service.error().message;
  const Endpoint address = *local_endpoint(service->get());

  // Queued before the server starts, as inetd starts a "wait" service on the
  // first datagram: one from the service's own port (a loop: refused), one to echo.
  Result<Endpoint> looping_source =
      parse_endpoint("127.0.0.2:" + std::to_string(address.port()), 0, PortRule::kZeroMeansAny);
  ASSERT_TRUE(looping_source) << looping_source.error().message;
  Result<Fd> looping = udp_bind(*looping_source, false);
  ASSERT_TRUE(looping) << looping.error().message;
  const std::string_view loop = "loop";
  ASSERT_TRUE(send_datagram(looping->get(), std::as_bytes(std::span(loop)), address));
  Result<Fd> client = udp_socket(AF_INET);
  ASSERT_TRUE(client) << client.error().message;
  const std::string_view first = "first";
  ASSERT_TRUE(send_datagram(client->get(), std::as_bytes(std::span(first)), address));

  Result<ChildProcess> server =
      ChildProcess::spawn(sibling_program("echo-server"), {"--inetd", "--idle-timeout", "0.2"},
                          SpawnOptions{.pipe_stderr = true, .stdin_from = service->get()});
  ASSERT_TRUE(server) << server.error().message;
  std::byte reply[64];
  Result<Datagram> got = receive_datagram(client->get(), reply, io_deadline());
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(reply), got->size), first);
  expect_datagram_echo(address, "second");

  EXPECT_EQ(wait_for_exit(*server), 0) << "exits once idle for --idle-timeout";
  const auto counters = read_counters(server->stderr_fd());
  EXPECT_EQ(counters.at("datagrams_out"), 2u);
  EXPECT_EQ(counters.at("datagrams_refused_own_port"), 1u);
}

void expect_inetd_refusal(int standard_input, const std::string& why,
                          std::vector<std::string> args = {"--inetd"}, int code = 3) {
  Result<ChildProcess> server =
      ChildProcess::spawn(sibling_program("echo-server"), args,
                          SpawnOptions{.pipe_stderr = true, .stdin_from = standard_input});
  ASSERT_TRUE(server) << server.error().message;
  EXPECT_EQ(wait_for_exit(*server), code);
  const std::string error = read_pipe(server->stderr_fd(), io_deadline());
  EXPECT_NE(error.find(why), std::string::npos) << error;
}

TEST(Inetd, RefusesAStandardInputItCannotServeWithExit3) {
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  expect_inetd_refusal(null.get(), "standard input is not a socket");
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener) << listener.error().message;
  expect_inetd_refusal(listener->get(), "standard input is a listening TCP socket");
}

TEST(Inetd, ATransportExcludedByTheOptionsIsAUsageError) {
  Result<Fd> udp = udp_bind(Endpoint::loopback_v4(0), false);
  ASSERT_TRUE(udp) << udp.error().message;
  expect_inetd_refusal(udp->get(), "--tcp-only/--udp-only: standard input is a udp socket",
                       {"--inetd", "--tcp-only"}, 2);
}

// xinetd with `server = ` echo-server --inetd, TCP nowait and UDP wait, on a
// free loopback port (xinetd needs a fixed one).
class UnderXinetd : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = find_program("xinetd");
    if (!program_) GTEST_SKIP() << "xinetd is not installed (tools/setup installs it)";
    char folder[] = "/tmp/echo-xinetd-XXXXXX";
    ASSERT_NE(::mkdtemp(folder), nullptr);
    folder_ = folder;
  }
  void TearDown() override {
    if (folder_.empty()) return;
    xinetd_.reset();
    for (const char* name : {"/xinetd.conf", "/xinetd.log", "/xinetd.fifo"}) {
      ::unlink((folder_ + name).c_str());
    }
    ::rmdir(folder_.c_str());
  }

  void start() {
    const std::string log = folder_ + "/xinetd.fifo";
    ASSERT_EQ(::mkfifo(log.c_str(), 0600), 0);
    for (int attempt = 0; attempt < 5; ++attempt) {
      address_ = free_port(Endpoint::loopback_v4(0));
      write_config();
      // xinetd's own log (-filelog) through a FIFO that cat copies to our
      // pipe: xinetd -d would write to /dev/tty instead.
      Result<ChildProcess> spawned = ChildProcess::spawn(
          "/bin/sh", {"-c", "cat \"$2\" & exec \"$0\" -dontfork -filelog \"$2\" -f \"$1\"",
                      *program_, folder_ + "/xinetd.conf", log});
      ASSERT_TRUE(spawned) << spawned.error().message;
      xinetd_.emplace(std::move(*spawned));
      if (both_services_started()) return;
    }
    FAIL() << "xinetd could not bind a free port in 5 attempts";
  }

  Endpoint address_;

 private:
  void write_config() {
    std::ofstream config(folder_ + "/xinetd.conf");
    config << "defaults\n{\n  log_type = FILE " << folder_ << "/xinetd.log\n}\n";
    for (const char* kind : {"stream", "dgram"}) {
      const bool stream = std::string(kind) == "stream";
      config << "service echo\n{\n  type = UNLISTED\n  id = echo-" << kind
             << "\n  socket_type = " << kind << "\n  protocol = " << (stream ? "tcp" : "udp")
             << "\n  wait = " << (stream ? "no" : "yes") << "\n"
             << (::geteuid() == 0 ? "  user = root\n" : "")
             << "  bind = 127.0.0.1\n  port = " << address_.port()
             << "\n  server = " << sibling_program("echo-server")
             << "\n  server_args = --inetd --idle-timeout 0.5\n}\n";
    }
  }

  // xinetd ends its start-up with "Started working: N available services".
  bool both_services_started() {
    const Deadline deadline = Deadline::after(kStartTimeout);
    for (;;) {
      Result<std::string> line = xinetd_->read_line(deadline);
      if (!line) return false;
      if (line->find("Started working") != std::string::npos) {
        return line->find("2 available services") != std::string::npos;
      }
    }
  }

  std::optional<std::string> program_;
  std::string folder_;
  std::optional<ChildProcess> xinetd_;
};

TEST_F(UnderXinetd, EchoesTcpAndUdpThroughEchoServerInetd) {
  start();
  for (int connection = 0; connection < 2; ++connection) {  // one server per connection
    Result<Fd> client = tcp_connect(address_, io_deadline());
    ASSERT_TRUE(client) << client.error().message;
    expect_echo(client->get(), "through xinetd");
    ASSERT_EQ(::shutdown(client->get(), SHUT_WR), 0);
    EXPECT_EQ(read_until_eof(client->get(), io_deadline()), "");
  }
  expect_datagram_echo(address_, "through xinetd");
  expect_datagram_echo(address_, pattern(8192));
}

}  // namespace
}  // namespace echo::server::testing
