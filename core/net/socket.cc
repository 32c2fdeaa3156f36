#include "core/net/socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "core/net/io.h"

namespace echo {
namespace {

Result<Fd> open_socket(int family, int type, Syscalls& syscalls) {
  int fd = syscalls.socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return system_error("cannot create a socket", errno);
  return Fd(fd, syscalls);
}

Status set_int_option(int fd, int level, int name, int value, const char* what,
                      Syscalls& syscalls) {
  if (syscalls.setsockopt(fd, level, name, &value, sizeof value) != 0) {
    return system_error(std::string("cannot set ") + what, errno);
  }
  return {};
}

Error no_address(std::string_view what) {
  return Error{std::string("cannot ") + std::string(what) + ": no address given",
               std::make_error_code(std::errc::invalid_argument)};
}

// bind() with a message a person can act on.
Status bind_to(int fd, const Endpoint& address, Syscalls& syscalls) {
  if (syscalls.bind(fd, address.sockaddr_ptr(), address.sockaddr_len()) == 0) return {};
  const int saved = errno;
  Error error = system_error("cannot bind " + address.to_string(), saved);
  if (saved == EACCES && address.port() < 1024) {
    error.message += " (ports below 1024 need privileges; try a port above 1023, e.g. 7007)";
  } else if (saved == EADDRINUSE) {
    error.message += " (the address is in use by another socket; choose another port)";
  } else if (saved == EADDRNOTAVAIL) {
    error.message += " (no interface of this host has that address)";
  }
  return error;
}

// connect() on a non-blocking socket; EINPROGRESS (and EINTR, after which the
// connection continues in the background) are not failures.
int start_connect(int fd, const Endpoint& address, Syscalls& syscalls) {
  if (syscalls.connect(fd, address.sockaddr_ptr(), address.sockaddr_len()) == 0) return 0;
  return (errno == EINPROGRESS || errno == EINTR) ? EINPROGRESS : errno;
}

Result<Endpoint> read_name(int fd, bool peer, Syscalls& syscalls) {
  sockaddr_storage storage{};
  socklen_t length = sizeof storage;
  auto* address = reinterpret_cast<sockaddr*>(&storage);
  int rc = peer ? syscalls.getpeername(fd, address, &length)
                : syscalls.getsockname(fd, address, &length);
  if (rc != 0) return system_error(peer ? "getpeername" : "getsockname", errno);
  std::optional<Endpoint> endpoint = Endpoint::from_sockaddr(address, length);
  if (!endpoint) {
    return Error{"the socket is not an IPv4 or IPv6 socket",
                 std::make_error_code(std::errc::address_family_not_supported)};
  }
  return *endpoint;
}

}  // namespace

Result<Fd> tcp_listen(const Endpoint& address, const ListenOptions& options, Syscalls& syscalls) {
  if (address.empty()) return no_address("listen");
  Result<Fd> fd = open_socket(address.family(), SOCK_STREAM, syscalls);
  if (!fd) return fd;
  const int s = fd->get();
  if (Status st = set_int_option(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", syscalls); !st) {
    return st.error();
  }
  if (address.family() == AF_INET6) {
    Status st = set_int_option(s, IPPROTO_IPV6, IPV6_V6ONLY, options.v6_only ? 1 : 0, "IPV6_V6ONLY",
                               syscalls);
    if (!st) return st.error();
  }
  if (Status st = bind_to(s, address, syscalls); !st) return st.error();
  if (syscalls.listen(s, options.backlog) != 0) {
    return system_error("cannot listen on " + address.to_string(), errno);
  }
  return fd;
}

Result<Fd> tcp_connect(const Endpoint& address, Deadline deadline, Syscalls& syscalls) {
  if (address.empty()) return no_address("connect");
  const auto started = Deadline::Clock::now();
  const std::string what = "cannot connect to " + address.to_string();
  Result<Fd> fd = open_socket(address.family(), SOCK_STREAM, syscalls);
  if (!fd) return fd;
  int failure = start_connect(fd->get(), address, syscalls);
  if (failure == 0) return fd;
  if (failure != EINPROGRESS) return system_error(what, failure);

  Result<short> ready =
      wait_ready(fd->get(), POLLOUT, deadline, "waiting to connect to " + address.to_string(),
                 started, syscalls);
  if (!ready) return ready.error();
  int so_error = 0;
  socklen_t length = sizeof so_error;
  if (syscalls.getsockopt(fd->get(), SOL_SOCKET, SO_ERROR, &so_error, &length) != 0) {
    return system_error(what, errno);
  }
  if (so_error != 0) return system_error(what, so_error);
  return fd;
}

Result<Fd> tcp_accept(int listener, Endpoint* peer, Syscalls& syscalls) {
  for (;;) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    auto* address = reinterpret_cast<sockaddr*>(&storage);
    int fd = syscalls.accept4(listener, address, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return system_error("no connection is waiting to be accepted", EAGAIN);
      }
      return system_error("cannot accept a connection", errno);
    }
    if (peer != nullptr) *peer = Endpoint::from_sockaddr(address, length).value_or(Endpoint{});
    return Fd(fd, syscalls);
  }
}

Result<Fd> udp_socket(int family, Syscalls& syscalls) {
  if (family != AF_INET && family != AF_INET6) {
    return Error{"a UDP socket needs AF_INET or AF_INET6",
                 std::make_error_code(std::errc::address_family_not_supported)};
  }
  return open_socket(family, SOCK_DGRAM, syscalls);
}

Result<Fd> udp_connect(const Endpoint& peer, Syscalls& syscalls) {
  if (peer.empty()) return no_address("connect");
  Result<Fd> fd = udp_socket(peer.family(), syscalls);
  if (!fd) return fd;
  for (;;) {
    if (syscalls.connect(fd->get(), peer.sockaddr_ptr(), peer.sockaddr_len()) == 0) return fd;
    if (errno != EINTR) return system_error("cannot connect to " + peer.to_string(), errno);
  }
}

Result<Fd> udp_bind(const Endpoint& address, bool want_destination, Syscalls& syscalls) {
  if (address.empty()) return no_address("bind");
  Result<Fd> fd = udp_socket(address.family(), syscalls);
  if (!fd) return fd;
  const int s = fd->get();
  const bool v6 = address.family() == AF_INET6;
  if (v6) {
    Status st = set_int_option(s, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", syscalls);
    if (!st) return st.error();
  }
  if (want_destination) {
    Status st =
        v6 ? set_int_option(s, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO", syscalls)
           : set_int_option(s, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", syscalls);
    if (!st) return st.error();
  }
  if (Status st = bind_to(s, address, syscalls); !st) return st.error();
  return fd;
}

Result<Endpoint> local_endpoint(int fd, Syscalls& syscalls) {
  return read_name(fd, false, syscalls);
}

Result<Endpoint> peer_endpoint(int fd, Syscalls& syscalls) { return read_name(fd, true, syscalls); }

Status set_tcp_nodelay(int fd, bool on, Syscalls& syscalls) {
  return set_int_option(fd, IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY", syscalls);
}

Status set_linger_reset(int fd, Syscalls& syscalls) {
  linger option{1, 0};
  if (syscalls.setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, sizeof option) != 0) {
    return system_error("cannot set SO_LINGER", errno);
  }
  return {};
}

}  // namespace echo
