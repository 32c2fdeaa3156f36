#include "reference/server/udp_echo.h"

#include <algorithm>
#include <cerrno>

#include "core/address/endpoint.h"
#include "core/net/syscalls.h"

namespace echo::server {

DatagramEcho::DatagramEcho(Counters& counters)
    : counters_(counters),
      buffers_(std::make_unique_for_overwrite<std::byte[]>(kBatch * kBufferSize)) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    slots_[i].data = {buffers_.get() + i * kBufferSize, kBufferSize};
  }
}

void DatagramEcho::serve_ready(int fd, int budget) {
  while (budget > 0) {
    const std::size_t wanted = std::min(kBatch, static_cast<std::size_t>(budget));
    const std::size_t count = receive_batch(fd, wanted);
    if (count == 0) return;
    budget -= static_cast<int>(count);
    add(counters_.datagrams_in, count);
    std::size_t replies = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!prepare_reply(i, replies)) add(counters_.datagrams_dropped);
    }
    send_replies(fd, replies);
    if (count < wanted) return;  // the queue is empty: no recvmmsg() just for EAGAIN
  }
}

std::size_t DatagramEcho::receive_batch(int fd, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    slots_[i].data.iov_len = kBufferSize;  // a reply may have shortened it
    msghdr& message = received_[i].msg_hdr;
    message.msg_name = &slots_[i].peer;
    message.msg_namelen = sizeof slots_[i].peer;
    message.msg_iov = &slots_[i].data;
    message.msg_iovlen = 1;
    message.msg_control = slots_[i].control;
    message.msg_controllen = sizeof slots_[i].control;
    message.msg_flags = 0;
  }
  int n;
  do {
    n = syscalls().recvmmsg(fd, received_.data(), static_cast<unsigned>(count), MSG_DONTWAIT,
                            nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) add(counters_.errors);
    return 0;
  }
  return static_cast<std::size_t>(n);
}

bool DatagramEcho::prepare_reply(std::size_t i, std::size_t& replies) {
  msghdr& in = received_[i].msg_hdr;
  if ((in.msg_flags & MSG_TRUNC) != 0) return false;  // never echo a datagram cut short
  Endpoint destination;
  int interface_index = 0;
  const bool have_destination = read_packet_info(in, destination, interface_index);
  const auto* peer = static_cast<const sockaddr*>(in.msg_name);
  if (have_destination && in.msg_namelen >= sizeof(sa_family_t) &&
      destination.family() != peer->sa_family) {
    add(counters_.errors);  // as send_datagram(): cannot answer across address families
    return false;
  }
  msghdr& out = replies_[replies++].msg_hdr;
  out.msg_name = in.msg_name;
  out.msg_namelen = in.msg_namelen;
  slots_[i].data.iov_len = received_[i].msg_len;
  out.msg_iov = &slots_[i].data;
  out.msg_iovlen = 1;
  out.msg_control = have_destination ? slots_[i].control : nullptr;
  out.msg_controllen =
      have_destination ? write_packet_info(destination, interface_index, slots_[i].control) : 0;
  out.msg_flags = 0;
  return true;
}

void DatagramEcho::send_replies(int fd, std::size_t count) {
  std::size_t next = 0;
  while (next < count) {
    const int n =
        syscalls().sendmmsg(fd, replies_.data() + next, static_cast<unsigned>(count - next),
                            MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      add(counters_.datagrams_out, static_cast<std::uint64_t>(n));
      next += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // This reply failed. EAGAIN: the send buffer is full; UDP may drop, and so do we.
    add(counters_.datagrams_dropped);
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) add(counters_.errors);
    ++next;
  }
}

}  // namespace echo::server
