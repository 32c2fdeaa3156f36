// Signals turned into file descriptors an event loop can wait on (the
// self-pipe trick with eventfds): the handlers only write to an eventfd.
//
// stop_fd() becomes readable on SIGINT or SIGTERM and stays readable (it is
// never drained), so every event loop, thread and forked child sees it.
// child_fd() becomes readable on SIGCHLD; consume_child_events() resets it.
// SIGPIPE is ignored (sends use MSG_NOSIGNAL anyway).
//
// Example:
//   Result<SignalEvents> signals = SignalEvents::install();
//   pollfd fds[] = {{signals->stop_fd(), POLLIN, 0}, ...};
#pragma once

#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::server {

class SignalEvents {
 public:
  // Installs the handlers; only one SignalEvents may exist at a time.
  [[nodiscard]] static Result<SignalEvents> install();
  SignalEvents(SignalEvents&&) noexcept = default;
  SignalEvents& operator=(SignalEvents&&) = delete;
  ~SignalEvents();

  [[nodiscard]] int stop_fd() const noexcept { return stop_.get(); }
  [[nodiscard]] int child_fd() const noexcept { return child_.get(); }
  void consume_child_events() const noexcept;

  // Whether SIGINT/SIGTERM arrived (non-blocking check of stop_fd()).
  [[nodiscard]] static bool stop_requested(int stop_fd) noexcept;

 private:
  SignalEvents(Fd stop, Fd child) noexcept : stop_(std::move(stop)), child_(std::move(child)) {}
  Fd stop_;
  Fd child_;
};

}  // namespace echo::server
