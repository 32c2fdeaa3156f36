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
// Reported whether asked for or not, as by the real epoll.
constexpr std::uint32_t kAlways = EPOLLERR | EPOLLHUP;
// The kernel's limits on a UDP send: the largest payload (IPv4: 65,535 less the
// IP and UDP headers; IPv6 without jumbograms: less the UDP header) and
// UDP_MAX_SEGMENTS (before Linux 6.2; 128 since).
constexpr std::size_t kMaxPayloadV4 = 65507;
constexpr std::size_t kMaxPayloadV6 = 65527;
constexpr std::size_t kMaxSegments = 64;

const char* kind_name(int kind) {
  static const char* const kNames[] = {"listener", "connection", "UDP socket",
                                       "stop",     "epoll",      "file"};
  return kNames[kind];
}

std::size_t segment_of(msghdr& message) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_SEGMENT) {
      std::uint16_t size = 0;
      std::memcpy(&size, CMSG_DATA(c), sizeof size);
      return size;
    }
  }
  return 0;
}

// The source address a send asks for with packet information (IPv4: ipi_spec_dst,
// see ip(7)), or an empty Endpoint.
Endpoint source_of(msghdr& message) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      in_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return Endpoint::v4(info.ipi_spec_dst, 0);
    }
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info{};
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      return Endpoint::v6(info.ipi6_addr, 0);
    }
  }
  return {};
}

std::size_t payload_of(const msghdr& message) {
  std::size_t bytes = 0;
  for (std::size_t v = 0; v < message.msg_iovlen; ++v) bytes += message.msg_iov[v].iov_len;
  return bytes;
}

// Appends a control message to `message` if it fits in the room the receiver
// gave (`room`); otherwise sets MSG_CTRUNC, as the kernel does.
template <class Payload>
void put_cmsg(msghdr& message, std::size_t room, int level, int type, const Payload& payload) {
  if (message.msg_controllen + CMSG_SPACE(sizeof payload) > room) {
    message.msg_flags |= MSG_CTRUNC;
    return;
  }
  auto* c = reinterpret_cast<cmsghdr*>(static_cast<unsigned char*>(message.msg_control) +
                                       message.msg_controllen);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof payload);
  std::memcpy(CMSG_DATA(c), &payload, sizeof payload);
  message.msg_controllen += CMSG_SPACE(sizeof payload);
}

// Plain answers, the default Decisions.
FakeKernel::Decisions g_plain;

}  // namespace

FakeKernel::Decisions& FakeKernel::plain() noexcept { return g_plain; }

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
  client.script = std::move(bytes);
  client.then = then;
  objects_.at(listener).backlog.push_back(fd);
  return fd;
}

void FakeKernel::queue_datagram(int udp_socket, std::string bytes, const Endpoint& peer) {
  queue_datagram(udp_socket, Datagram{peer, std::move(bytes)});
}

