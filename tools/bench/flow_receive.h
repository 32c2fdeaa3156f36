// The receive() templates of TcpStream and UdpFlow (flow.h), in a header of
// their own so the callback inlines into the worker's loop.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

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
  constexpr unsigned kBatch = 32;
  const std::size_t slot = std::min<std::size_t>(scratch.size() / kBatch, 65536);
  mmsghdr messages[kBatch];
  iovec vectors[kBatch];
  IoResult result;
  for (;;) {
    for (unsigned i = 0; i < kBatch; ++i) {
      vectors[i] = {scratch.data() + i * slot, slot};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
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
      const std::size_t length = messages[i].msg_len;
      result.bytes += length;
      std::int64_t stamp = 0;
      bool first = false;
      if ((messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0 ||
          !accept(std::span<const std::byte>(scratch.data() + i * slot, length), &stamp, &first)) {
        if (error_.empty()) error_ = "a datagram longer than 65536 bytes came back";
        result.state = IoResult::kVerification;
        return result;
      }
      if (first) on_echo(stamp);
    }
    if (n < static_cast<int>(kBatch)) return result;
  }
}

}  // namespace echo::bench
