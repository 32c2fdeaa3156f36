// The receive() templates of TcpStream and UdpFlow (flow.h), in a header of
// their own so the callback inlines into the worker's loop.
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/net/udp.h"
#include "tools/bench/flow.h"

namespace echo::bench {

template <class OnEcho>
IoResult TcpStream::receive(std::span<std::byte> scratch, OnEcho&& on_echo) {
  IoResult result;
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), scratch.data(), scratch.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return result;
    if (n <= 0) {
      error_ = n == 0 ? "the server closed the connection" : std::strerror(errno);
      error_ += " with " + std::to_string(sent_bytes_ - echoed_bytes_) + " bytes not echoed";
      result.state = IoResult::kConnection;
      return result;
    }
    result.bytes += static_cast<std::uint64_t>(n);
    std::span<const std::byte> echoed = scratch.first(static_cast<std::size_t>(n));
    while (!echoed.empty()) {
      std::int64_t stamp = 0;
      bool completed = false;
      const std::size_t used = verify_some(echoed, &stamp, &completed);
      if (used == 0) {
        result.state = IoResult::kVerification;
        return result;
      }
      echoed = echoed.subspan(used);
      if (completed) on_echo(stamp);
    }
    // A short read means the socket is drained: level-triggered epoll reports more.
    if (static_cast<std::size_t>(n) < scratch.size()) return result;
  }
}

template <class OnEcho>
IoResult UdpFlow::receive(std::span<std::byte> scratch, OnEcho&& on_echo) {
  constexpr unsigned kBatch = kReceiveBatch;
  constexpr std::size_t kControl = CMSG_SPACE(sizeof(int));
  const std::size_t slot = std::min<std::size_t>(scratch.size() / kBatch, kReceiveSlot);
  mmsghdr messages[kBatch];
  iovec vectors[kBatch];
  alignas(cmsghdr) unsigned char control[kBatch][kControl];
  IoResult result;
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      vectors[i] = {scratch.data() + i * slot, slot};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_control = control[i];
      messages[i].msg_hdr.msg_controllen = kControl;
    }
    const int n = ::recvmmsg(fd_.get(), messages, kBatch, MSG_DONTWAIT, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return result;
    if (n < 0) {
      error_ = std::string("receive failed: ") + std::strerror(errno);
      result.state = IoResult::kConnection;
      return result;
    }
    for (int i = 0; i < n; ++i) {
      msghdr& header = messages[i].msg_hdr;
      const std::size_t length = messages[i].msg_len;
      result.bytes += length;
      if ((header.msg_flags & MSG_TRUNC) != 0) {
        error_ = "a datagram longer than " + std::to_string(slot) + " bytes came back";
        result.state = IoResult::kVerification;
        return result;
      }
      // A GRO burst's segment size; 0: one datagram.
      const int segment = static_cast<int>(read_udp_gro_segment(header));
      const std::span<const std::byte> message(scratch.data() + i * slot, length);
      if (!accept_message(message, segment, on_echo)) {
        result.state = IoResult::kVerification;
        return result;
      }
    }
    if (n < static_cast<int>(kBatch)) return result;
  }
}

template <class OnEcho>
bool UdpFlow::accept_message(std::span<const std::byte> message, int segment, OnEcho& on_echo) {
  if (segment > 0) ++counts_.gro_bursts;
  // Each datagram of a burst is `segment` bytes but the last, which may be shorter.
  const std::size_t step = segment > 0 ? static_cast<std::size_t>(segment) : message.size();
  do {
    const std::span<const std::byte> datagram = message.first(std::min(step, message.size()));
    message = message.subspan(datagram.size());
    std::int64_t stamp = 0;
    bool first = false;
    if (!accept(datagram, &stamp, &first)) return false;
    if (first) on_echo(stamp);
  } while (!message.empty());
  return true;
}

}  // namespace echo::bench
