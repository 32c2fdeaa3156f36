// echo-server under socket activation: sockets passed as a service manager
// passes them (LISTEN_FDS/LISTEN_PID, descriptors from 3), by this test and
// by Debian's systemd-socket-activate.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/process/listening_line.h"
#include "reference/server/tests/server_fixture.h"
#include "reference/server/tests/service_helpers.h"

namespace echo::server::testing {
namespace {

class Activation : public ::testing::TestWithParam<std::string> {};

TEST_P(Activation, ServesEveryPassedSocketTcpAndUdpIpv4AndIpv6) {
  const bool v6 = ipv6_loopback_available();
  std::vector<Fd> sockets;
  sockets.push_back(manager_socket(Transport::kTcp, Endpoint::loopback_v4(0)));
  sockets.push_back(manager_socket(Transport::kUdp, Endpoint::loopback_v4(0)));
  if (v6) {
    sockets.push_back(manager_socket(Transport::kUdp, Endpoint::loopback_v6(0)));
    sockets.push_back(manager_socket(Transport::kTcp, Endpoint::loopback_v6(0)));
  }
  std::vector<int> fds;
  for (const Fd& socket : sockets) {
    ASSERT_TRUE(socket);
    fds.push_back(socket.get());
  }
  std::vector<std::string> args = {"--quiet", "--model", GetParam()};
  Result<ChildProcess> server =
      ChildProcess::spawn("/bin/sh", activation_args(static_cast<int>(fds.size()), args),
                          SpawnOptions{.pipe_stderr = true, .pass_fds = fds});
  ASSERT_TRUE(server) << server.error().message;
  const std::size_t per_transport = v6 ? 2 : 1;
  Result<Listening> listening = wait_for_listening(*server, Deadline::after(kStartTimeout),
                                                   {.tcp = per_transport, .udp = per_transport});
  ASSERT_TRUE(listening) << listening.error().message;

  // Announced in descriptor order, each with its kind and address read from the kernel.
  std::vector<Endpoint> tcp = {local_address(sockets[0])};
  std::vector<Endpoint> udp = {local_address(sockets[1])};
  if (v6) {
    udp.push_back(local_address(sockets[2]));
    tcp.push_back(local_address(sockets[3]));
  }
  EXPECT_EQ(listening->tcp, tcp);
  EXPECT_EQ(listening->udp, udp);
  sockets.clear();  // the server's copies alone keep them open now

  for (const Endpoint& address : tcp) {
    Result<Fd> client = tcp_connect(address, io_deadline());
    ASSERT_TRUE(client) << client.error().message;
    expect_echo(client->get(), "activated " + address.to_string());
  }
  for (const Endpoint& address : udp) expect_datagram_echo(address, "activated");

  const auto counters = stop_and_read_counters(*server);
  EXPECT_EQ(counters.at("connections_accepted"), tcp.size());
  EXPECT_EQ(counters.at("datagrams_out"), udp.size());
}

INSTANTIATE_TEST_SUITE_P(Models, Activation, kAllModels, model_name);

TEST(ActivationRules, SocketsMeantForAnotherProcessAreLeftAlone) {
  Fd passed = manager_socket(Transport::kTcp, Endpoint::loopback_v4(0));
  ASSERT_TRUE(passed);
  Result<ChildProcess> server = ChildProcess::spawn(
      "/bin/sh", activation_args(1, {"--quiet", "--listen", "127.0.0.1:0"}, /*listen_pid=*/1),
      SpawnOptions{.pipe_stderr = true, .pass_fds = {passed.get()}});
  ASSERT_TRUE(server) << server.error().message;
  Result<Listening> listening = wait_for_listening(*server, Deadline::after(kStartTimeout));
  ASSERT_TRUE(listening) << listening.error().message;
  EXPECT_NE(listening->tcp.front(), local_address(passed)) << "it bound its own socket";
  EXPECT_FALSE(stop_and_read_counters(*server).empty());
}

// Runs echo-server with `fds` passed and expects it to refuse them: exit `code`, saying `why`.
void expect_refusal(const std::vector<int>& fds, const std::vector<std::string>& args, int code,
                    const std::string& why) {
  Result<ChildProcess> server =
      ChildProcess::spawn("/bin/sh", activation_args(static_cast<int>(fds.size()), args),
                          SpawnOptions{.pipe_stderr = true, .pass_fds = fds});
  ASSERT_TRUE(server) << server.error().message;
  EXPECT_EQ(wait_for_exit(*server), code);
  const std::string error = read_pipe(server->stderr_fd(), io_deadline());
  EXPECT_NE(error.find(why), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), error.size() - 1) << "one line: " << error;
}

TEST(ActivationRules, AConnectionInsteadOfAListenerIsRefusedWithExit3) {
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener) << listener.error().message;
  Result<Fd> client = tcp_connect(*local_endpoint(listener->get()), io_deadline());
  ASSERT_TRUE(client) << client.error().message;
  expect_refusal({client->get()}, {"--quiet"}, 3,
                 "passed descriptor 3 is a TCP connection, not a listener");
}

