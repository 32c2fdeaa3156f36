// Starting, limiting and stopping echo-server: signals, drain, limits,
// timeouts, and the exit codes for bad command lines and busy ports.
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "reference/server/tests/server_fixture.h"

namespace echo::server::testing {
namespace {

class Lifecycle : public EchoServerTest {};

TEST_P(Lifecycle, SigtermExitsCleanlyAndPrintsTheCounters) {
  ASSERT_NO_FATAL_FAILURE(start({}, "127.0.0.1:0", /*pipe_stderr=*/true));
  {
    Fd client = connect_tcp();
    expect_echo(client.get(), "count me");
    ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    EXPECT_EQ(read_until_eof(client.get(), io_deadline()), "");
  }
  EXPECT_EQ(stop(), 0);
  const std::string log = read_pipe(server_->stderr_fd(), io_deadline());
  EXPECT_NE(log.find("counters:"), std::string::npos) << log;
  EXPECT_NE(log.find("connections_accepted=1"), std::string::npos) << log;
  EXPECT_NE(log.find("bytes_in=8"), std::string::npos) << log;
}

TEST_P(Lifecycle, KeepsServingOpenConnectionsWhileDraining) {
  ASSERT_NO_FATAL_FAILURE(start({"--drain-timeout", "20"}));
  Fd client = connect_tcp();
  expect_echo(client.get(), "before");
  ASSERT_TRUE(server_->send_signal(SIGTERM));
  expect_echo(client.get(), "during the drain");
  client.reset();  // the last connection ends: no need to wait for the drain timeout
  Result<int> status = server_->wait(Deadline::after(kExitTimeout));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
}

TEST_P(Lifecycle, ClosesConnectionsLeftOpenAfterTheDrainTimeout) {
  ASSERT_NO_FATAL_FAILURE(start({"--drain-timeout", "0.3"}));
  Fd client = connect_tcp();
  expect_echo(client.get(), "idle after this");
  EXPECT_EQ(stop(), 0);
  EXPECT_EQ(read_until_eof(client.get(), io_deadline()), "");
}

TEST_P(Lifecycle, ClosesIdleConnections) {
  ASSERT_NO_FATAL_FAILURE(start({"--idle-timeout", "0.3"}));
  Fd client = connect_tcp();
  expect_echo(client.get(), "then silence");
  const auto quiet_since = std::chrono::steady_clock::now();
  EXPECT_EQ(read_until_eof(client.get(), io_deadline()), "");
  EXPECT_GE(std::chrono::steady_clock::now() - quiet_since, 250ms);
}

// What became of a new connection (or datagram) sent while the server drains.
enum class Probe { kRefused, kServed, kUnanswered, kOtherError };

// Connects, sends one byte and waits for its echo until `deadline`. Refused at
// connect, or reset/closed before the echo (it was queued in the backlog when
// the listener closed), is kRefused; left hanging is kUnanswered.
Probe probe_new_connection(const Endpoint& server, Deadline deadline, std::string* detail) {
  Result<Fd> client = tcp_connect(server, deadline);
  if (!client) {
    *detail = client.error().message;
    if (client.error().code == std::errc::connection_refused ||
        client.error().code == std::errc::connection_reset) {
      return Probe::kRefused;
    }
    return client.error().code == std::errc::timed_out ? Probe::kUnanswered : Probe::kOtherError;
  }
  if (Status sent = write_all(client->get(), std::as_bytes(std::span("x", 1)), deadline); !sent) {
    *detail = sent.error().message;
    return sent.error().code == std::errc::connection_reset ? Probe::kRefused : Probe::kOtherError;
  }
  char reply = 0;
  Result<std::size_t> n =
      read_some(client->get(), std::as_writable_bytes(std::span(&reply, 1)), deadline);
  if (n) {
    *detail = *n == 1 ? "echoed" : "closed without a reply";
    return *n == 1 ? Probe::kServed : Probe::kRefused;
  }
  *detail = n.error().message;
  if (n.error().code == std::errc::connection_reset) return Probe::kRefused;
  return deadline.expired() ? Probe::kUnanswered : Probe::kOtherError;
}

// Sends one datagram on a connected UDP socket and waits for the echo until
// `deadline`; ECONNREFUSED (ICMP port unreachable: the socket is closed) is kRefused.
Probe probe_datagram(const Endpoint& server, Deadline deadline, std::string* detail) {
  Result<Fd> socket = udp_connect(server);
  if (!socket) {
    *detail = socket.error().message;
    return Probe::kOtherError;
  }
  if (::send(socket->get(), "x", 1, 0) != 1) {
    *detail = std::strerror(errno);
    return errno == ECONNREFUSED ? Probe::kRefused : Probe::kOtherError;
  }
  char reply = 0;
  Result<std::size_t> n =
      read_some(socket->get(), std::as_writable_bytes(std::span(&reply, 1)), deadline);
  if (n) {
    *detail = "echoed";
    return Probe::kServed;
  }
  *detail = n.error().message;
  if (n.error().code == std::errc::connection_refused) return Probe::kRefused;
  return deadline.expired() ? Probe::kUnanswered : Probe::kOtherError;
}

// Probes until the answer is something other than an echo (which only means
// SIGTERM has not been handled yet) or the deadline passes.
template <class ProbeFn>
Probe probe_until_not_served(ProbeFn probe, const Endpoint& server, Deadline deadline,
                             std::string* detail) {
  Probe outcome = Probe::kServed;
  while (outcome == Probe::kServed && !deadline.expired())
    outcome = probe(server, deadline, detail);
  return outcome;
}

// Refusal must come well within the drain timeout: the drain is still in
// progress (the held connection keeps it going), so it is not the exit.
constexpr auto kRefusedWithin = 3s;
constexpr auto kDatagramRetry = 250ms;
const std::vector<std::string> kLongDrain = {"--drain-timeout", "10"};

class Draining : public EchoServerTest {};

TEST_P(Draining, RefusesNewConnectionsWhileOpenOnesDrain) {
  ASSERT_NO_FATAL_FAILURE(start(kLongDrain, "127.0.0.1:0"));
  Fd held = connect_tcp();  // sends, never closes: the drain waits for it
  expect_echo(held.get(), "before");
  ASSERT_TRUE(server_->send_signal(SIGTERM));

  std::string detail;
  const Probe outcome =
      probe_until_not_served(probe_new_connection, tcp_, Deadline::after(kRefusedWithin), &detail);
  EXPECT_EQ(outcome, Probe::kRefused) << "a connection made while draining: " << detail;

  ASSERT_TRUE(server_->running()) << "exited instead of draining the open connection";
  expect_echo(held.get(), "still draining");
  held.reset();  // the last connection ends: the server exits without the drain timeout
  Result<int> status = server_->wait(Deadline::after(kExitTimeout));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
}

TEST_P(Draining, StopsAnsweringDatagramsWhileOpenConnectionsDrain) {
  ASSERT_NO_FATAL_FAILURE(start(kLongDrain, "127.0.0.1:0"));
  Fd held = connect_tcp();
  expect_echo(held.get(), "before");
  ASSERT_TRUE(server_->send_signal(SIGTERM));

  // Unlike a queued connection, which is reset, a datagram that arrives after
  // the server stopped reading the socket but before it closed it is dropped
  // silently: an unanswered probe is retried too, only ECONNREFUSED ends it.
  std::string detail;
  const Deadline refused_by = Deadline::after(kRefusedWithin);
  Probe outcome = Probe::kServed;
  while (outcome != Probe::kRefused && outcome != Probe::kOtherError && !refused_by.expired()) {
    outcome = probe_datagram(udp_, refused_by.min(Deadline::after(kDatagramRetry)), &detail);
  }
  EXPECT_EQ(outcome, Probe::kRefused) << "a datagram sent while draining: " << detail;

  ASSERT_TRUE(server_->running()) << "exited instead of draining the open connection";
  expect_echo(held.get(), "still draining");
  held.reset();
  Result<int> status = server_->wait(Deadline::after(kExitTimeout));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, 0);
}

// Not the iterative model: while it serves (and drains) its one connection,
// nothing else is accepted or answered anyway, and its listener stays open.
INSTANTIATE_TEST_SUITE_P(EchoServer, Draining, kConcurrentModels, model_name);

class ConnectionLimit : public EchoServerTest {};

TEST_P(ConnectionLimit, WaitsForASlotAboveMaxConnections) {
  ASSERT_NO_FATAL_FAILURE(start({"--max-connections", "1"}));
  Fd first = connect_tcp();
  expect_echo(first.get(), "first");

  Fd second = connect_tcp();  // completes in the kernel's backlog, not accepted yet
  const std::string message = "second";
  ASSERT_TRUE(write_all(second.get(), std::as_bytes(std::span(message)), io_deadline()));
  EXPECT_FALSE(readable_within(second.get(), 300ms)) << "served above --max-connections";

  first.reset();
  std::string reply(message.size(), '\0');
  Status read = read_exact(second.get(), std::as_writable_bytes(std::span(reply)), io_deadline());
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(reply, message);
}

INSTANTIATE_TEST_SUITE_P(EchoServer, Lifecycle, kAllModels, model_name);
INSTANTIATE_TEST_SUITE_P(EchoServer, ConnectionLimit, kConcurrentModels, model_name);

// Lowers this process's descriptor limit while it lives, so a server started
// meanwhile inherits the low limit.
class ScopedDescriptorLimit {
 public:
  explicit ScopedDescriptorLimit(rlim_t soft) {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit lowered = saved_;
    lowered.rlim_cur = soft;
    ::setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~ScopedDescriptorLimit() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  ScopedDescriptorLimit(const ScopedDescriptorLimit&) = delete;
  ScopedDescriptorLimit& operator=(const ScopedDescriptorLimit&) = delete;

 private:
  rlimit saved_{};
};

class DescriptorExhaustion : public EchoServerTest {};

TEST_P(DescriptorExhaustion, ClosesExcessConnectionsAndKeepsServing) {
  {
    ScopedDescriptorLimit limit(32);
    ASSERT_NO_FATAL_FAILURE(start());
  }
  constexpr int kClients = 60;  // more than the server has descriptors for
  std::vector<Fd> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(connect_tcp());
    ASSERT_TRUE(clients.back().valid());
    ASSERT_TRUE(write_all(clients.back().get(), std::as_bytes(std::span("x", 1)), io_deadline()));
  }
  int served = 0;
  for (Fd& client : clients) {
    char reply = 0;
    Result<std::size_t> n =
        read_some(client.get(), std::as_writable_bytes(std::span(&reply, 1)), io_deadline());
    if (!n || *n != 1 || reply != 'x') continue;  // closed by the server
    ++served;
    // Finish the connection; its end of stream means the server closed its descriptor.
    ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
    EXPECT_EQ(read_until_eof(client.get(), io_deadline()), "");
  }
  EXPECT_GT(served, 0);
  EXPECT_LT(served, kClients) << "the descriptor limit was never reached";

