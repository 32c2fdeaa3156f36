#include "conformance/cases/testing/delay_proxy.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <list>
#include <vector>

#include "core/net/socket.h"

namespace echo::conformance::testing {

using Clock = std::chrono::steady_clock;

namespace {

void set_nonblocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) (void)::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

// Bytes (or an end of stream, or a reset) due for release at a time.
struct Parcel {
  Clock::time_point due;
  std::vector<char> bytes;
  enum class Kind { kData, kFin, kReset } kind = Kind::kData;
};

// One direction of a relayed TCP connection: read from `from`, write to `to`
// once each parcel is due.
struct Direction {
  int from = -1;
  int to = -1;
  std::deque<Parcel> queue;
  bool read_done = false;   // `from` reached end of stream or failed
  bool write_done = false;  // the FIN or RST went out
};

struct Pair {
  Fd client;
  Fd server;
  Direction up;    // client -> server
  Direction down;  // server -> client
  bool dead = false;
};

struct UdpClient {
  Endpoint address;  // the client, as seen by the proxy's UDP socket
  Fd upstream;       // connected to the target
};

struct Datagram {
  Clock::time_point due;
  std::vector<char> bytes;
  int via;                     // socket to send from
  std::optional<Endpoint> to;  // none: the socket is connected
};

}  // namespace

