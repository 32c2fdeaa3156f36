// DatagramClient: a UDP socket aimed at the target, for the UDP cases.
// Unconnected by default, so that a reply is seen whatever address it comes
// from (judging the source is udp.reply.source-address's job alone); when no
// reply comes, no_reply() asks a connected socket whether the port is closed
// (ICMP port unreachable surfaces as ECONNREFUSED only there).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conformance/cases/support/observe.h"
#include "conformance/model/case.h"
#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::conformance {

struct Reply {
  std::vector<std::byte> data;  // at most the receive buffer (65,536 bytes)
  bool truncated = false;       // the datagram was larger than the buffer
  Endpoint from;
};

class DatagramClient {
 public:
  [[nodiscard]] static Result<DatagramClient> open(const Endpoint& target, bool connected = false);

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] Status send(std::span<const std::byte> data);
  // The next datagram by the deadline. A timeout has code std::errc::timed_out;
  // an ICMP port unreachable has std::errc::connection_refused.
  [[nodiscard]] Result<Reply> receive(Deadline deadline);

 private:
  DatagramClient(Fd fd, Endpoint target) : fd_(std::move(fd)), target_(target), buffer_(65536) {}
  Fd fd_;
  Endpoint target_;
  std::vector<std::byte> buffer_;
};

// The problem of a receive that failed: "no reply within 1000 ms", or, when a
// connected probe finds the port closed, "no UDP service at 127.0.0.1:7
// (ICMP port unreachable: ...)". `trace` (the datagrams sent, the replies so
// far) goes into the problem, marked port_unreachable when it was.
[[nodiscard]] Problem no_reply(const CaseContext& context, const Error& error,
                               std::chrono::milliseconds waited, const std::string& expected,
                               DatagramTrace trace);

// Sends `message` in one datagram and checks that exactly the same bytes come
// back in one reply within `wait`; nullopt when they do.
[[nodiscard]] std::optional<Problem> datagram_echo(const CaseContext& context,
                                                   std::span<const std::byte> message,
                                                   std::chrono::milliseconds wait);

}  // namespace echo::conformance