void FakeKernel::queue_datagram(int udp_socket, Datagram datagram) {
  objects_.at(udp_socket).queued.push_back(std::move(datagram));
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

FakeKernel::ClientView FakeKernel::client(int connection) const {
  const Object& object = objects_.at(connection);
  ClientView view;
  view.accepted = object.accepted;
  view.closed = object.accepted && !object.open;
  view.used = object.used;
  view.reset = object.reset;
  view.end_received = object.end_received;
  view.received = object.delivered;
  view.max_held = object.max_held;
  return view;
}

std::size_t FakeKernel::queued(int udp_socket) const {
  return objects_.at(udp_socket).queued.size();
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
  connection->used = true;
  const std::size_t held = connection->delivered - connection->sent.size();
  connection->max_held = std::max(connection->max_held, held + length);
  if (connection->reset) {
    errno = ECONNRESET;
    return -1;
  }
  const std::size_t left = connection->script.size() - connection->delivered;
  const std::size_t available = std::min(length, left);
  const Answer answer = decisions_.answer({Call::kRecv, fd, available});
  if (answer.error != 0) {
    connection->reset = answer.error == ECONNRESET;
    errno = answer.error;
    return -1;
  }
  if (available == 0) {
    switch (connection->then) {
      case Then::kShutDown:
        connection->end_received = true;
        return 0;
      case Then::kReset:
        connection->reset = true;
        errno = ECONNRESET;
        return -1;
      case Then::kWait:
        errno = EAGAIN;
        return -1;
    }
  }
  const std::size_t n = std::clamp<std::size_t>(answer.amount, 1, available);
  std::memcpy(buffer, connection->script.data() + connection->delivered, n);
  connection->delivered += n;
  return static_cast<ssize_t>(n);
}

ssize_t FakeKernel::send(int fd, const void* buffer, size_t length, int) {
  Object* connection = find(fd, Kind::kConnection, "send");
  if (connection == nullptr) return -1;
  connection->used = true;
  if (connection->reset) {
    errno = EPIPE;
    return -1;
  }
  const Answer answer = decisions_.answer({Call::kSend, fd, length});
  if (answer.error != 0) {
    connection->reset = answer.error == ECONNRESET || answer.error == EPIPE;
    errno = answer.error;
    return -1;
  }
  const std::size_t n = std::min({std::max<std::size_t>(answer.amount, 1), length, send_limit});
  connection->sent.append(static_cast<const char*>(buffer), n);
  return static_cast<ssize_t>(n);
}

std::size_t FakeKernel::datagrams_in(const msghdr& message) {
  msghdr copy = message;  // the CMSG macros take a non-const msghdr
  const std::size_t segment = segment_of(copy);
  const std::size_t bytes = payload_of(message);
  return segment == 0 || bytes <= segment ? 1 : (bytes + segment - 1) / segment;
}

bool FakeKernel::record_reply(Object& udp, const msghdr& message) {
  const auto* name = static_cast<const sockaddr*>(message.msg_name);
  const Endpoint peer = Endpoint::from_sockaddr(name, message.msg_namelen).value_or(Endpoint{});
  msghdr copy = message;  // the CMSG macros take a non-const msghdr
  const std::size_t segment = segment_of(copy);
  const std::size_t payload = payload_of(message);
  const std::size_t datagrams = datagrams_in(message);
  const std::size_t max_payload = peer.family() == AF_INET6 ? kMaxPayloadV6 : kMaxPayloadV4;
  if (datagrams > kMaxSegments) {
    fail(EINVAL, "sendmsg: " + std::to_string(datagrams) + " segments of " +
                     std::to_string(segment) + " bytes: more than UDP_MAX_SEGMENTS");
    return false;
  }
  if (payload > max_payload) {
    fail(EMSGSIZE, "sendmsg: " + std::to_string(payload) + " bytes to " + peer.to_string() +
                       (segment != 0 ? " in segments of " + std::to_string(segment) : "") +
                       ": larger than a UDP datagram");
    return false;
  }
  const Endpoint local = source_of(copy);
  std::string bytes;
  bytes.reserve(payload);
  for (std::size_t v = 0; v < message.msg_iovlen; ++v) {
    bytes.append(static_cast<const char*>(message.msg_iov[v].iov_base), message.msg_iov[v].iov_len);
  }
  if (datagrams == 1) {
    udp.replies.push_back({peer, std::move(bytes), local});
    return true;
  }
  for (std::size_t offset = 0; offset < bytes.size(); offset += segment) {
    udp.replies.push_back({peer, bytes.substr(offset, segment), local});
  }
  return true;
}

ssize_t FakeKernel::sendmsg(int fd, const msghdr* message, int) {
  Object* udp = find(fd, Kind::kUdp, "sendmsg");
  if (udp == nullptr) return -1;
  msghdr copy = *message;
  const Answer answer = decisions_.answer({Call::kSendmsg, fd, 1, segment_of(copy) != 0});
  if (answer.error != 0) {
    refused_datagrams_ += datagrams_in(*message);
    errno = answer.error;
    return -1;
  }
  if (!record_reply(*udp, *message)) return -1;
  return static_cast<ssize_t>(payload_of(*message));
}

void FakeKernel::deliver(const Datagram& datagram, mmsghdr& into) const {
  msghdr& m = into.msg_hdr;
  const std::size_t room = m.msg_iov[0].iov_len;
  const std::size_t kept = std::min(room, datagram.bytes.size());
  std::memcpy(m.msg_iov[0].iov_base, datagram.bytes.data(), kept);
  into.msg_len = static_cast<unsigned>(kept);
  m.msg_namelen = std::min<socklen_t>(m.msg_namelen, datagram.peer.sockaddr_len());
  std::memcpy(m.msg_name, datagram.peer.sockaddr_ptr(), m.msg_namelen);
  m.msg_flags = kept < datagram.bytes.size() ? MSG_TRUNC : 0;
  const std::size_t control_room = m.msg_control != nullptr ? m.msg_controllen : 0;
  m.msg_controllen = 0;
  if (datagram.local.family() == AF_INET) {
    in_pktinfo info{};
    info.ipi_addr = reinterpret_cast<const sockaddr_in*>(datagram.local.sockaddr_ptr())->sin_addr;
    put_cmsg(m, control_room, IPPROTO_IP, IP_PKTINFO, info);
  } else if (datagram.local.family() == AF_INET6) {
    in6_pktinfo info{};
    info.ipi6_addr =
        reinterpret_cast<const sockaddr_in6*>(datagram.local.sockaddr_ptr())->sin6_addr;
    put_cmsg(m, control_room, IPPROTO_IPV6, IPV6_PKTINFO, info);
  }
  if (datagram.segment != 0 && datagram.bytes.size() > datagram.segment) {
    put_cmsg(m, control_room, SOL_UDP, UDP_GRO, static_cast<int>(datagram.segment));
  }
}

int FakeKernel::recvmmsg(int fd, mmsghdr* messages, unsigned count, int, timespec*) {
  Object* udp = find(fd, Kind::kUdp, "recvmmsg");
  if (udp == nullptr) return -1;
  const std::size_t available = std::min<std::size_t>(count, udp->queued.size());
  if (available == 0) {
    errno = EAGAIN;
    return -1;
  }
  const Answer answer = decisions_.answer({Call::kRecvmmsg, fd, available});
  if (answer.error != 0) {
    errno = answer.error;
    return -1;
  }
  const std::size_t n = std::clamp<std::size_t>(answer.amount, 1, available);
  for (std::size_t k = 0; k < n; ++k) {
    deliver(udp->queued.front(), messages[k]);
    udp->queued.pop_front();
  }
  return static_cast<int>(n);
}

int FakeKernel::sendmmsg(int fd, mmsghdr* messages, unsigned count, int) {
  Object* udp = find(fd, Kind::kUdp, "sendmmsg");
  if (udp == nullptr) return -1;
  if (count == 0) return 0;
  msghdr first = messages[0].msg_hdr;
  const Answer answer = decisions_.answer({Call::kSendmmsg, fd, count, segment_of(first) != 0});
  if (answer.error != 0) {
    refused_datagrams_ += datagrams_in(messages[0].msg_hdr);
    errno = answer.error;
    return -1;
  }
  const std::size_t n = std::clamp<std::size_t>(answer.amount, 1, count);
  for (std::size_t k = 0; k < n; ++k) {
    // As the kernel: a message refused after the first ends the batch.
    if (!record_reply(*udp, messages[k].msg_hdr)) return k == 0 ? -1 : static_cast<int>(k);
    messages[k].msg_len = static_cast<unsigned>(payload_of(messages[k].msg_hdr));
  }
  return static_cast<int>(n);
}

int FakeKernel::accept4(int fd, sockaddr* address, socklen_t* length, int) {
  Object* listener = find(fd, Kind::kListener, "accept4");
  if (listener == nullptr) return -1;
  if (listener->backlog.empty()) {
    errno = EAGAIN;
    return -1;
  }
  const Answer answer = decisions_.answer({Call::kAccept, fd, listener->backlog.size()});
  if (answer.error != 0) {
    if (answer.error == ECONNABORTED) listener->backlog.pop_front();
    errno = answer.error;
    return -1;
  }
  const int connection = listener->backlog.front();
  listener->backlog.pop_front();
  Object& client = objects_.at(connection);
  client.open = true;
  client.accepted = true;
  if (address != nullptr && length != nullptr) {
    *length = std::min(*length, client.peer.sockaddr_len());
    std::memcpy(address, client.peer.sockaddr_ptr(), *length);
  }
  return connection;
}

int FakeKernel::setsockopt(int fd, int level, int name, const void*, socklen_t) {
  Object* object = find_open(fd, "setsockopt");
  if (object == nullptr) return -1;
  object->used = true;
  object->options.emplace_back(level, name);
  return 0;
}

int FakeKernel::open(const char*, int) {
  const Answer answer = decisions_.answer({Call::kOpen, -1, 1});
  if (answer.error != 0) {
    errno = answer.error;
    return -1;
  }
  return make(Kind::kFile);
}

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
  Object* target = epoll != nullptr ? find_open(fd, "epoll_ctl") : nullptr;
  if (target == nullptr) return -1;
  target->used = true;
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
      if (object.reset) return kIn | kOut | kAlways;
      const bool readable = object.delivered < object.script.size() || object.then != Then::kWait;
      return (readable ? kIn : 0) | kOut;  // always writable (send_limit, Answers shorten sends)
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
  if (const int error = decisions_.before_wait(*this); error != 0) {
    errno = error;
    return -1;
  }
  for (;;) {
    int n = 0;
    for (const auto& [fd, registered] : epoll->interest) {
      if (n == max_events) break;
      const std::uint32_t ready = readiness(objects_.at(fd)) & (registered.events | kAlways);
      if (ready == 0) continue;
      events[n] = registered;
      events[n++].events = ready;
    }
    if (n > 0 || stop_fd_ < 0 || objects_.at(stop_fd_).raised) return n;
    // Nothing is ready: the script goes on, or it is over (stop, as SIGTERM would).
    if (!decisions_.when_idle(*this)) raise_stop();
  }
}

}  // namespace echo::server
