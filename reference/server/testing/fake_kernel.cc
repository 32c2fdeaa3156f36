#include "reference/server/testing/fake_kernel.h"

#include <netinet/in.h>
#include <netinet/udp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/net/udp.h"

namespace echo::server {
namespace {

constexpr std::uint32_t kIn = EPOLLIN;
constexpr std::uint32_t kOut = EPOLLOUT;

const char* kind_name(int kind) {
  static const char* const kNames[] = {"listener", "connection", "UDP socket",
                                       "stop",     "epoll",      "file"};
  return kNames[kind];
}

}  // namespace

int FakeKernel::make(Kind kind) {
  const int fd = next_fd_++;
  objects_[fd].kind = kind;
  return fd;
}

int FakeKernel::add_listener() { return make(Kind::kListener); }

int FakeKernel::add_udp_socket() { return make(Kind::kUdp); }

int FakeKernel::add_stop() { return stop_fd_ = make(Kind::kStop); }

int FakeKernel::queue_client(int listener, std::string bytes, const Endpoint& peer, Then then) {
  const int fd = make(Kind::kConnection);
  Object& client = objects_.at(fd);
  client.open = false;  // until accepted
  client.peer = peer;
  client.to_receive = std::move(bytes);
  client.then = then;
  objects_.at(listener).backlog.push_back(fd);
  return fd;
}

void FakeKernel::queue_datagram(int udp_socket, std::string bytes, const Endpoint& peer) {
  objects_.at(udp_socket).queued.push_back({peer, std::move(bytes)});
}

void FakeKernel::raise_stop() {
  if (stop_fd_ >= 0) objects_.at(stop_fd_).raised = true;
}

const std::string& FakeKernel::sent_to(int connection) const {
  return objects_.at(connection).sent;
}

const std::vector<FakeKernel::Datagram>& FakeKernel::replies(int udp_socket) const {
  return objects_.at(udp_socket).replies;
}

bool FakeKernel::closed(int fd) const {
  auto it = objects_.find(fd);
  return it != objects_.end() && !it->second.open;
}

bool FakeKernel::option_set(int fd, int level, int name) const {
  const std::vector<std::pair<int, int>>& options = objects_.at(fd).options;
  return std::find(options.begin(), options.end(), std::pair{level, name}) != options.end();
}

std::size_t FakeKernel::open_descriptors() const {
  return static_cast<std::size_t>(std::count_if(
      objects_.begin(), objects_.end(), [](const auto& entry) { return entry.second.open; }));
}

int FakeKernel::fail(int error, std::string what) {
  unexpected_.push_back(std::move(what));
  errno = error;
  return -1;
}

int FakeKernel::not_for_the_loop(const char* call) {
  return fail(ENOSYS, std::string(call) + ": not a call the event loop makes");
}

FakeKernel::Object* FakeKernel::find_open(int fd, const char* call) {
  auto it = objects_.find(fd);
  if (it == objects_.end() || !it->second.open) {
    fail(EBADF, std::string(call) + "(" + std::to_string(fd) + "): not open");
    return nullptr;
  }
  return &it->second;
}

FakeKernel::Object* FakeKernel::find(int fd, Kind kind, const char* call) {
  Object* object = find_open(fd, call);
  if (object == nullptr || object->kind == kind) return object;
  fail(ENOTSOCK, std::string(call) + "(" + std::to_string(fd) + "): a " +
                     kind_name(static_cast<int>(object->kind)) + ", not a " +
                     kind_name(static_cast<int>(kind)));
  return nullptr;
}

ssize_t FakeKernel::recv(int fd, void* buffer, size_t length, int) {
  Object* connection = find(fd, Kind::kConnection, "recv");
  if (connection == nullptr) return -1;
  if (connection->to_receive.empty()) {
    if (connection->then == Then::kShutDown) return 0;
    errno = connection->then == Then::kReset ? ECONNRESET : EAGAIN;
    return -1;
  }
  const std::size_t n = std::min(length, connection->to_receive.size());
  std::memcpy(buffer, connection->to_receive.data(), n);
  connection->to_receive.erase(0, n);
  return static_cast<ssize_t>(n);
}

ssize_t FakeKernel::send(int fd, const void* buffer, size_t length, int) {
  Object* connection = find(fd, Kind::kConnection, "send");
  if (connection == nullptr) return -1;
  const std::size_t n = std::min(length, send_limit);
  connection->sent.append(static_cast<const char*>(buffer), n);
  return static_cast<ssize_t>(n);
}

void FakeKernel::record_reply(Object& udp, const msghdr& message) {
  const auto* name = static_cast<const sockaddr*>(message.msg_name);
  const Endpoint peer = Endpoint::from_sockaddr(name, message.msg_namelen).value_or(Endpoint{});
  std::string bytes;
  for (std::size_t v = 0; v < message.msg_iovlen; ++v) {
    bytes.append(static_cast<const char*>(message.msg_iov[v].iov_base), message.msg_iov[v].iov_len);
  }
  std::size_t segment = 0;
  msghdr copy = message;  // the CMSG macros take a non-const msghdr
  for (cmsghdr* c = CMSG_FIRSTHDR(&copy); c != nullptr; c = CMSG_NXTHDR(&copy, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_SEGMENT) {
      std::uint16_t size = 0;
      std::memcpy(&size, CMSG_DATA(c), sizeof size);
      segment = size;
    }
  }
  if (segment == 0 || bytes.size() <= segment) {
    udp.replies.push_back({peer, std::move(bytes)});
    return;
  }
  for (std::size_t offset = 0; offset < bytes.size(); offset += segment) {
    udp.replies.push_back({peer, bytes.substr(offset, segment)});
  }
}

ssize_t FakeKernel::sendmsg(int fd, const msghdr* message, int) {
  Object* udp = find(fd, Kind::kUdp, "sendmsg");
  if (udp == nullptr) return -1;
  record_reply(*udp, *message);
  ssize_t bytes = 0;
  for (std::size_t v = 0; v < message->msg_iovlen; ++v) {
    bytes += static_cast<ssize_t>(message->msg_iov[v].iov_len);
  }
  return bytes;
}

int FakeKernel::recvmmsg(int fd, mmsghdr* messages, unsigned count, int, timespec*) {
  Object* udp = find(fd, Kind::kUdp, "recvmmsg");
  if (udp == nullptr) return -1;
  unsigned n = 0;
  for (; n < count && !udp->queued.empty(); ++n) {
    const Datagram& datagram = udp->queued.front();
    msghdr& m = messages[n].msg_hdr;
    const std::size_t room = m.msg_iov[0].iov_len;
    const std::size_t kept = std::min(room, datagram.bytes.size());
    std::memcpy(m.msg_iov[0].iov_base, datagram.bytes.data(), kept);
    messages[n].msg_len = static_cast<unsigned>(kept);
    m.msg_namelen = std::min<socklen_t>(m.msg_namelen, datagram.peer.sockaddr_len());
    std::memcpy(m.msg_name, datagram.peer.sockaddr_ptr(), m.msg_namelen);
    m.msg_controllen = 0;  // no packet information: the socket is bound to one address
    m.msg_flags = kept < datagram.bytes.size() ? MSG_TRUNC : 0;
    udp->queued.pop_front();
  }
  if (n == 0) {
    errno = EAGAIN;
    return -1;
  }
  return static_cast<int>(n);
}

int FakeKernel::sendmmsg(int fd, mmsghdr* messages, unsigned count, int) {
  Object* udp = find(fd, Kind::kUdp, "sendmmsg");
  if (udp == nullptr) return -1;
  for (unsigned k = 0; k < count; ++k) {
    record_reply(*udp, messages[k].msg_hdr);
    messages[k].msg_len = 0;
    for (std::size_t v = 0; v < messages[k].msg_hdr.msg_iovlen; ++v) {
      messages[k].msg_len += static_cast<unsigned>(messages[k].msg_hdr.msg_iov[v].iov_len);
    }
  }
  return static_cast<int>(count);
}

int FakeKernel::accept4(int fd, sockaddr* address, socklen_t* length, int) {
  Object* listener = find(fd, Kind::kListener, "accept4");
  if (listener == nullptr) return -1;
  if (listener->backlog.empty()) {
    errno = EAGAIN;
    return -1;
  }
  const int connection = listener->backlog.front();
  listener->backlog.pop_front();
  Object& client = objects_.at(connection);
  client.open = true;
  if (address != nullptr && length != nullptr) {
    *length = std::min(*length, client.peer.sockaddr_len());
    std::memcpy(address, client.peer.sockaddr_ptr(), *length);
  }
  return connection;
}

int FakeKernel::setsockopt(int fd, int level, int name, const void*, socklen_t) {
  Object* object = find_open(fd, "setsockopt");
  if (object == nullptr) return -1;
  object->options.emplace_back(level, name);
  return 0;
}

int FakeKernel::open(const char*, int) { return make(Kind::kFile); }

int FakeKernel::close(int fd) {
  Object* object = find_open(fd, "close");
  if (object == nullptr) return -1;
  object->open = false;
  // As in Linux: closing the last reference drops the descriptor from every epoll set.
  for (auto& [number, other] : objects_) {
    if (other.kind == Kind::kEpoll) other.interest.erase(fd);
  }
  return 0;
}

int FakeKernel::epoll_create1(int) { return make(Kind::kEpoll); }

int FakeKernel::epoll_ctl(int epoll_fd, int operation, int fd, epoll_event* event) {
  Object* epoll = find(epoll_fd, Kind::kEpoll, "epoll_ctl");
  if (epoll == nullptr || find_open(fd, "epoll_ctl") == nullptr) return -1;
  auto registered = epoll->interest.find(fd);
  const bool known = registered != epoll->interest.end();
  switch (operation) {
    case EPOLL_CTL_ADD:
      if (known) return fail(EEXIST, "epoll_ctl add: " + std::to_string(fd) + " is watched");
      epoll->interest.emplace(fd, *event);
      return 0;
    case EPOLL_CTL_MOD:
      if (!known) return fail(ENOENT, "epoll_ctl mod: " + std::to_string(fd) + " is not watched");
      if ((registered->second.events & EPOLLEXCLUSIVE) != 0) {
        return fail(EINVAL, "epoll_ctl mod: " + std::to_string(fd) + " has EPOLLEXCLUSIVE");
      }
      registered->second = *event;
      return 0;
    case EPOLL_CTL_DEL:
      if (!known) return fail(ENOENT, "epoll_ctl del: " + std::to_string(fd) + " is not watched");
      epoll->interest.erase(registered);
      return 0;
    default:
      return fail(EINVAL, "epoll_ctl: operation " + std::to_string(operation));
  }
}

std::uint32_t FakeKernel::readiness(const Object& object) const {
  switch (object.kind) {
    case Kind::kListener:
      return object.backlog.empty() ? 0 : kIn;
    case Kind::kConnection: {
      const bool readable = !object.to_receive.empty() || object.then != Then::kWait;
      return (readable ? kIn : 0) | kOut;  // sends never block (send_limit shortens them)
    }
    case Kind::kUdp:
      return object.queued.empty() ? 0 : kIn;
    case Kind::kStop:
      return object.raised ? kIn : 0;
    case Kind::kEpoll:
    case Kind::kFile:
      return 0;
  }
  return 0;
}

int FakeKernel::epoll_wait(int epoll_fd, epoll_event* events, int max_events, int) {
  Object* epoll = find(epoll_fd, Kind::kEpoll, "epoll_wait");
  if (epoll == nullptr) return -1;
  if (++waits_ > max_waits) {
    return fail(EINVAL, "epoll_wait: called " + std::to_string(max_waits) +
                            " times: the loop does not come to an end");
  }
  for (int round = 0; round < 2; ++round) {
    int n = 0;
    for (const auto& [fd, registered] : epoll->interest) {
      if (n == max_events) break;
      const std::uint32_t ready = readiness(objects_.at(fd)) & registered.events;
      if (ready == 0) continue;
      events[n] = registered;
      events[n++].events = ready;
    }
    if (n > 0 || stop_fd_ < 0 || objects_.at(stop_fd_).raised) return n;
    raise_stop();  // nothing left to do: stop, as SIGTERM would
  }
  return 0;
}

}  // namespace echo::server
