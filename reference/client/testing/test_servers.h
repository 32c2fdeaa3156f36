// Servers for the integration tests, each on 127.0.0.1 port 0 in a thread of
// the test: a correct echo, and misbehaving ones (a corrupted byte, an early
// close, silence) to check the client's exit codes. The destructor stops the
// thread through a pipe (no sleeps, no polling of flags) and joins it.
//
// Example:
//   TcpTestServer server({.behaviour = TcpBehaviour::kCorruptByte, .offset = 3});
//   run_client({"127.0.0.1", "hello", std::to_string(server.port())});  // exit 1, "offset 3"
#pragma once

#include <cstddef>
#include <cstdint>
#include <thread>

#include "core/net/fd.h"

namespace echo::client::testing {

enum class TcpBehaviour {
  kEcho,         // echo every byte; close after the client's end of stream
  kCorruptByte,  // echo, but flip the byte at stream offset `offset`
  kCloseEarly,   // echo the first `offset` bytes, read the rest, then close
  kSilent,       // read everything, never answer, never close (until the server stops)
};

struct TcpServerOptions {
  TcpBehaviour behaviour = TcpBehaviour::kEcho;
  std::uint64_t offset = 0;
};

class TcpTestServer {
 public:
  explicit TcpTestServer(TcpServerOptions options);
  ~TcpTestServer();
  TcpTestServer(const TcpTestServer&) = delete;
  TcpTestServer& operator=(const TcpTestServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  void serve();
  void handle(int connection);

  TcpServerOptions options_;
  Fd listener_;
  Fd stop_read_;
  Fd stop_write_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

enum class UdpBehaviour {
  kEcho,    // send every datagram back
  kSilent,  // never answer
};

class UdpTestServer {
 public:
  explicit UdpTestServer(UdpBehaviour behaviour);
  ~UdpTestServer();
  UdpTestServer(const UdpTestServer&) = delete;
  UdpTestServer& operator=(const UdpTestServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  void serve();

  UdpBehaviour behaviour_;
  Fd socket_;
  Fd stop_read_;
  Fd stop_write_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// A loopback TCP port with nothing listening (bound, read back, closed).
[[nodiscard]] std::uint16_t closed_tcp_port();

}  // namespace echo::client::testing
