#include "reference/server/udp_echo.h"

#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/address/endpoint.h"

namespace echo::server {
namespace {

// How many datagrams `length` bytes cut into `segment`-byte pieces make (a last, shorter one too).
std::size_t datagrams_in(std::size_t length, std::size_t segment) noexcept {
  if (segment == 0 || length <= segment) return 1;
  return (length + segment - 1) / segment;
}

bool is_would_block(int error) noexcept { return error == EAGAIN || error == EWOULDBLOCK; }

}  // namespace

DatagramEcho::DatagramEcho(Syscalls& syscalls, Counters& counters, const GuardSettings& guard,
                           const Logger* log)
    : syscalls_(syscalls),
      counters_(counters),
      guard_(guard, counters, log),
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
    replies_count_ = 0;
    vectors_count_ = 0;
    if (guard_.active()) batch_time_ = std::chrono::steady_clock::now().time_since_epoch();
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t datagrams = 0;
      const Disposition disposition = prepare_reply(i, datagrams);
      add(counters_.datagrams_in, datagrams);
      if (disposition == Disposition::kDropped) add(counters_.datagrams_dropped, datagrams);
    }
    finish_replies();
    send_replies(fd);
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
    n = syscalls_.recvmmsg(fd, received_.data(), static_cast<unsigned>(count), MSG_DONTWAIT,
                           nullptr);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (!is_would_block(errno)) add(counters_.errors);
    return 0;
  }
  return static_cast<std::size_t>(n);
}

DatagramEcho::Disposition DatagramEcho::prepare_reply(std::size_t i, std::size_t& datagrams) {
  msghdr& in = received_[i].msg_hdr;
  const std::size_t length = received_[i].msg_len;
  const std::size_t segment = read_udp_gro_segment(in);
  datagrams = datagrams_in(length, segment);
  // Never echo a datagram cut short.
  if ((in.msg_flags & MSG_TRUNC) != 0) return Disposition::kDropped;
  // Without all its control messages a GRO burst would look like one datagram.
  if ((in.msg_flags & MSG_CTRUNC) != 0) {
    add(counters_.errors);
    return Disposition::kDropped;
  }
  Endpoint destination;
  int interface_index = 0;
  const bool have_destination = read_packet_info(in, destination, interface_index);
  const auto* peer = static_cast<const sockaddr*>(in.msg_name);
  if (have_destination && in.msg_namelen >= sizeof(sa_family_t) &&
      destination.family() != peer->sa_family) {
    add(counters_.errors);  // as send_datagram(): cannot answer across address families
    return Disposition::kDropped;
  }
  if (!guard_.admit(peer, in.msg_namelen, destination,
                    {static_cast<const std::byte*>(slots_[i].data.iov_base), length}, datagrams,
                    batch_time_)) {
    return Disposition::kRefused;
  }

  iovec& data = reply_vectors_[vectors_count_++];
  data = {slots_[i].data.iov_base, length};
  if (datagrams == 1 && joins_last_reply(in, length, destination, interface_index)) {
    Reply& run = reply_info_[replies_count_ - 1];
    ++replies_[replies_count_ - 1].msg_hdr.msg_iovlen;
    ++run.datagrams;
    run.bytes += length;
    run.open = length == run.segment;  // a shorter datagram ends the run
    return Disposition::kAnswered;
  }

  Reply& reply = reply_info_[replies_count_];
  msghdr& out = replies_[replies_count_++].msg_hdr;
  out.msg_name = in.msg_name;
  out.msg_namelen = in.msg_namelen;
  out.msg_iov = &data;
  out.msg_iovlen = 1;
  // The packet information was read above: the slot's control buffer is free for the reply's.
  reply.info_length =
      have_destination ? write_packet_info(destination, interface_index, slots_[i].control) : 0;
  out.msg_control = slots_[i].control;
  out.msg_controllen = reply.info_length;
  out.msg_flags = 0;
  reply.datagrams = datagrams;
  reply.bytes = length;
  reply.segment = datagrams > 1 ? segment : length;
  reply.open =
      datagrams == 1 && length > 0 && length <= kMaxMergedSize && length < refused_segment_;
  reply.destination = have_destination ? destination : Endpoint{};
  reply.interface_index = interface_index;
  return Disposition::kAnswered;
}

