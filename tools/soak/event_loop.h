// A small epoll loop for the soak's clients: each socket is watched with a
// Handler that gets its events. Level-triggered.
//
// Example:
//   EventLoop loop;
//   loop.watch(fd, EPOLLOUT, &client);
//   loop.poll(std::chrono::milliseconds(10));   // calls client.on_events(...)
#pragma once

#include <array>
#include <chrono>
#include <cstdint>

#include "core/net/fd.h"

namespace echo::soak {

class Handler {
 public:
  virtual ~Handler() = default;
  virtual void on_events(std::uint32_t events) = 0;
};

class EventLoop {
 public:
  EventLoop();
  [[nodiscard]] bool valid() const noexcept { return epoll_.valid(); }
  void watch(int fd, std::uint32_t events, Handler* handler);
  void change(int fd, std::uint32_t events, Handler* handler);
  void forget(int fd);
  // Waits up to `timeout` and dispatches what is ready; handlers must not be
  // destroyed while their events may still be in this batch (free them after).
  void poll(std::chrono::milliseconds timeout);

 private:
  Fd epoll_;
};

}  // namespace echo::soak
