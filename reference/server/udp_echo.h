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
// Segmentation offload (Linux UDP GSO/GRO), so the kernel's per-datagram work
// is done once per run of datagrams where it can be:
// - Replies to a run of datagrams from one peer to one local address, all of
//   one size except a shorter last one (at most kMaxMergedSize bytes each),
//   go out as ONE send with a UDP_SEGMENT size: the kernel cuts it back into
//   exactly those datagrams. A peer sees the same datagrams either way.
// - With UDP_GRO on (enable_receive_offload()), a burst a peer sent as one GSO
//   send may arrive as one buffer and a segment size; its reply goes back the
//   same way, so the datagram boundaries are the ones the peer chose.
// If the kernel refuses a segmented send, that reply is sent datagram by
// datagram instead, and if those go, segments of that size (EINVAL/EMSGSIZE:
// larger than the route's MTU) or of any size (EIO: no checksum offload) are
// not segmented again by this DatagramEcho: GRO bursts are then answered
// datagram by datagram. (The limit is per event loop, not per route.)
//
// Every receive and send goes through the Syscalls seam given (syscalls.h).
// Before a datagram is answered, a DatagramGuard (guard/datagram_guard.h) may
// refuse it: a loop, a reflection, or a source over its rate (docs/security.md).
// A refused datagram gets no reply and joins no merged run; it is counted by
// reason, not as dropped.
//
// Example:
//   DatagramEcho::enable_receive_offload(udp_fd);   // once, when the socket is made
//   DatagramEcho echo(context.syscalls, counters, context.guard, &context.log);
//   if (udp socket is readable) echo.serve_ready(udp_fd);
#pragma once

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/net/syscalls.h"
#include "core/net/udp.h"
#include "reference/server/counters.h"
#include "reference/server/guard/datagram_guard.h"
#include "reference/server/guard/guard_settings.h"
#include "reference/server/log.h"

namespace echo::server {

class DatagramEcho {
 public:
  // Larger than any UDP payload over IPv4 (65,507) or IPv6 without jumbograms (65,527).
  static constexpr std::size_t kBufferSize = 64 * 1024;
  static constexpr std::size_t kBatch = 64;
  // Merged replies: datagrams up to an Ethernet MTU over IPv6 (1500 - 40 - 8),
  // at most 64 of them (the kernel's UDP_MAX_SEGMENTS before Linux 6.2) and
  // at most one IPv4 UDP payload in all.
  static constexpr std::size_t kMaxMergedSize = 1452;
  static constexpr std::size_t kMaxMergedDatagrams = 64;
  static constexpr std::size_t kMaxMergedBytes = 65507;

  // The default GuardSettings answer every datagram; `log` (may be null) gets the guard's lines.
  DatagramEcho(Syscalls& syscalls, Counters& counters, const GuardSettings& guard = {},
               const Logger* log = nullptr);

  // Lets the socket deliver GSO bursts as one buffer (UDP_GRO). Only for a
  // socket whose every reader is a DatagramEcho. Best effort: false if the
  // kernel does not offer it (datagrams then simply arrive one by one).
  static bool enable_receive_offload(int fd, Syscalls& syscalls = Syscalls::real()) noexcept {
    return enable_udp_gro(fd, syscalls);
  }

  // Answers the datagrams queued on a non-blocking socket, at most `budget`
  // received messages' worth, so one busy socket cannot starve an event loop.
  void serve_ready(int fd, int budget = 64);

 private:
  // Packet information, then a GRO (received) or UDP_SEGMENT (sent) size.
  static constexpr std::size_t kControlSpace = kPacketInfoSpace + CMSG_SPACE(sizeof(int));
  static_assert(kUdpSegmentSpace <= CMSG_SPACE(sizeof(int)));

  struct Slot {
    sockaddr_storage peer;
    alignas(cmsghdr) unsigned char control[kControlSpace];
    iovec data;
  };
  // What replies_[k] carries beyond its msghdr.
  struct Reply {
    std::size_t datagrams = 0;  // the datagrams the kernel will send for it
    std::size_t bytes = 0;
    std::size_t segment = 0;      // every datagram's size but the last (<= segment)
    std::size_t info_length = 0;  // bytes of packet information in its control buffer
    bool open = false;            // a merged run that may still take datagrams
    Endpoint destination;         // the local address the requests were sent to
    int interface_index = 0;
  };

  // One recvmmsg() of up to `count` datagrams; how many arrived (0: none or an error).
  std::size_t receive_batch(int fd, std::size_t count);
  enum class Disposition { kAnswered, kDropped, kRefused };
  // Adds received message i to the replies (a new one, or the open run it
  // continues) unless it is to be dropped or the guard refuses it; the datagrams it holds.
  Disposition prepare_reply(std::size_t i, std::size_t& datagrams);
  [[nodiscard]] bool joins_last_reply(const msghdr& in, std::size_t length,
                                      const Endpoint& destination, int interface_index) const;
  // Adds UDP_SEGMENT to replies that carry more than one datagram.
  void finish_replies();
  // Sends replies_[0, replies_count_) with sendmmsg(), dropping (and counting) any that fail.
  void send_replies(int fd);
  // Sends reply k datagram by datagram (after the kernel refused it segmented);
  // whether every datagram went.
  bool send_separately(int fd, std::size_t k);
  // Whether the kernel has refused segmented sends of this reply's segment size.
  [[nodiscard]] bool refused_before(const Reply& reply) const noexcept;

  Syscalls& syscalls_;
  Counters& counters_;
  DatagramGuard guard_;
  std::chrono::nanoseconds batch_time_{0};  // when the batch arrived (read only if the guard is on)
  // kBatch buffers of kBufferSize, not zeroed: pages are touched only by what arrives.
  std::unique_ptr<std::byte[]> buffers_;
  std::array<Slot, kBatch> slots_{};
  std::array<mmsghdr, kBatch> received_{};
  std::array<mmsghdr, kBatch> replies_{};
  std::array<Reply, kBatch> reply_info_{};
  std::array<iovec, kBatch> reply_vectors_{};  // each reply's datagrams, in order
  std::size_t replies_count_ = 0;
  std::size_t vectors_count_ = 0;
  // Segmented sends with segments this large or larger were refused by the
  // kernel (0: all of them, after EIO and the like): never tried again.
  std::size_t refused_segment_ = SIZE_MAX;
};

}  // namespace echo::server
