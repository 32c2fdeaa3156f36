// TCP echo behaviour of every model: exact bytes, streaming, half-close,
// concurrency, resets and bounded memory.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "reference/server/tests/server_fixture.h"

namespace echo::server::testing {
namespace {

class TcpEcho : public EchoServerTest {};

TEST_P(TcpEcho, EchoesEveryByteValue) {
  ASSERT_NO_FATAL_FAILURE(start());
  Fd client = connect_tcp();
  std::string all_bytes(256, '\0');
  for (int i = 0; i < 256; ++i) all_bytes[i] = static_cast<char>(i);
  expect_echo(client.get(), all_bytes);
  expect_echo(client.get(), all_bytes + all_bytes);
}

TEST_P(TcpEcho, StreamsSixteenMebibytesWhileTheClientReads) {
  ASSERT_NO_FATAL_FAILURE(start());
  Fd client = connect_tcp();
  constexpr std::size_t kTotal = 16 << 20;
  constexpr std::size_t kChunk = 256 << 10;
  const Deadline deadline = Deadline::after(25s);

  // The writer runs ahead of the reader; the server must echo as data arrives.
  Status written;
  std::thread writer([&] {
    for (std::size_t sent = 0; sent < kTotal && written.ok(); sent += kChunk) {
      const std::string chunk = pattern(kChunk, sent);
      written = write_all(client.get(), std::as_bytes(std::span(chunk)), deadline);
    }
    ::shutdown(client.get(), SHUT_WR);
  });
  std::size_t received = 0;
  std::size_t mismatches = 0;
  std::byte buffer[64 * 1024];
  while (received < kTotal) {
    Result<std::size_t> n = read_some(client.get(), buffer, deadline);
    if (!n || *n == 0) break;
    const std::string expected = pattern(*n, received);
    mismatches += std::memcmp(buffer, expected.data(), *n) != 0;
    received += *n;
  }
  writer.join();
  EXPECT_TRUE(written) << written.error().message;
  EXPECT_EQ(received, kTotal);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(read_until_eof(client.get(), deadline), "");
}

TEST_P(TcpEcho, FlushesEverythingPendingAfterTheClientsFin) {
  ASSERT_NO_FATAL_FAILURE(start());
  Fd client = connect_tcp();
  // More than the server's 64 KiB buffer, so some of it is still queued at the FIN.
  const std::string data = pattern(300 << 10);
  ASSERT_TRUE(write_all(client.get(), std::as_bytes(std::span(data)), io_deadline()));
  ASSERT_EQ(::shutdown(client.get(), SHUT_WR), 0);
  EXPECT_EQ(read_until_eof(client.get(), io_deadline()), data);
}

TEST_P(TcpEcho, SurvivesAClientThatResetsBeforeReadingItsEcho) {
  ASSERT_NO_FATAL_FAILURE(start());
  {
    Fd rude = connect_tcp();
    const std::string data = pattern(200 << 10);
    ASSERT_TRUE(write_all(rude.get(), std::as_bytes(std::span(data)), io_deadline()));
    ASSERT_TRUE(set_linger_reset(rude.get()));
  }  // closed with RST while the server still has echo to send
  Fd next = connect_tcp();
  expect_echo(next.get(), "still here");
}

TEST_P(TcpEcho, KeepsMemoryBoundedForAClientThatNeverReads) {
  ASSERT_NO_FATAL_FAILURE(start({"--buffer-size", "65536"}));
  {
    Fd warm_up = connect_tcp();
    expect_echo(warm_up.get(), pattern(64 << 10));
  }
  const long before_kib = largest_rss_kib(server_pid());

  // Push until the client's sends block: the server stopped reading because
  // its buffer is full and its echo is not being read.
  Fd hog = connect_tcp();
  const std::string chunk = pattern(64 << 10);
  std::size_t pushed = 0;
  constexpr std::size_t kGiveUp = 256 << 20;
  while (pushed < kGiveUp) {
    if (!wait_ready(hog.get(), POLLOUT, Deadline::after(300ms))) break;
    Transfer sent = send_some(hog.get(), std::as_bytes(std::span(chunk)));
    ASSERT_NE(sent.kind, Transfer::Kind::kError) << sent.error.message();
    pushed += sent.bytes;
  }
  EXPECT_LT(pushed, kGiveUp) << "the server kept reading from a client that never reads";

  if (GetParam() != "iterative") {  // the iterative model serves one client at a time
    Fd other = connect_tcp();
    expect_echo(other.get(), "served meanwhile");
  }

  const long growth_kib = largest_rss_kib(server_pid()) - before_kib;
  EXPECT_LT(growth_kib, 8 * 1024) << "pushed " << pushed << " bytes";
}

class ConcurrentTcpEcho : public EchoServerTest {};

TEST_P(ConcurrentTcpEcho, ServesAHundredClientsAtOnce) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::vector<Fd> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(connect_tcp());
    ASSERT_TRUE(clients.back().valid());
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const std::string message = "client " + std::to_string(i);
    ASSERT_TRUE(write_all(clients[i].get(), std::as_bytes(std::span(message)), io_deadline()));
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    std::string reply("client " + std::to_string(i));
    ASSERT_TRUE(
        read_exact(clients[i].get(), std::as_writable_bytes(std::span(reply)), io_deadline()));
    EXPECT_EQ(reply, "client " + std::to_string(i));
  }
}

INSTANTIATE_TEST_SUITE_P(EchoServer, TcpEcho, kAllModels, model_name);
INSTANTIATE_TEST_SUITE_P(EchoServer, ConcurrentTcpEcho, kConcurrentModels, model_name);

}  // namespace
}  // namespace echo::server::testing
