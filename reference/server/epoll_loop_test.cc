// EpollLoop over an in-memory kernel (testing/fake_kernel.h): every system
// call of the loop goes through the Syscalls seam in its ServeContext, so the
// loop accepts, echoes, answers datagrams, drains and closes without one real
// socket, and two loops with two fake kernels run side by side in one process.
// (The real server over real sockets: tests/.)
#include "reference/server/epoll_loop.h"

#include <gtest/gtest.h>
#include <netinet/tcp.h>

#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "reference/server/testing/fake_kernel.h"

namespace echo::server {
namespace {

using Then = FakeKernel::Then;

ServerOptions test_options() {
  ServerOptions options;
  options.buffer_size = 1024;
  options.drain_timeout = std::chrono::milliseconds(0);  // close what is open at the stop
  return options;
}

// The payload of client `index` of a server named `server`, `size` bytes.
std::string payload(char server, int index, std::size_t size) {
  std::string bytes;
  while (bytes.size() < size) bytes += std::string(1, server) + std::to_string(index) + ' ';
  bytes.resize(size);
  return bytes;
}

// One server: a fake kernel with a listener and a UDP socket, and what is
// needed to run an EpollLoop over it. The kernel is declared first: it
// outlives every descriptor made through it.
struct FakeServer {
  FakeKernel kernel;
  Fd stop{kernel.add_stop(), kernel};
  BoundSockets sockets;
  ServerOptions options = test_options();
  Counters counters;
  Logger log{/*quiet=*/true};
  GuardSettings guard;  // answers everything: the loop, not the guard, is under test
  ConnectionsPerAddress per_address{0, 0};
  ServeContext context{options, counters, log, stop.get(), kernel, guard, per_address};

  FakeServer() {
    sockets.tcp_listeners.push_back(Fd(kernel.add_listener(), kernel));
    sockets.udp_sockets.push_back(Fd(kernel.add_udp_socket(), kernel));
  }
  [[nodiscard]] int listener() const { return sockets.tcp_listeners[0].get(); }
  [[nodiscard]] int udp() const { return sockets.udp_sockets[0].get(); }

