// UDP echo: one reply per datagram, with exactly its bytes (zero-length
// datagrams included), sent from the address and port the request was sent to
// (so a server bound to 0.0.0.0 answers from 127.0.0.2 when asked there).
// Truncated datagrams (larger than the 64 KiB buffer) are dropped and counted,
// never echoed cut short.
//
// Datagrams are served in batches: one recvmmsg() takes up to kBatch of them,
// one sendmmsg() sends their replies (each with its own IP_PKTINFO source),
// so a busy socket costs two system calls per batch instead of two per datagram.
//
// Example:
//   DatagramEcho echo(counters);
//   if (udp socket is readable) echo.serve_ready(udp_fd);
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <memory>

#include "core/net/udp.h"
#include "reference/server/counters.h"

namespace echo::server {

class DatagramEcho {
 public:
  // Larger than any UDP payload over IPv4 (65,507) or IPv6 without jumbograms (65,527).
  static constexpr std::size_t kBufferSize = 64 * 1024;
  static constexpr std::size_t kBatch = 64;

  explicit DatagramEcho(Counters& counters);

  // Answers the datagrams queued on a non-blocking socket, at most `budget`
  // of them so one busy socket cannot starve the rest of an event loop.
  void serve_ready(int fd, int budget = 64);

 private:
  struct Slot {
    sockaddr_storage peer;
    alignas(cmsghdr) unsigned char control[kPacketInfoSpace];
    iovec data;
  };

  // One recvmmsg() of up to `count` datagrams; how many arrived (0: none or an error).
  std::size_t receive_batch(int fd, std::size_t count);
  // Turns received message i into its reply in replies_; whether it is to be sent.
  bool prepare_reply(std::size_t i, std::size_t& replies);
  // Sends replies_[0, count) with sendmmsg(), dropping (and counting) any that fail.
  void send_replies(int fd, std::size_t count);

  Counters& counters_;
  // kBatch buffers of kBufferSize, not zeroed: pages are touched only by what arrives.
  std::unique_ptr<std::byte[]> buffers_;
  std::array<Slot, kBatch> slots_{};
  std::array<mmsghdr, kBatch> received_{};
  std::array<mmsghdr, kBatch> replies_{};
};

}  // namespace echo::server
