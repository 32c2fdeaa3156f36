// What the channels of a running script (tcp_channel.h, udp_channel.h) share
// with the executor's loop: the epoll descriptor, the options, and scratch
// buffers for reading and writing (one pair per loop, not per connection).
//
// Example:
//   epoll_event ev{EPOLLIN | EPOLLOUT | EPOLLET, {.ptr = static_cast<Channel*>(this)}};
//   epoll_ctl(shared.epoll_fd, EPOLL_CTL_ADD, fd, &ev);  // the loop calls on_events()
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "conformance/explore/executor.h"
#include "core/net/fd.h"

namespace echo::conformance::explore::internal {

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;

inline constexpr Time kNever = Time::max();

struct LoopShared {
  int epoll_fd = -1;
  ExecuteOptions options;
  std::vector<std::byte> receive_buffer = std::vector<std::byte>(256 * 1024);
  std::vector<std::byte> send_buffer = std::vector<std::byte>(256 * 1024);
  // UDP sockets a finished script no longer reads, kept open for a while so
  // that the kernel does not give their port to a new socket that would then
  // receive late replies meant for the old one. Closed in the order they came.
  std::deque<std::pair<Time, Fd>> quarantine;
};

// How long a finished UDP socket stays in quarantine.
[[nodiscard]] std::chrono::milliseconds quarantine_time(const ExecuteOptions& options) noexcept;

// A descriptor registered with the loop's epoll (data.ptr points here).
class Channel {
 public:
  virtual ~Channel() = default;
  // Readiness reported for the descriptor; the loop then advances the script.
  virtual void on_events(std::uint32_t events, Time now) = 0;
  std::uint64_t run_id = 0;  // the script run it belongs to
};

// Registers `fd` edge-triggered for reading and writing; false on failure.
[[nodiscard]] bool watch(const LoopShared& shared, int fd, Channel* channel) noexcept;

}  // namespace echo::conformance::explore::internal
