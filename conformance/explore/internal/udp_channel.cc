#include "conformance/explore/internal/udp_channel.h"

#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>

namespace echo::conformance::explore::internal {
namespace {

// How long replies are awaited after the last datagram or reply: a moment
// once every datagram has its echo (a duplicate comes right after its
// original), else datagram_wait.
std::chrono::milliseconds wait_after_last(const ExecuteOptions& o, bool all_answered) {
  if (!all_answered) return o.datagram_wait;
  return std::max(std::chrono::milliseconds(1), o.datagram_wait / 10);
}

std::string key_of(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace

UdpChannel::UdpChannel(ChannelId id, std::uint32_t planned_datagrams, LoopShared& shared)
    : shared_(shared), reply_cap_(2 * static_cast<std::size_t>(planned_datagrams) + 16) {
  record_.channel = id;
}

void UdpChannel::open(const Endpoint& target, Time now) {
  target_ = target;
  last_activity_ = now;
  fd_.reset(::socket(target.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_ || !watch(shared_, fd_.get(), this)) fd_.reset();
}

void UdpChannel::begin_send(const Payload& payload, std::uint32_t copies, Time now) {
  if (finished_ || copies == 0) return;
  queue_.push_back(Pending{payload.bytes(), copies});
  send_more(now);
}

void UdpChannel::steps_done(Time now) {
  steps_done_ = true;
  check(now);
}

void UdpChannel::expire(Time now) {
  receive_all(now);
  finish();
}

void UdpChannel::on_events(std::uint32_t events, Time now) {
  if (finished_) return;
  if ((events & EPOLLOUT) != 0) writable_ = true;
  if ((events & (EPOLLIN | EPOLLERR)) != 0) receive_all(now);
  send_more(now);
  check(now);
}

void UdpChannel::on_time(Time now) {
  if (finished_) return;
  if (retry_at_ != kNever && now >= retry_at_) {
    retry_at_ = kNever;
    writable_ = true;
  }
  send_more(now);
  check(now);
}

Time UdpChannel::next_wake() const noexcept {
  if (finished_) return kNever;
  const auto wait = shared_.options.datagram_wait;
  if (retry_at_ != kNever) return retry_at_;
  if (!queue_.empty()) return shared_.options.pace_datagrams ? last_send_ + wait : kNever;
  if (steps_done_) return last_activity_ + wait_after_last(shared_.options, unanswered_total_ == 0);
  return kNever;
}

bool UdpChannel::may_send(Time now) const noexcept {
  if (!shared_.options.pace_datagrams || record_.trace.sent.empty()) return true;
  return replies_since_send_ > 0 || now - last_send_ >= shared_.options.datagram_wait;
}

void UdpChannel::send_more(Time now) {
  while (!finished_ && !queue_.empty() && writable_ && may_send(now)) {
    Pending& next = queue_.front();
    if (!fd_) {
      queue_.clear();  // no socket: nothing can be sent (the trace shows none sent)
      return;
    }
    const ssize_t n =
        ::sendto(fd_.get(), next.bytes.data(), next.bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                 target_.sockaddr_ptr(), target_.sockaddr_len());
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      writable_ = false;
      return;
    }
    if (n < 0 && errno == ENOBUFS) {
      // No edge announces the end of this one: retry on a timer.
      writable_ = false;
      retry_at_ = now + std::chrono::milliseconds(1);
      return;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n >= 0) {
      record_.trace.sent.push_back(next.bytes);
      ++unanswered_[key_of(next.bytes)];
      ++unanswered_total_;
    }
    // Otherwise (e.g. ECONNREFUSED left by an earlier ICMP error) the datagram
    // was not sent and is not in the trace.
    last_activity_ = now;
    last_send_ = now;
    replies_since_send_ = 0;
    if (--next.copies == 0) queue_.pop_front();
  }
}

void UdpChannel::receive_all(Time now) {
  if (!fd_) return;
  std::span<std::byte> buffer(shared_.receive_buffer);
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_length = sizeof from;
    const ssize_t n = ::recvfrom(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      continue;  // a queued ICMP error: read on
    }
    const auto data = buffer.first(static_cast<std::size_t>(n));
    const auto source =
        Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&from), from_length);
    const bool from_target = source && *source == target_;
    last_activity_ = now;
    ++replies_since_send_;
    if (from_target) {
      auto it = unanswered_.find(key_of(data));
      if (it != unanswered_.end() && it->second > 0) {
        --it->second;
        --unanswered_total_;
      }
    }
    if (record_.trace.replies.size() >= reply_cap_) {
      // Far more replies than datagrams: a flood. Enough evidence; stop here.
      ++record_.replies_dropped;
      return finish();
    }
    record_.trace.replies.push_back({Bytes(data.begin(), data.end()), from_target});
  }
}

void UdpChannel::check(Time now) {
  if (finished_ || !steps_done_ || !queue_.empty()) return;
  if (now - last_activity_ >= wait_after_last(shared_.options, unanswered_total_ == 0)) finish();
}

void UdpChannel::finish() {
  finished_ = true;
  queue_.clear();
  if (!fd_) return;
  (void)::epoll_ctl(shared_.epoll_fd, EPOLL_CTL_DEL, fd_.get(), nullptr);
  shared_.quarantine.emplace_back(Clock::now(), std::move(fd_));
}

}  // namespace echo::conformance::explore::internal