TEST(ActivationRules, ChoosingSocketsWhenTheyArePassedIsAUsageError) {
  Fd passed = manager_socket(Transport::kUdp, Endpoint::loopback_v4(0));
  for (const char* option : {"--listen", "--tcp-only", "--udp-only"}) {
    std::vector<std::string> args = {"--quiet", option};
    if (std::string(option) == "--listen") args.push_back("127.0.0.1:0");
    expect_refusal({passed.get()}, args, 2,
                   "--listen, --tcp-only and --udp-only cannot be used with sockets passed");
  }
}

// systemd-socket-activate binds the addresses, waits for the first connection
// or datagram, then execs echo-server with the sockets (LISTEN_FDS), as
// systemd does for a .socket unit.
class SystemdSocketActivate : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ = find_program("systemd-socket-activate");
    if (!program_) GTEST_SKIP() << "systemd-socket-activate is not installed (package systemd)";
  }

  // Starts it on free ports of `addresses` (port 0); retries if a port was taken meanwhile.
  void start(bool datagram, const std::vector<Endpoint>& addresses) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      endpoints_.clear();
      std::vector<std::string> args = {"-c", "exec \"$0\" \"$@\" 2>&1", *program_};
      if (datagram) args.push_back("--datagram");
      for (const Endpoint& address : addresses) {
        endpoints_.push_back(free_port(address));
        args.insert(args.end(), {"-l", endpoints_.back().to_string()});
      }
      args.insert(args.end(), {"--", sibling_program("echo-server"), "--quiet"});
      Result<ChildProcess> spawned = ChildProcess::spawn("/bin/sh", args);
      ASSERT_TRUE(spawned) << spawned.error().message;
      activator_.emplace(std::move(*spawned));
      if (all_listening()) return;
    }
    FAIL() << "systemd-socket-activate could not listen on free ports in 5 attempts";
  }

  // Stops echo-server (systemd-socket-activate became it: same process).
  void stop() {
    ASSERT_TRUE(activator_->send_signal(SIGTERM));
    EXPECT_EQ(wait_for_exit(*activator_), 0);
  }

  std::vector<Endpoint> endpoints_;

 private:
  // Reads "Listening on ADDRESS as N." for every address; false if it failed to bind.
  bool all_listening() {
    for (std::size_t i = 0; i < endpoints_.size(); ++i) {
      Result<std::string> line = activator_->read_line(Deadline::after(kStartTimeout));
      if (!line || line->rfind("Listening on ", 0) != 0) return false;
    }
    return true;
  }

  std::optional<std::string> program_;
  std::optional<ChildProcess> activator_;
};

std::vector<Endpoint> loopbacks() {
  std::vector<Endpoint> addresses = {Endpoint::loopback_v4(0)};
  if (ipv6_loopback_available()) addresses.push_back(Endpoint::loopback_v6(0));
  return addresses;
}

TEST_F(SystemdSocketActivate, EchoesOverActivatedTcpSocketsIpv4AndIpv6) {
  start(/*datagram=*/false, loopbacks());
  for (const Endpoint& address : endpoints_) {
    Result<Fd> client = tcp_connect(address, io_deadline());
    ASSERT_TRUE(client) << client.error().message;
    expect_echo(client->get(), "socket-activated " + address.to_string());
    ASSERT_EQ(::shutdown(client->get(), SHUT_WR), 0);
    EXPECT_EQ(read_until_eof(client->get(), io_deadline()), "");
  }
  stop();
}

TEST_F(SystemdSocketActivate, EchoesOverActivatedUdpSocketsIpv4AndIpv6) {
  start(/*datagram=*/true, loopbacks());
  for (const Endpoint& address : endpoints_) {
    expect_datagram_echo(address, "socket-activated " + address.to_string());
  }
  stop();
}

}  // namespace
}  // namespace echo::server::testing
