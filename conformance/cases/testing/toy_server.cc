#include "conformance/cases/testing/toy_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "core/net/socket.h"

namespace echo::conformance::testing {
namespace {

struct Client {
  Fd fd;
  std::vector<char> pending;  // bytes owed to the client
  bool eof = false;
};

// Sends what it can of `c.pending` without blocking; false when the client is gone.
bool flush(Client& c) {
  while (!c.pending.empty()) {
    const ssize_t n = ::send(c.fd.get(), c.pending.data(), c.pending.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    c.pending.erase(c.pending.begin(), c.pending.begin() + n);
  }
  return true;
}

// Reads what is there; false when the client is gone (or done with nothing owed).
bool take_input(Client& c, ToyBehaviour behaviour) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::recv(c.fd.get(), buffer, sizeof buffer, 0);
    if (n == 0) c.eof = true;
    if (n <= 0) return n == 0 || errno == EAGAIN || errno == EINTR;
    c.pending.insert(c.pending.end(), buffer, buffer + n);
    if (behaviour == ToyBehaviour::kAppendNewline) c.pending.push_back('\n');
    if (c.pending.size() > (1 << 20)) return true;  // back-pressure: stop reading for now
  }
}

void echo_datagrams(int fd, bool answer) {
  std::vector<char> buffer(65536);
  for (;;) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    const ssize_t n = ::recvfrom(fd, buffer.data(), buffer.size(), 0,
                                 reinterpret_cast<sockaddr*>(&peer), &length);
    if (n < 0) return;
    if (answer)
      (void)::sendto(fd, buffer.data(), static_cast<size_t>(n), 0,
                     reinterpret_cast<sockaddr*>(&peer), length);
  }
}

}  // namespace

Result<std::unique_ptr<ToyServer>> ToyServer::start(ToyBehaviour behaviour, bool ipv6) {
  const Endpoint any = ipv6 ? Endpoint::loopback_v6(0) : Endpoint::loopback_v4(0);
  ECHO_ASSIGN_OR_RETURN(Fd listener, tcp_listen(any));
  ECHO_ASSIGN_OR_RETURN(const Endpoint bound, local_endpoint(listener.get()));
  ECHO_ASSIGN_OR_RETURN(Fd udp, udp_bind(bound, false));
  return std::unique_ptr<ToyServer>(
      new ToyServer(behaviour, std::move(listener), std::move(udp), bound));
}

ToyServer::ToyServer(ToyBehaviour behaviour, Fd listener, Fd udp, Endpoint endpoint)
    : behaviour_(behaviour),
      listener_(std::move(listener)),
      udp_(std::move(udp)),
      endpoint_(endpoint) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    wake_read_.reset(pipe_fds[0]);
    wake_write_.reset(pipe_fds[1]);
  }
  thread_ = std::thread([this] { serve(); });
}

ToyServer::~ToyServer() {
  (void)::write(wake_write_.get(), "x", 1);
  thread_.join();
}

void ToyServer::serve() {
  std::vector<std::unique_ptr<Client>> clients;
  const bool serial = behaviour_ == ToyBehaviour::kOneAtATime;
  const bool silent = behaviour_ == ToyBehaviour::kNeverAnswer;
  for (;;) {
    std::vector<pollfd> fds = {{wake_read_.get(), POLLIN, 0}, {udp_.get(), POLLIN, 0}};
    if (!serial || clients.empty()) fds.push_back({listener_.get(), POLLIN, 0});
    const std::size_t first_client = fds.size();
    for (auto& c : clients) {
      const short want = silent ? 0
                                : static_cast<short>((c->pending.size() <= (1 << 20) ? POLLIN : 0) |
                                                     (c->pending.empty() ? 0 : POLLOUT));
      fds.push_back({c->fd.get(), want, 0});
    }
    if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) return;
    if (fds[0].revents) return;
    if (fds[1].revents) echo_datagrams(udp_.get(), !silent);
    if (first_client == 3 && fds[2].revents) {
      Result<Fd> accepted = tcp_accept(listener_.get());
      if (accepted)
        clients.push_back(std::make_unique<Client>(Client{std::move(*accepted), {}, false}));
    }
    for (std::size_t i = 0; i + first_client < fds.size(); ++i) {
      Client& c = *clients[i];
      const short revents = fds[i + first_client].revents;
      bool alive = !(silent && (revents & (POLLHUP | POLLERR)));
      if (!silent && (revents & (POLLIN | POLLHUP | POLLERR))) alive = take_input(c, behaviour_);
      if (alive) alive = flush(c);
      if (!alive || (c.eof && c.pending.empty())) c.fd.reset();
    }
    std::erase_if(clients, [](const auto& c) { return !c->fd.valid(); });
  }
}

}  // namespace echo::conformance::testing
