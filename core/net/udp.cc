#include "core/net/udp.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/net/io.h"
#include "core/net/socket.h"

namespace echo {
namespace {

template <class T>
T read_cmsg(const cmsghdr* header) {
  T value;
  std::memcpy(&value, CMSG_DATA(header), sizeof value);
  return value;
}

std::string describe_peer(const Endpoint& peer) {
  return peer.empty() ? std::string("the connected peer") : peer.to_string();
}

}  // namespace

bool read_packet_info(msghdr& message, Endpoint& destination, int& interface_index) noexcept {
  bool found = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
        c->cmsg_len >= CMSG_LEN(sizeof(in_pktinfo))) {
      auto info = read_cmsg<in_pktinfo>(c);
      destination = Endpoint::v4(info.ipi_addr, 0);
      interface_index = info.ipi_ifindex;
      found = true;
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
               c->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
      auto info = read_cmsg<in6_pktinfo>(c);
      destination = Endpoint::v6(info.ipi6_addr, 0);
      interface_index = static_cast<int>(info.ipi6_ifindex);
      found = true;
    }
  }
  return found;
}

std::size_t write_packet_info(const Endpoint& source, int interface_index, void* control) noexcept {
  auto* c = static_cast<cmsghdr*>(control);
  if (source.family() == AF_INET) {
    in_pktinfo info{};
    info.ipi_ifindex = interface_index;
    info.ipi_spec_dst = reinterpret_cast<const sockaddr_in*>(source.sockaddr_ptr())->sin_addr;
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof info);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    return CMSG_SPACE(sizeof info);
  }
  in6_pktinfo info{};
  info.ipi6_ifindex = static_cast<unsigned>(interface_index);
  info.ipi6_addr = reinterpret_cast<const sockaddr_in6*>(source.sockaddr_ptr())->sin6_addr;
  c->cmsg_level = IPPROTO_IPV6;
  c->cmsg_type = IPV6_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof info);
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return CMSG_SPACE(sizeof info);
}

std::size_t write_udp_segment(std::uint16_t segment, void* control) noexcept {
  auto* c = static_cast<cmsghdr*>(control);
  c->cmsg_level = SOL_UDP;
  c->cmsg_type = UDP_SEGMENT;
  c->cmsg_len = CMSG_LEN(sizeof segment);
  std::memcpy(CMSG_DATA(c), &segment, sizeof segment);
  return kUdpSegmentSpace;
}

std::size_t read_udp_gro_segment(msghdr& message) noexcept {
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO &&
        c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      const int size = read_cmsg<int>(c);
      return size > 0 ? static_cast<std::size_t>(size) : 0;
    }
  }
  return 0;
}

bool enable_udp_gro(int fd, Syscalls& syscalls) noexcept {
  const int on = 1;
  return syscalls.setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof on) == 0;
}

Result<Datagram> receive_datagram(int fd, std::span<std::byte> into, Syscalls& syscalls) noexcept {
  sockaddr_storage peer{};
  iovec buffer{into.data(), into.size()};
  alignas(cmsghdr) unsigned char control[kPacketInfoSpace];
  msghdr message{};
  message.msg_name = &peer;
  message.msg_namelen = sizeof peer;
  message.msg_iov = &buffer;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;

  ssize_t n;
  do {
    n = syscalls.recvmsg(fd, &message, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return system_error("no datagram is waiting", EAGAIN);
    }
    return system_error("cannot receive a datagram", errno);
  }

  Datagram datagram;
  datagram.size = static_cast<std::size_t>(n);
  datagram.truncated = (message.msg_flags & MSG_TRUNC) != 0;
  datagram.peer =
      Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&peer), message.msg_namelen)
          .value_or(Endpoint{});
  if (read_packet_info(message, datagram.destination, datagram.interface_index)) {
    // Packet information carries no port: it is the socket's own.
    if (Result<Endpoint> local = local_endpoint(fd, syscalls)) {
      datagram.destination.set_port(local->port());
    }
  }
  return datagram;
}

Result<Datagram> receive_datagram(int fd, std::span<std::byte> into, Deadline deadline,
                                  Syscalls& syscalls) {
  const auto started = Deadline::Clock::now();
  for (;;) {
    Result<Datagram> datagram = receive_datagram(fd, into, syscalls);
    if (datagram || datagram.error().code != std::errc::resource_unavailable_try_again) {
      return datagram;
    }
    Result<short> ready =
        wait_ready(fd, POLLIN, deadline, "waiting for a datagram", started, syscalls);
    if (!ready) return ready.error();
  }
}

Status send_datagram(int fd, std::span<const std::byte> data, const Endpoint& peer,
                     const Endpoint& source, int interface_index, Syscalls& syscalls) noexcept {
  if (!source.empty() && !peer.empty() && source.family() != peer.family()) {
    return Error{"cannot send from " + source.to_string() + " to " + describe_peer(peer) +
                     ": the addresses are of different families",
                 std::make_error_code(std::errc::address_family_not_supported)};
  }
  iovec buffer{const_cast<std::byte*>(data.data()), data.size()};
  alignas(cmsghdr) unsigned char control[kPacketInfoSpace] = {};
  msghdr message{};
  message.msg_name = peer.empty() ? nullptr : const_cast<sockaddr*>(peer.sockaddr_ptr());
  message.msg_namelen = peer.sockaddr_len();
  message.msg_iov = &buffer;
  message.msg_iovlen = 1;
  if (!source.empty()) {
    message.msg_control = control;
    message.msg_controllen = write_packet_info(source, interface_index, control);
  }

  ssize_t n;
  do {
    n = syscalls.sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n >= 0) return {};
  // The message is built only now: formatting the peer cost a fifth of a UDP echo.
  const int saved = errno;
  if (saved == EMSGSIZE) {
    return system_error(
        "cannot send a " + std::to_string(data.size()) + "-byte datagram to " + describe_peer(peer),
        saved);
  }
  return system_error("cannot send a datagram to " + describe_peer(peer), saved);
}

}  // namespace echo