  // Runs a loop until the fake kernel stops it; false (with a test failure) if it failed.
  bool run() {
    Result<std::unique_ptr<EpollLoop>> loop = EpollLoop::create(sockets, context);
    if (!loop) {
      ADD_FAILURE() << loop.error().message;
      return false;
    }
    Status ran = (*loop)->run();
    EXPECT_TRUE(ran) << ran.error().message;
    return static_cast<bool>(ran);
  }
};

TEST(EpollLoopOverAFakeKernel, EchoesAndClosesEverythingThroughTheSeam) {
  FakeServer server;
  const Endpoint peer = Endpoint::loopback_v4(40000);
  const int client = server.kernel.queue_client(server.listener(), "hello, world", peer);
  server.kernel.queue_datagram(server.udp(), "ping", Endpoint::loopback_v4(40001));
  server.kernel.queue_datagram(server.udp(), "", Endpoint::loopback_v4(40001));

  ASSERT_TRUE(server.run());

  EXPECT_EQ(server.kernel.sent_to(client), "hello, world");
  EXPECT_TRUE(server.kernel.closed(client));
  EXPECT_TRUE(server.kernel.option_set(client, IPPROTO_TCP, TCP_NODELAY));
  const std::vector<FakeKernel::Datagram> expected = {{Endpoint::loopback_v4(40001), "ping"},
                                                      {Endpoint::loopback_v4(40001), ""}};
  EXPECT_EQ(server.kernel.replies(server.udp()), expected);
  EXPECT_EQ(server.counters.connections_accepted, 1u);
  EXPECT_EQ(server.counters.connections_open, 0u);
  EXPECT_EQ(server.counters.bytes_in, 12u);
  EXPECT_EQ(server.counters.bytes_out, 12u);
  EXPECT_EQ(server.counters.datagrams_out, 2u);
  EXPECT_EQ(server.counters.errors + server.counters.resets, 0u);
  EXPECT_EQ(server.kernel.unexpected(), std::vector<std::string>{});
  // The loop is gone: its epoll instance and the Acceptor's spare were closed
  // through the seam. Only the stop descriptor and the shared sockets remain.
  EXPECT_EQ(server.kernel.open_descriptors(), 3u);
}

TEST(EpollLoopOverAFakeKernel, ShortWritesResetsAndWaitingClients) {
  FakeServer server;
  server.kernel.send_limit = 7;  // every send is short: output waits for EPOLLOUT
  const std::string large = payload('a', 0, 5000);  // more than the 1024-byte buffer
  const int streaming =
      server.kernel.queue_client(server.listener(), large, Endpoint::loopback_v4(1));
  const int resetting =
      server.kernel.queue_client(server.listener(), "abc", Endpoint::loopback_v4(2), Then::kReset);
  const int waiting =
      server.kernel.queue_client(server.listener(), "xyz", Endpoint::loopback_v4(3), Then::kWait);

  ASSERT_TRUE(server.run());

  EXPECT_EQ(server.kernel.sent_to(streaming), large);
  EXPECT_TRUE(server.kernel.closed(resetting));
  EXPECT_EQ(server.kernel.sent_to(waiting), "xyz");
  EXPECT_TRUE(server.kernel.closed(waiting));  // at the stop (drain timeout 0)
  EXPECT_EQ(server.counters.resets, 1u);
  EXPECT_EQ(server.counters.errors, 0u);
  EXPECT_EQ(server.counters.connections_open, 0u);
  EXPECT_EQ(server.kernel.unexpected(), std::vector<std::string>{});
}

// Two servers, each an EpollLoop over its own fake kernel, run at once in two
// threads. Nothing is shared: each kernel sees exactly its own clients'
// traffic, and each server counts only its own (ThreadSanitizer checks that
// no memory is shared unsynchronised: the tsan preset runs this).
TEST(EpollLoopOverAFakeKernel, TwoServersWithTwoFakeKernelsRunSideBySide) {
  constexpr int kClients = 40;
  constexpr int kDatagrams = 40;
  struct Run {
    char name;
    std::size_t size;  // bytes per client
    FakeServer server;
    std::vector<int> clients;
  };
  Run runs[2] = {{'A', 300, {}, {}}, {'B', 2000, {}, {}}};
  for (Run& run : runs) {
    for (int i = 0; i < kClients; ++i) {
      const Endpoint peer = Endpoint::loopback_v4(static_cast<std::uint16_t>(10000 + i));
      run.clients.push_back(run.server.kernel.queue_client(run.server.listener(),
                                                           payload(run.name, i, run.size), peer));
    }
    for (int i = 0; i < kDatagrams; ++i) {
      run.server.kernel.queue_datagram(run.server.udp(), payload(run.name, i, 10 + i),
                                       Endpoint::loopback_v4(20000));
    }
  }
  runs[1].server.kernel.send_limit = 100;  // one of them with short writes

  std::latch start(2);
  std::vector<std::jthread> threads;
  for (Run& run : runs) {
    threads.emplace_back([&start, &run] {
      start.arrive_and_wait();
      run.server.run();
    });
  }
  threads.clear();  // joins

  for (Run& run : runs) {
    SCOPED_TRACE(std::string("server ") + run.name);
    const FakeKernel& kernel = run.server.kernel;
    for (int i = 0; i < kClients; ++i) {
      EXPECT_EQ(kernel.sent_to(run.clients[static_cast<std::size_t>(i)]),
                payload(run.name, i, run.size));
    }
    const std::vector<FakeKernel::Datagram>& replies = kernel.replies(run.server.udp());
    ASSERT_EQ(replies.size(), static_cast<std::size_t>(kDatagrams));
    for (int i = 0; i < kDatagrams; ++i) {
      EXPECT_EQ(replies[static_cast<std::size_t>(i)].bytes, payload(run.name, i, 10 + i));
    }
    EXPECT_EQ(run.server.counters.connections_accepted, static_cast<std::uint64_t>(kClients));
    EXPECT_EQ(run.server.counters.bytes_out, kClients * run.size);
    EXPECT_EQ(run.server.counters.datagrams_out, static_cast<std::uint64_t>(kDatagrams));
    EXPECT_EQ(run.server.counters.errors + run.server.counters.resets, 0u);
    EXPECT_EQ(kernel.unexpected(), std::vector<std::string>{});
  }
}

}  // namespace
}  // namespace echo::server
