// UDP echo: one reply per datagram, with exactly its bytes (zero-length
// datagrams included), sent from the address and port the request was sent to
// (so a server bound to 0.0.0.0 answers from 127.0.0.2 when asked there).
// Truncated datagrams (larger than the 64 KiB buffer) are dropped and counted,
// never echoed cut short.
//
// Example:
//   DatagramEcho echo(counters);
//   if (udp socket is readable) echo.serve_ready(udp_fd);
#pragma once

#include <cstddef>
#include <vector>

#include "reference/server/counters.h"

namespace echo::server {

class DatagramEcho {
 public:
  // Larger than any UDP payload over IPv4 (65,507) or IPv6 without jumbograms (65,527).
  static constexpr std::size_t kBufferSize = 64 * 1024;

  explicit DatagramEcho(Counters& counters) : counters_(counters), buffer_(kBufferSize) {}

  // Answers the datagrams queued on a non-blocking socket, at most `budget`
  // of them so one busy socket cannot starve the rest of an event loop.
  void serve_ready(int fd, int budget = 64);

 private:
  Counters& counters_;
  std::vector<std::byte> buffer_;
};

}  // namespace echo::server
