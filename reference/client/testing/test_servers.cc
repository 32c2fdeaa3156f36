#include "reference/client/testing/test_servers.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/net/udp.h"

namespace echo::client::testing {
namespace {

constexpr auto kWriteTimeout = std::chrono::seconds(30);

template <class T>
T must(Result<T> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
  return std::move(*result);
}

void make_stop_pipe(Fd& read_end, Fd& write_end) {
  std::array<int, 2> ends{};
  if (::pipe2(ends.data(), O_CLOEXEC) != 0) throw std::runtime_error("test server: pipe2 failed");
  read_end.reset(ends[0]);
  write_end.reset(ends[1]);
}

void signal_stop(Fd& write_end) {
  char byte = 'x';
  (void)!::write(write_end.get(), &byte, 1);
}

// Waits until `fd` is readable; false once the stop pipe is.
bool wait_readable(int fd, int stop) {
  std::array<pollfd, 2> fds{{{fd, POLLIN, 0}, {stop, POLLIN, 0}}};
  while (::poll(fds.data(), fds.size(), -1) < 0) {
  }
  return fds[1].revents == 0;
}

}  // namespace

TcpTestServer::TcpTestServer(TcpServerOptions options) : options_(options) {
  listener_ = must(tcp_listen(Endpoint::loopback_v4(0)), "test server: listen");
  port_ = must(local_endpoint(listener_.get()), "test server: local address").port();
  make_stop_pipe(stop_read_, stop_write_);
  thread_ = std::thread([this] { serve(); });
}

TcpTestServer::~TcpTestServer() {
  signal_stop(stop_write_);
  thread_.join();
}

void TcpTestServer::serve() {
  while (wait_readable(listener_.get(), stop_read_.get())) {
    Result<Fd> connection = tcp_accept(listener_.get());
    if (connection) handle(connection->get());
  }
}

void TcpTestServer::handle(int connection) {
  std::vector<std::byte> buffer(64 * 1024);
  std::uint64_t offset = 0;  // stream offset of buffer[0]
  while (wait_readable(connection, stop_read_.get())) {
    Transfer t = recv_some(connection, buffer);
    if (t.kind == Transfer::Kind::kWouldBlock) continue;
    if (t.kind == Transfer::Kind::kEof && options_.behaviour == TcpBehaviour::kSilent) {
      // Still silent, and still open: the client must give up by its own timeout.
      wait_readable(stop_read_.get(), stop_read_.get());
      return;
    }
    if (t.kind != Transfer::Kind::kDone) return;
    std::span<std::byte> data = std::span(buffer).first(t.bytes);
    std::uint64_t start = offset;
    offset += data.size();
    switch (options_.behaviour) {
      case TcpBehaviour::kEcho:
        break;
      case TcpBehaviour::kSilent:
        continue;
      case TcpBehaviour::kCorruptByte:
        if (options_.offset >= start && options_.offset < offset) {
          data[options_.offset - start] ^= std::byte{0xFF};
        }
        break;
      case TcpBehaviour::kCloseEarly:
        if (offset >= options_.offset) {
          (void)write_all(connection, data.first(options_.offset - start),
                          Deadline::after(kWriteTimeout));
          return;
        }
        break;
    }
    if (!write_all(connection, data, Deadline::after(kWriteTimeout))) return;
  }
}

UdpTestServer::UdpTestServer(UdpBehaviour behaviour) : behaviour_(behaviour) {
  socket_ = must(udp_bind(Endpoint::loopback_v4(0), false), "test server: udp bind");
  port_ = must(local_endpoint(socket_.get()), "test server: local address").port();
  make_stop_pipe(stop_read_, stop_write_);
  thread_ = std::thread([this] { serve(); });
}

UdpTestServer::~UdpTestServer() {
  signal_stop(stop_write_);
  thread_.join();
}

void UdpTestServer::serve() {
  std::vector<std::byte> buffer(65536);
  while (wait_readable(socket_.get(), stop_read_.get())) {
    Result<Datagram> datagram = receive_datagram(socket_.get(), buffer);
    if (!datagram || behaviour_ == UdpBehaviour::kSilent) continue;
    (void)send_datagram(socket_.get(), std::span(buffer).first(datagram->size), datagram->peer);
  }
}

std::uint16_t closed_tcp_port() {
  Fd listener = must(tcp_listen(Endpoint::loopback_v4(0)), "closed port: listen");
  return must(local_endpoint(listener.get()), "closed port: local address").port();
}

}  // namespace echo::client::testing
