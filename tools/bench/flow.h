// The two kinds of flow a worker drives, with one interface:
//   TcpStream: one TCP connection; the echo must be the exact byte stream sent.
//   UdpFlow:   one connected UDP socket; each echo must be an intact record
//              that was sent; loss, duplication and reordering are counted.
//              UDP_GRO is always asked for (best effort): a server's GSO burst
//              then arrives as one buffer of several datagrams with a UDP_GRO
//              control message giving the segment size, and is split back into
//              datagrams, each verified on its own. A datagram that merely holds
//              two records (no GSO) still arrives as one datagram and fails.
//              With `gso` (echo-bench --gso), flush() sends the pushed records
//              as one sendmsg() with a UDP_SEGMENT control message (up to 64
//              datagrams, 65,507 bytes, per call); if the kernel refuses that
//              (no checksum offload, segment plus headers above the route MTU,
//              ... also after GSO sends worked: the path MTU can drop), the flow
//              falls back to sendmmsg() for the rest of the run, where a real
//              error then shows. udp_counts() counts the GSO sends made, the
//              fallback and the GRO bursts received.
// Both keep records in a ring of `window` slots filled once with the payload;
// a new message only rewrites its sequence, time stamp and checksum.
//
//   push(stamp)        stamps the next record (can_push() first); nothing is sent yet
//   flush()            sends what was pushed, until done or the socket is full
//   receive(scratch, on_echo)
//                      reads what is there, verifies it and calls on_echo(stamp_ns)
//                      for each message echoed (the stamp from the record itself)
// An IoResult that is not kOk ends the flow; error() then says why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/net/fd.h"
#include "tools/bench/probe_stamper.h"
#include "tools/bench/stats.h"

namespace echo::bench {

struct IoResult {
  enum State { kOk, kVerification, kConnection };
  State state = kOk;
  std::uint64_t bytes = 0;
};

class TcpStream {
 public:
  TcpStream(Fd fd, const ProbeStamper& stamper, unsigned window);

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] bool can_push() const noexcept { return pushed_ - echoed_ < window_; }
  void push(std::int64_t stamp_ns) noexcept;
  [[nodiscard]] bool wants_write() const noexcept { return sent_bytes_ < pushed_ * size_; }
  [[nodiscard]] IoResult flush() noexcept;
  template <class OnEcho>
  [[nodiscard]] IoResult receive(std::span<std::byte> scratch, OnEcho&& on_echo);
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t in_flight() const noexcept { return pushed_ - echoed_; }
  // Nothing to finish after the run: a TCP echo is complete or missing, never late.
  [[nodiscard]] UdpCounts udp_counts() const noexcept { return {}; }
  [[nodiscard]] std::size_t expire(std::int64_t, std::int64_t) noexcept { return 0; }

 private:
  [[nodiscard]] std::byte* slot(std::uint64_t record) noexcept {
    return ring_.data() + (record % window_) * size_;
  }
  // Compares the first echoed bytes, up to the end of the record they belong to,
  // with the stream sent. Returns how many matched, or 0 (error_ set) on a
  // difference. *completed: a record was completed, *stamp: its time stamp.
  std::size_t verify_some(std::span<const std::byte> echoed, std::int64_t* stamp, bool* completed);

  Fd fd_;
  const ProbeStamper& stamper_;
  std::size_t size_;
  std::uint64_t window_;
  std::vector<std::byte> ring_;
  std::uint64_t pushed_ = 0;  // records stamped
  std::uint64_t echoed_ = 0;  // records echoed and verified
  std::uint64_t sent_bytes_ = 0;
  std::uint64_t echoed_bytes_ = 0;
  std::string error_;
};

class UdpFlow {
 public:
  // receive() reads up to kReceiveBatch messages of up to kReceiveSlot bytes (a
  // whole GRO burst) per system call: give it kReceiveBatch * kReceiveSlot bytes.
  static constexpr unsigned kReceiveBatch = 32;
  static constexpr std::size_t kReceiveSlot = 65536;
  static constexpr unsigned kMaxGsoSegments = 64;     // the kernel's UDP_MAX_SEGMENTS (older ones)
  static constexpr std::size_t kMaxGsoBytes = 65507;  // one IPv4 datagram's payload at most

  // Sets UDP_GRO on `fd` (ignored where the kernel lacks it); `gso`: send with UDP_SEGMENT.
  UdpFlow(Fd fd, const ProbeStamper& stamper, unsigned window, bool gso = false);

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] bool can_push() const noexcept { return pushed_ - resolved_ < window_; }
  void push(std::int64_t stamp_ns) noexcept;
  [[nodiscard]] bool wants_write() const noexcept { return sent_ < pushed_; }
  [[nodiscard]] IoResult flush() noexcept;
  template <class OnEcho>
  [[nodiscard]] IoResult receive(std::span<std::byte> scratch, OnEcho&& on_echo);
  // Gives up on datagrams sent before now - timeout: they no longer hold a
  // window slot (an echo arriving later counts as late). Returns how many.
  std::size_t expire(std::int64_t now_ns, std::int64_t timeout_ns) noexcept;
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] std::uint64_t in_flight() const noexcept { return pushed_ - resolved_; }
  [[nodiscard]] UdpCounts udp_counts() const noexcept { return counts_; }
  // Sending with UDP_SEGMENT: asked for, and not refused by the kernel (not
  // necessarily used: udp_counts().gso_sends says how often it was).
  [[nodiscard]] bool gso() const noexcept { return gso_; }

 private:
  enum : std::uint8_t { kInFlight, kEchoed, kExpired };
  // One system call's worth of pushed records; return datagrams sent, or -1 (errno set).
  int send_batch() noexcept;  // sendmmsg(), a datagram per message
  // How many of the pushed records one GSO send may take (< 2: send them plainly).
  [[nodiscard]] unsigned gso_count() const noexcept;
  int send_gso(unsigned count) noexcept;  // sendmsg() of `count` (>= 2) records with UDP_SEGMENT
  // Bookkeeping for the next `count` records, just sent.
  void note_sent(unsigned count);
  // Verifies one received message: a datagram, or with a UDP_GRO segment size
  // (`segment` > 0) several back to back. Calls on_echo for each first echo.
  template <class OnEcho>
  bool accept_message(std::span<const std::byte> message, int segment, OnEcho& on_echo);
  // Accounts for one datagram; false (and error_ set) if it is not an intact record we sent.
  bool accept(std::span<const std::byte> datagram, std::int64_t* stamp, bool* first);

  Fd fd_;
  const ProbeStamper& stamper_;
  std::size_t size_;
  std::uint64_t window_;
  std::vector<std::byte> ring_;
  std::uint64_t pushed_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t resolved_ = 0;       // echoed or expired
  std::uint64_t highest_ = 0;        // highest sequence echoed + 1
  std::vector<std::uint8_t> state_;  // per sequence number (one byte per datagram of the run)
  std::deque<std::pair<std::uint64_t, std::int64_t>> sent_log_;  // (sequence, stamp), send order
  UdpCounts counts_;
  bool gso_ = false;
  std::string error_;
};

}  // namespace echo::bench

#include "tools/bench/flow_receive.h"  // the receive() templates
