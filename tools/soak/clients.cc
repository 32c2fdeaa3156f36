#include "tools/soak/clients.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "tools/soak/pattern.h"

namespace echo::soak {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kHeader = 16;                     // UDP: sequence, source
constexpr auto kUdpTimeout = std::chrono::seconds(10);  // generous: a loaded machine stalls

std::array<std::byte, kChunk>& scratch() {
  static std::array<std::byte, kChunk> buffer;
  return buffer;
}

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

// Sends up to `length` more bytes of `stream` from `sent`; false on an error.
bool send_pattern(int fd, std::uint64_t stream, std::uint64_t& sent, std::uint64_t length) {
  while (length > 0) {
    const std::size_t n = std::min<std::uint64_t>(length, kChunk);
    std::span<std::byte> out(scratch().data(), n);
    fill_pattern(stream, sent, out);
    const ssize_t written = ::send(fd, out.data(), n, MSG_NOSIGNAL);
    if (written < 0) return would_block(errno) || errno == EINTR;
    sent += static_cast<std::uint64_t>(written);
    length -= static_cast<std::uint64_t>(written);
    if (static_cast<std::size_t>(written) < n) return true;  // the socket is full
  }
  return true;
}

}  // namespace

void Tally::fail(std::string what) {
  ++failures;
  if (errors.size() < 20) errors.push_back(std::move(what));
}

Client::~Client() {
  if (socket_) loop_.forget(socket_.get());
}