bool DatagramEcho::joins_last_reply(const msghdr& in, std::size_t length,
                                    const Endpoint& destination, int interface_index) const {
  if (replies_count_ == 0) return false;
  const Reply& run = reply_info_[replies_count_ - 1];
  const msghdr& out = replies_[replies_count_ - 1].msg_hdr;
  return run.open && length > 0 && length <= run.segment && run.datagrams < kMaxMergedDatagrams &&
         run.bytes + length <= kMaxMergedBytes && out.msg_namelen == in.msg_namelen &&
         std::memcmp(out.msg_name, in.msg_name, in.msg_namelen) == 0 &&
         run.destination == destination && run.interface_index == interface_index;
}

void DatagramEcho::finish_replies() {
  for (std::size_t k = 0; k < replies_count_; ++k) {
    const Reply& reply = reply_info_[k];
    msghdr& out = replies_[k].msg_hdr;
    if (reply.datagrams > 1) {
      auto* control = static_cast<unsigned char*>(out.msg_control);
      out.msg_controllen =
          reply.info_length +
          write_udp_segment(static_cast<std::uint16_t>(reply.segment), control + reply.info_length);
    }
    if (out.msg_controllen == 0) out.msg_control = nullptr;
  }
}

bool DatagramEcho::refused_before(const Reply& reply) const noexcept {
  return reply.datagrams > 1 && reply.segment >= refused_segment_;
}

void DatagramEcho::send_replies(int fd) {
  std::size_t next = 0;
  while (next < replies_count_) {
    if (refused_before(reply_info_[next])) {  // a GRO burst the kernel would refuse again
      send_separately(fd, next++);
      continue;
    }
    std::size_t end = next + 1;
    while (end < replies_count_ && !refused_before(reply_info_[end])) ++end;
    const int n = syscalls_.sendmmsg(fd, replies_.data() + next, static_cast<unsigned>(end - next),
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      for (int k = 0; k < n; ++k) add(counters_.datagrams_out, reply_info_[next++].datagrams);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int error = n < 0 ? errno : 0;
    const Reply& failed = reply_info_[next];
    if (failed.datagrams > 1 && error != 0 && !is_would_block(error) && error != ENOBUFS) {
      // Refused segmented: send its datagrams one by one. Only if that works was
      // the segmenting the problem (a reply to a broadcast or to port 0 fails
      // either way): then no longer segment at that size (EINVAL/EMSGSIZE: the
      // route's MTU is smaller) or at all (EIO: no checksum offload).
      const bool segmenting_was_the_problem = send_separately(fd, next++);
      if (segmenting_was_the_problem && (error == EINVAL || error == EMSGSIZE)) {
        refused_segment_ = std::min(refused_segment_, failed.segment);
      } else if (segmenting_was_the_problem) {
        refused_segment_ = 0;
      }
      continue;
    }
    // EAGAIN: the send buffer is full; UDP may drop, and so do we.
    add(counters_.datagrams_dropped, failed.datagrams);
    if (!is_would_block(error)) add(counters_.errors);
    ++next;
  }
}

bool DatagramEcho::send_separately(int fd, std::size_t k) {
  bool all_sent = true;
  const Reply& reply = reply_info_[k];
  msghdr one = replies_[k].msg_hdr;
  one.msg_controllen = reply.info_length;  // the packet information, without UDP_SEGMENT
  if (one.msg_controllen == 0) one.msg_control = nullptr;
  const msghdr& whole = replies_[k].msg_hdr;
  for (std::size_t v = 0; v < whole.msg_iovlen; ++v) {
    const iovec& data = whole.msg_iov[v];
    for (std::size_t offset = 0; offset < data.iov_len; offset += reply.segment) {
      iovec piece{static_cast<std::byte*>(data.iov_base) + offset,
                  std::min(reply.segment, data.iov_len - offset)};
      one.msg_iov = &piece;
      one.msg_iovlen = 1;
      ssize_t sent;
      do {
        sent = syscalls_.sendmsg(fd, &one, MSG_NOSIGNAL | MSG_DONTWAIT);
      } while (sent < 0 && errno == EINTR);
      if (sent >= 0) {
        add(counters_.datagrams_out);
        continue;
      }
      all_sent = false;
      add(counters_.datagrams_dropped);
      if (!is_would_block(errno)) add(counters_.errors);
    }
  }
  return all_sent;
}

}  // namespace echo::server