  Fd next = connect_tcp();
  expect_echo(next.get(), "served after EMFILE");
}

INSTANTIATE_TEST_SUITE_P(EchoServer, DescriptorExhaustion, ::testing::Values("epoll"), model_name);

// Runs echo-server with `args` and returns its exit code and stderr.
std::pair<int, std::string> run_to_exit(const std::vector<std::string>& args) {
  Result<ChildProcess> server =
      ChildProcess::spawn(sibling_program("echo-server"), args, SpawnOptions{.pipe_stderr = true});
  if (!server) return {-1, server.error().message};
  Result<int> status = server->wait(Deadline::after(kExitTimeout));
  std::string err = read_pipe(server->stderr_fd(), io_deadline());
  return {status ? *status : -1, err};
}

TEST(EchoServerCommandLine, PortOutOfRangeExitsWithUsageErrorNamingTheRange) {
  auto [code, err] = run_to_exit({"--listen", "127.0.0.1:70000"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.find("range"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(EchoServerCommandLine, UnknownModelExitsWithUsageError) {
  auto [code, err] = run_to_exit({"--listen", "127.0.0.1:0", "--model", "nope"});
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.find("nope"), std::string::npos) << err;
}

TEST(EchoServerCommandLine, PortInUseExitsWithCannotBind) {
  Result<Fd> taken = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(taken) << taken.error().message;
  Result<Endpoint> address = local_endpoint(taken->get());
  ASSERT_TRUE(address);
  auto [code, err] = run_to_exit({"--listen", address->to_string(), "--tcp-only"});
  EXPECT_EQ(code, 3);
  EXPECT_NE(err.find(std::to_string(address->port())), std::string::npos) << err;
}

}  // namespace
}  // namespace echo::server::testing