bool Client::connect_to(const Endpoint& server, std::uint32_t events) {
  socket_ = Fd(::socket(server.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket_) {
    tally_.fail(std::string("socket: ") + std::strerror(errno));
    done_ = true;
    return false;
  }
  const int on = 1;
  ::setsockopt(socket_.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (::connect(socket_.get(), server.sockaddr_ptr(), server.sockaddr_len()) != 0 &&
      errno != EINPROGRESS) {
    tally_.fail(std::string("connect: ") + std::strerror(errno));
    socket_.reset();
    done_ = true;
    return false;
  }
  loop_.watch(socket_.get(), events, this);
  return true;
}

bool Client::connected() {
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (error == 0) return true;
  tally_.fail(std::string("connect: ") + std::strerror(error));
  finish();
  return false;
}

void Client::finish() {
  if (socket_) {
    loop_.forget(socket_.get());
    socket_.reset();
  }
  done_ = true;
}

long Client::read_and_check(std::uint64_t stream, std::uint64_t& received) {
  const ssize_t n = ::recv(socket_.get(), scratch().data(), kChunk, 0);
  if (n < 0) {
    if (would_block(errno) || errno == EINTR) return -2;
    tally_.fail(std::string("recv: ") + std::strerror(errno));
    return -1;
  }
  const std::span<const std::byte> echo(scratch().data(), static_cast<std::size_t>(n));
  if (auto at = first_mismatch(stream, received, echo)) {
    ++tally_.wrong;
    tally_.fail("stream " + std::to_string(stream) + ": echo byte " +
                std::to_string(received + *at) + " differs from what was sent");
    return -1;
  }
  received += static_cast<std::uint64_t>(n);
  tally_.tcp_bytes_verified += static_cast<std::uint64_t>(n);
  return n;
}

// --- IdleConnection ---

IdleConnection::IdleConnection(EventLoop& loop, Tally& tally, const Endpoint& server,
                               std::uint64_t stream)
    : Client(loop, tally), stream_(stream) {
  connect_to(server, EPOLLOUT);
}

void IdleConnection::check() {
  if (state_ != State::kHolding) return finish();  // never connected: already counted
  state_ = State::kChecking;
  std::uint64_t sent = 0;
  if (!send_pattern(socket_.get(), stream_, sent, 8) || sent != 8) {
    tally_.fail("idle connection: the final bytes could not be sent");
    return finish();
  }
  loop_.change(socket_.get(), EPOLLIN, this);
}

void IdleConnection::on_events(std::uint32_t events) {
  if (done_) return;
  switch (state_) {
    case State::kConnecting:
      if (!connected()) return;
      state_ = State::kHolding;
      ++tally_.idle_open;
      loop_.change(socket_.get(), EPOLLRDHUP, this);  // only a close by the server wakes it
      return;
    case State::kHolding:
      if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
        tally_.fail("the server closed an idle connection");
        --tally_.idle_open;
        finish();
      }
      return;
    case State::kChecking: {
      const long n = read_and_check(stream_, received_);
      if (n == -2) return;
      if (n <= 0 || received_ == 8) {
        if (received_ == 8) {
          ++tally_.idle_verified;
        } else if (n == 0) {
          tally_.lost_bytes += 8 - received_;
          tally_.fail("idle connection: closed before its final echo");
        }
        finish();
      }
      return;
    }
  }
}

// --- ChurnCycle ---

ChurnCycle::ChurnCycle(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream,
                       std::size_t size)
    : Client(loop, tally), stream_(stream), size_(size) {
  connect_to(server, EPOLLOUT);
}

void ChurnCycle::on_events(std::uint32_t events) {
  if (done_) return;
  if (connecting_) {
    if (!connected()) return;
    connecting_ = false;
    events = EPOLLOUT;
    loop_.change(socket_.get(), EPOLLIN | EPOLLOUT, this);
  }
  if ((events & EPOLLOUT) != 0 && sent_ < size_) {
    if (!send_pattern(socket_.get(), stream_, sent_, size_ - sent_)) {
      tally_.fail(std::string("churn: send: ") + std::strerror(errno));
      tally_.lost_bytes += size_ - received_;
      return finish();
    }
    if (sent_ == size_) {
      ::shutdown(socket_.get(), SHUT_WR);
      loop_.change(socket_.get(), EPOLLIN, this);
    }
  }
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
  for (;;) {
    const long n = read_and_check(stream_, received_);
    if (n == -2) return;
    if (n == -1) {
      tally_.lost_bytes += size_ - std::min<std::uint64_t>(received_, size_);
      return finish();
    }
    if (n == 0) {
      if (received_ == size_ && sent_ == size_) {
        ++tally_.churn_cycles;
      } else {
        tally_.lost_bytes += size_ - received_;
        tally_.fail("churn: the server closed after " + std::to_string(received_) + " of " +
                    std::to_string(size_) + " bytes");
      }
      return finish();
    }
  }
}

// --- ResetClient ---

ResetClient::ResetClient(EventLoop& loop, Tally& tally, const Endpoint& server,
                         std::uint64_t stream)
    : Client(loop, tally), stream_(stream) {
  connect_to(server, EPOLLOUT);
}

void ResetClient::on_events(std::uint32_t events) {
  if (done_) return;
  if (connecting_) {
    if (!connected()) return;
    connecting_ = false;
    std::uint64_t sent = 0;
    if (!send_pattern(socket_.get(), stream_, sent, kChunk) || sent == 0) {
      tally_.fail(std::string("reset client: send: ") + std::strerror(errno));
      return finish();
    }
    loop_.change(socket_.get(), EPOLLIN, this);  // wait for the echo to start
    return;
  }
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
  // The echo is coming back and is left unread: reset.
  const linger reset{1, 0};
  ::setsockopt(socket_.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ++tally_.resets;
  finish();
}

// --- NonReader ---

NonReader::NonReader(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream,
                     Clock::duration stall)
    : Client(loop, tally), stream_(stream), stall_(stall) {
  connect_to(server, EPOLLOUT);
}

void NonReader::tick(Clock::time_point now) {
  if (done_ || state_ != State::kFilling || now < stall_until_) return;
  state_ = State::kDraining;
  loop_.change(socket_.get(), EPOLLIN, this);
  if (received_ == sent_) {  // nothing was taken: go straight to the end of stream
    state_ = State::kClosing;
    ::shutdown(socket_.get(), SHUT_WR);
  }
}

void NonReader::on_events(std::uint32_t events) {
  if (done_) return;
  switch (state_) {
    case State::kConnecting:
      if (!connected()) return;
      state_ = State::kFilling;
      stall_until_ = Clock::now() + stall_;
      [[fallthrough]];
    case State::kFilling:
      if (!send_pattern(socket_.get(), stream_, sent_, 16 * kChunk)) {
        tally_.fail(std::string("non-reader: send: ") + std::strerror(errno));
        tally_.lost_bytes += sent_ - received_;
        return finish();
      }
      return;
    case State::kDraining:
    case State::kClosing:
      if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0) return;
      for (;;) {
        const long n = read_and_check(stream_, received_);
        if (n == -2) break;
        if (n == -1 || (n == 0 && received_ != sent_)) {
          tally_.lost_bytes += sent_ - std::min(received_, sent_);
          if (n == 0) tally_.fail("non-reader: the server closed before echoing everything");
          return finish();
        }
        if (n == 0) {
          ++tally_.non_reader_cycles;
          return finish();
        }
      }
      if (state_ == State::kDraining && received_ == sent_) {
        state_ = State::kClosing;
        ::shutdown(socket_.get(), SHUT_WR);
      }
      return;
  }
}

// --- UdpSource ---

UdpSource::UdpSource(EventLoop& loop, Tally& tally, const Endpoint& local, const Endpoint& server,
                     std::uint32_t source, double rate, std::size_t window)
    : Client(loop, tally), source_(source), rate_(rate), window_(window), size_state_(source + 1) {
  socket_ = Fd(::socket(server.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket_) return;
  if (::bind(socket_.get(), local.sockaddr_ptr(), local.sockaddr_len()) != 0 ||
      ::connect(socket_.get(), server.sockaddr_ptr(), server.sockaddr_len()) != 0) {
    tally_.fail("udp source " + local.to_string() + ": " + std::strerror(errno));
    socket_.reset();
    return;
  }
  loop_.watch(socket_.get(), EPOLLIN, this);
}

void UdpSource::tick(Clock::time_point now, bool sending) {
  if (!socket_) return;
  while (!order_.empty()) {  // the oldest first: unanswered for too long is lost
    const auto pending = in_flight_.find(order_.front());
    if (pending == in_flight_.end()) {
      order_.pop_front();
      continue;
    }
    if (now - pending->second.sent < kUdpTimeout) break;
    ++tally_.udp_timed_out;
    timed_out_.emplace(pending->first, pending->second.size);
    in_flight_.erase(pending);
    order_.pop_front();
  }
  if (last_tick_ == Clock::time_point{}) last_tick_ = now;
  const double elapsed = std::chrono::duration<double>(now - last_tick_).count();
  last_tick_ = now;
  allowance_ = std::min(allowance_ + elapsed * rate_, static_cast<double>(window_));
  if (!sending) return;
  std::array<std::byte, 1400> datagram;
  while (allowance_ >= 1 && in_flight_.size() < window_) {
    size_state_ = size_state_ * 6364136223846793005ull + 1442695040888963407ull;
    const std::size_t size = kHeader + (size_state_ >> 33) % (datagram.size() - kHeader + 1);
    const std::uint64_t sequence = next_;
    std::memcpy(datagram.data(), &sequence, 8);
    const std::uint64_t source = source_;
    std::memcpy(datagram.data() + 8, &source, 8);
    fill_pattern(stream_of(sequence), 0, std::span(datagram).subspan(kHeader, size - kHeader));
    if (::send(socket_.get(), datagram.data(), size, 0) < 0) {
      if (would_block(errno) || errno == ENOBUFS) break;
      tally_.fail(std::string("udp send: ") + std::strerror(errno));
      return finish();
    }
    ++next_;
    allowance_ -= 1;
    ++tally_.udp_sent;
    in_flight_.emplace(sequence, Pending{size, now});
    order_.push_back(sequence);
  }
}

void UdpSource::on_events(std::uint32_t) {
  if (done_) return;
  std::array<std::byte, 2048> datagram;
  for (;;) {
    const ssize_t n = ::recv(socket_.get(), datagram.data(), datagram.size(), 0);
    if (n < 0) {
      if (would_block(errno) || errno == EINTR) return;
      tally_.fail(std::string("udp recv: ") + std::strerror(errno));
      return finish();
    }
    std::uint64_t sequence = 0, source = 0;
    if (static_cast<std::size_t>(n) >= kHeader) {
      std::memcpy(&sequence, datagram.data(), 8);
      std::memcpy(&source, datagram.data() + 8, 8);
    }
    const auto pending = in_flight_.find(sequence);
    const std::size_t size = static_cast<std::size_t>(n);
    const bool ours = size >= kHeader && source == source_;
    if (ours && pending == in_flight_.end() && sequence < next_) {
      ++tally_.udp_late;  // answered after we counted it lost (or a duplicate)
      continue;
    }
    if (!ours || pending == in_flight_.end() || pending->second.size != size ||
        first_mismatch(stream_of(sequence), 0,
                       std::span(datagram).subspan(kHeader, size - kHeader))) {
      ++tally_.wrong;
      tally_.fail("udp: an echo of " + std::to_string(size) + " bytes is no datagram we sent");
      continue;
    }
    in_flight_.erase(pending);
    ++tally_.udp_echoed;
    tally_.udp_bytes_verified += size;
  }
}

}  // namespace echo::soak
