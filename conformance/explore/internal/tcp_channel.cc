#include "conformance/explore/internal/tcp_channel.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/net/io.h"
#include "core/net/socket.h"

namespace echo::conformance::explore::internal {
namespace {

constexpr auto kTick = std::chrono::milliseconds(1);

}  // namespace

TcpChannel::TcpChannel(ChannelId id, const ExpectedStream& expected, bool several_writes,
                       LoopShared& shared)
    : shared_(shared),
      several_writes_(several_writes),
      record_(StreamRecord::start(id, expected)) {}

void TcpChannel::connect(const Endpoint& target, Time now) {
  started_ = now;
  last_progress_ = now;
  last_data_ = now;
  if (record_.verifier.expected_length() == 0) complete_at_ = now;
  fd_.reset(::socket(target.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) return conclude(StreamEnd::kConnectFailed, now);
  if (several_writes_) {
    // Each write its own segment, so the chunk boundaries are the script's.
    // (A single write needs nothing: Nagle never delays the first segment.)
    int one = 1;
    (void)::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  const int result = ::connect(fd_.get(), target.sockaddr_ptr(), target.sockaddr_len());
  const int error = result == 0 ? 0 : errno;
  // An interrupted connect goes on in the background, as EINPROGRESS.
  if (result != 0 && error != EINPROGRESS && error != EINTR) {
    record_.connect_refused = error == ECONNREFUSED;
    return conclude(StreamEnd::kConnectFailed, now);
  }
  // Registered only now: a socket not yet connecting reads as hung up.
  if (!watch(shared_, fd_.get(), this)) return conclude(StreamEnd::kConnectFailed, now);
  phase_ = result == 0 ? Phase::kOpen : Phase::kConnecting;
  writable_ = result == 0;
}

void TcpChannel::begin_send(const Payload& payload, Time now) {
  if (ended()) return;
  const std::uint64_t size = payload.size();
  if (size == 0) return;
  if (record_.first_write == 0) record_.first_write = size;
  payload_ = &payload;
  payload_offset_ = 0;
  write_more(now);
  check(now);
}

void TcpChannel::hold(Time until, Time now) {
  if (ended()) return;
  hold_until_ = std::max(hold_until_, until);
  throttled_ = now < hold_until_;
}

void TcpChannel::trickle(std::uint32_t bytes_per_ms, Time until, Time now) {
  if (ended()) return;
  trickle_until_ = until;
  trickle_per_ms_ = bytes_per_ms;
  trickle_budget_ = bytes_per_ms;
  next_tick_ = now + kTick;
  throttled_ = true;
}

void TcpChannel::shutdown(Time now) {
  record_.shut_down = true;
  if (phase_ != Phase::kOpen) return;
  (void)::shutdown(fd_.get(), SHUT_WR);
  half_closed_ = true;
  half_closed_at_ = now;
  check(now);
}

void TcpChannel::close(bool reset, Time now) {
  if (ended()) return;
  if (reset && fd_) (void)set_linger_reset(fd_.get());
  record_.client_closed = true;
  const StreamVerifier& v = record_.verifier;
  if (!v.ok()) return conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
  conclude(v.complete() ? StreamEnd::kComplete : StreamEnd::kStalled, now);
}

void TcpChannel::steps_done(Time now) {
  steps_done_ = true;
  check(now);
}

void TcpChannel::expire(Time now) {
  if (ended()) return;
  const StreamVerifier& v = record_.verifier;
  if (phase_ != Phase::kOpen) return conclude(StreamEnd::kConnectFailed, now);
  if (!v.ok()) return conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
  if (v.complete()) {
    if (half_closed_) record_.after = AfterEcho::kNothing;
    return conclude(StreamEnd::kComplete, now);
  }
  const bool moving = now - last_progress_ < shared_.options.stall_wait;
  conclude(moving ? StreamEnd::kDeadline : StreamEnd::kStalled, now);
}

void TcpChannel::on_events(std::uint32_t events, Time now) {
  if (phase_ == Phase::kConnecting) {
    int error = 0;
    socklen_t length = sizeof error;
    if (::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) {
      record_.connect_refused = error == ECONNREFUSED;
      return conclude(StreamEnd::kConnectFailed, now);
    }
    if ((events & EPOLLOUT) == 0) return;
    phase_ = Phase::kOpen;
    writable_ = true;
    last_progress_ = now;
  }
  if (phase_ != Phase::kOpen) return;
  if ((events & EPOLLOUT) != 0) {
    writable_ = true;
    write_more(now);
  }
  if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) peer_closed_ = true;
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
    readable_ = true;
    read_more(now);
  }
  check(now);
}

void TcpChannel::on_time(Time now) {
  if (phase_ == Phase::kConnecting && now - started_ >= shared_.options.stall_wait) {
    return conclude(StreamEnd::kConnectFailed, now);
  }
  if (phase_ != Phase::kOpen) return;
  if (trickling(now) && now >= next_tick_) {
    trickle_budget_ = trickle_per_ms_;
    next_tick_ = now + kTick;
  }
  read_more(now);
  check(now);
}

Time TcpChannel::next_wake() const noexcept {
  if (phase_ == Phase::kConnecting) return started_ + shared_.options.stall_wait;
  if (phase_ != Phase::kOpen) return kNever;
  const ExecuteOptions& o = shared_.options;
  const StreamVerifier& v = record_.verifier;
  if (!v.ok()) return last_data_ + o.mismatch_wait;
  if (throttled_) {
    // Only the end of the hold or the next trickle: no stall is judged meanwhile.
    if (trickle_until_ > hold_until_) return std::min(next_tick_, trickle_until_);
    return hold_until_;
  }
  if (v.complete()) {
    if (!half_closed_) return kNever;
    return std::max(half_closed_at_, complete_at_) + o.close_wait;
  }
  if (payload_ != nullptr || v.received() < record_.sent) return last_progress_ + o.stall_wait;
  return kNever;
}

bool TcpChannel::reading_allowed(Time now) const noexcept { return now >= hold_until_; }

bool TcpChannel::evidence_complete() const noexcept {
  const StreamVerifier& v = record_.verifier;
  return v.received_after().size() >= StreamVerifier::kLongExcerpt ||
         v.received() >= v.expected_length() + StreamVerifier::kLongExcerpt;
}

void TcpChannel::read_more(Time now) {
  std::span<std::byte> buffer(shared_.receive_buffer);
  while (phase_ == Phase::kOpen && readable_ && reading_allowed(now)) {
    std::size_t limit = buffer.size();
    if (trickling(now)) {
      if (trickle_budget_ == 0) return;
      limit = static_cast<std::size_t>(std::min<std::uint64_t>(limit, trickle_budget_));
    }
    const Transfer t = recv_some(fd_.get(), buffer.first(limit));
    switch (t.kind) {
      case Transfer::Kind::kDone:
        if (trickling(now)) trickle_budget_ -= std::min<std::uint64_t>(trickle_budget_, t.bytes);
        // A read shorter than asked emptied the socket: edge-triggered epoll
        // reports the next byte that arrives, so no read to see EAGAIN. Not
        // when the peer's FIN was already reported: it waits behind the data.
        if (t.bytes < limit && !peer_closed_) readable_ = false;
        on_data(buffer.first(t.bytes), now);
        break;
      case Transfer::Kind::kWouldBlock:
        readable_ = false;
        return;
      case Transfer::Kind::kEof:
        return on_fin(now);
      case Transfer::Kind::kError:
        return on_error(t.error.value(), now);
    }
  }
}

void TcpChannel::write_more(Time now) {
  std::span<std::byte> buffer(shared_.send_buffer);
  while (phase_ == Phase::kOpen && payload_ != nullptr && writable_) {
    const std::uint64_t size = payload_->size();
    if (payload_offset_ >= size) break;
    const auto n =
        static_cast<std::size_t>(std::min<std::uint64_t>(size - payload_offset_, buffer.size()));
    payload_->fill(payload_offset_, buffer.first(n));
    const Transfer t = send_some(fd_.get(), buffer.first(n));
    switch (t.kind) {
      case Transfer::Kind::kDone:
      case Transfer::Kind::kEof:
        payload_offset_ += t.bytes;
        record_.sent += t.bytes;
        last_progress_ = now;
        // A short write means the send buffer is full: an edge comes when it is not.
        if (t.bytes < n) writable_ = false;
        break;
      case Transfer::Kind::kWouldBlock:
        writable_ = false;
        break;
      case Transfer::Kind::kError:
        return on_error(t.error.value(), now);
    }
  }
  if (payload_ != nullptr && payload_offset_ >= payload_->size()) payload_ = nullptr;
}

void TcpChannel::on_data(std::span<const std::byte> bytes, Time now) {
  StreamVerifier& v = record_.verifier;
  v.feed(bytes);
  last_progress_ = now;
  last_data_ = now;
  if (v.complete() && complete_at_ == kNever) complete_at_ = now;
  if (v.ok()) return;
  if (complete_at_ != kNever && !v.mismatch()) record_.after = AfterEcho::kMore;
  if (evidence_complete()) conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
}

void TcpChannel::on_fin(Time now) {
  const StreamVerifier& v = record_.verifier;
  if (!v.ok()) return conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
  if (v.complete()) {
    record_.after = AfterEcho::kFin;
    return conclude(StreamEnd::kComplete, now);
  }
  conclude(StreamEnd::kFin, now);
}

void TcpChannel::on_error(int error, Time now) {
  const StreamVerifier& v = record_.verifier;
  if (!v.ok()) return conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
  const bool reset = error == ECONNRESET || error == EPIPE || error == ECONNABORTED;
  if (v.complete()) {
    record_.after = reset ? AfterEcho::kReset : AfterEcho::kNothing;
    return conclude(StreamEnd::kComplete, now);
  }
  conclude(reset ? StreamEnd::kReset : StreamEnd::kError, now);
}

void TcpChannel::check(Time now) {
  if (phase_ != Phase::kOpen) return;
  const bool throttled = now < hold_until_ || trickling(now);
  if (throttled_ && !throttled) {
    // The client's own pause is over: the stall clock starts again, and what
    // waited in the receive buffer is read.
    throttled_ = false;
    last_progress_ = now;
    read_more(now);
    if (phase_ != Phase::kOpen) return;
  }
  const ExecuteOptions& o = shared_.options;
  const StreamVerifier& v = record_.verifier;
  if (!v.ok()) {
    if (now - last_data_ >= o.mismatch_wait) {
      conclude(v.mismatch() ? StreamEnd::kWrong : StreamEnd::kComplete, now);
    }
    return;
  }
  if (throttled_) return;
  if (v.complete()) {
    if (!steps_done_) return;
    if (!half_closed_) {
      (void)::shutdown(fd_.get(), SHUT_WR);
      half_closed_ = true;
      half_closed_at_ = now;
      record_.half_closed_after_echo = true;
    }
    if (now - std::max(half_closed_at_, complete_at_) >= o.close_wait) {
      record_.after = AfterEcho::kNothing;
      conclude(StreamEnd::kComplete, now);
    }
    return;
  }
  const bool awaiting = payload_ != nullptr || v.received() < record_.sent;
  if (awaiting && now - last_progress_ >= o.stall_wait) conclude(StreamEnd::kStalled, now);
}

void TcpChannel::conclude(StreamEnd end, Time now) {
  if (phase_ == Phase::kDone) return;
  record_.end = end;
  if (started_ != Time{}) {
    record_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started_);
  }
  phase_ = Phase::kDone;
  payload_ = nullptr;
  fd_.reset();
}

}  // namespace echo::conformance::explore::internal