class DelayProxy::Relay {
 public:
  Relay(Endpoint target, std::chrono::milliseconds delay, Fd listener, Fd udp)
      : target_(target), delay_(delay), listener_(std::move(listener)), udp_(std::move(udp)) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      wake_read_ = Fd(fds[0]);
      wake_write_ = Fd(fds[1]);
    }
    set_nonblocking(listener_.get());
    set_nonblocking(udp_.get());
  }

  void stop() {
    stopping_ = true;
    const char byte = 0;
    (void)::write(wake_write_.get(), &byte, 1);
  }

  void run() {
    while (!stopping_) {
      std::vector<pollfd> fds;
      fds.push_back({wake_read_.get(), POLLIN, 0});
      fds.push_back({listener_.get(), POLLIN, 0});
      fds.push_back({udp_.get(), POLLIN, 0});
      for (const UdpClient& c : udp_clients_) fds.push_back({c.upstream.get(), POLLIN, 0});
      for (const Pair& p : pairs_) {
        fds.push_back({p.client.get(), static_cast<short>(p.up.read_done ? 0 : POLLIN), 0});
        fds.push_back({p.server.get(), static_cast<short>(p.down.read_done ? 0 : POLLIN), 0});
      }
      const std::size_t udp_count = udp_clients_.size();
      const std::size_t pair_count = pairs_.size();
      (void)::poll(fds.data(), fds.size(), timeout_ms());
      // Sockets added below are polled from the next round on.
      std::size_t i = 3;
      auto client = udp_clients_.begin();
      for (std::size_t k = 0; k < udp_count; ++k, ++client) {
        if (fds[i++].revents) read_udp(client->upstream.get(), &*client);
      }
      auto pair = pairs_.begin();
      for (std::size_t k = 0; k < pair_count; ++k, ++pair) {
        if (fds[i++].revents) read_tcp(pair->up);
        if (fds[i++].revents) read_tcp(pair->down);
      }
      if (fds[1].revents) accept_all();
      if (fds[2].revents) read_udp(udp_.get(), nullptr);
      release_due();
      pairs_.remove_if(
          [](const Pair& p) { return p.dead || (p.up.write_done && p.down.write_done); });
    }
  }

 private:
  int timeout_ms() const {
    Clock::time_point next = Clock::time_point::max();
    for (const Pair& p : pairs_) {
      if (!p.up.queue.empty()) next = std::min(next, p.up.queue.front().due);
      if (!p.down.queue.empty()) next = std::min(next, p.down.queue.front().due);
    }
    for (const Datagram& d : datagrams_) next = std::min(next, d.due);
    if (next == Clock::time_point::max()) return 100;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
    return static_cast<int>(std::clamp<long long>(wait.count() + 1, 0, 100));
  }

  void accept_all() {
    for (;;) {
      Fd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
      if (!client) return;
      Result<Fd> server = tcp_connect(target_, Deadline::after(std::chrono::seconds(2)));
      if (!server) continue;  // the client sees its connection closed
      set_nonblocking(server->get());
      Pair& p = pairs_.emplace_back();
      p.client = std::move(client);
      p.server = std::move(*server);
      p.up.from = p.client.get();
      p.up.to = p.server.get();
      p.down.from = p.server.get();
      p.down.to = p.client.get();
    }
  }

  void read_tcp(Direction& d) {
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::recv(d.from, buffer, sizeof buffer, 0);
      if (n > 0) {
        d.queue.push_back({Clock::now() + delay_, std::vector<char>(buffer, buffer + n)});
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      d.queue.push_back(
          {Clock::now() + delay_, {}, n == 0 ? Parcel::Kind::kFin : Parcel::Kind::kReset});
      d.read_done = true;
      return;
    }
  }

  // Sends what is due in `d`; false when the connection is to be dropped.
  bool release(Direction& d) {
    const auto now = Clock::now();
    while (!d.queue.empty() && d.queue.front().due <= now) {
      Parcel& parcel = d.queue.front();
      if (parcel.kind == Parcel::Kind::kFin) {
        ::shutdown(d.to, SHUT_WR);
        d.write_done = true;
      } else if (parcel.kind == Parcel::Kind::kReset) {
        (void)set_linger_reset(d.to);
        return false;
      } else {
        const ssize_t n = ::send(d.to, parcel.bytes.data(), parcel.bytes.size(), MSG_NOSIGNAL);
        if (n < 0) return errno == EAGAIN || errno == EINTR;
        parcel.bytes.erase(parcel.bytes.begin(), parcel.bytes.begin() + n);
        if (!parcel.bytes.empty()) return true;  // the rest when it can go
      }
      d.queue.pop_front();
    }
    return true;
  }

  void read_udp(int fd, UdpClient* from_upstream) {
    char buffer[65536];
    for (;;) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      const ssize_t n =
          ::recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&peer), &length);
      if (n < 0) return;
      const std::vector<char> bytes(buffer, buffer + n);
      if (from_upstream != nullptr) {
        datagrams_.push_back({Clock::now() + delay_, bytes, udp_.get(), from_upstream->address});
        continue;
      }
      auto client = Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&peer), length);
      if (!client) continue;
      UdpClient* c = udp_client(*client);
      if (c != nullptr) datagrams_.push_back({Clock::now() + delay_, bytes, c->upstream.get(), {}});
    }
  }

  UdpClient* udp_client(const Endpoint& address) {
    for (UdpClient& c : udp_clients_) {
      if (c.address == address) return &c;
    }
    Result<Fd> upstream = udp_connect(target_);
    if (!upstream) return nullptr;
    set_nonblocking(upstream->get());
    return &udp_clients_.emplace_back(UdpClient{address, std::move(*upstream)});
  }

  void release_due() {
    for (Pair& p : pairs_) {
      if (!release(p.up) || !release(p.down)) {
        (void)set_linger_reset(p.client.get());
        (void)set_linger_reset(p.server.get());
        p.dead = true;
      }
    }
    const auto now = Clock::now();
    while (!datagrams_.empty() && datagrams_.front().due <= now) {
      const Datagram& d = datagrams_.front();
      if (d.to) {
        (void)::sendto(d.via, d.bytes.data(), d.bytes.size(), 0, d.to->sockaddr_ptr(),
                       d.to->sockaddr_len());
      } else {
        (void)::send(d.via, d.bytes.data(), d.bytes.size(), 0);
      }
      datagrams_.pop_front();
    }
  }

  Endpoint target_;
  std::chrono::milliseconds delay_;
  Fd listener_;
  Fd udp_;
  Fd wake_read_;
  Fd wake_write_;
  std::atomic<bool> stopping_{false};
  std::list<Pair> pairs_;
  std::list<UdpClient> udp_clients_;
  std::deque<Datagram> datagrams_;  // in due order: every datagram gets the same delay
};

Result<std::unique_ptr<DelayProxy>> DelayProxy::start(const Endpoint& target,
                                                      std::chrono::milliseconds one_way_delay) {
  ECHO_ASSIGN_OR_RETURN(Fd listener, tcp_listen(Endpoint::loopback_v4(0)));
  ECHO_ASSIGN_OR_RETURN(const Endpoint bound, local_endpoint(listener.get()));
  ECHO_ASSIGN_OR_RETURN(Fd udp, udp_bind(bound, false));
  auto relay = std::make_unique<Relay>(target, one_way_delay, std::move(listener), std::move(udp));
  return std::unique_ptr<DelayProxy>(new DelayProxy(std::move(relay), bound));
}

DelayProxy::DelayProxy(std::unique_ptr<Relay> relay, Endpoint endpoint)
    : relay_(std::move(relay)), endpoint_(endpoint) {
  thread_ = std::thread([relay = relay_.get()] { relay->run(); });
}

DelayProxy::~DelayProxy() {
  relay_->stop();
  thread_.join();
}

}  // namespace echo::conformance::testing
