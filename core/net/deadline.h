// Deadline: a point on the steady clock by which an operation must finish.
// Every blocking helper in core/net takes one; expiry is reported as an Error
// whose code is std::errc::timed_out.
//
// Example:
//   Deadline deadline = Deadline::after(std::chrono::seconds(2));
//   auto n = read_some(fd, buffer, deadline);
#pragma once

#include <chrono>

namespace echo {

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  [[nodiscard]] static Deadline after(Clock::duration timeout) noexcept {
    return Deadline(Clock::now() + timeout);
  }
  [[nodiscard]] static Deadline at(Clock::time_point when) noexcept { return Deadline(when); }
  [[nodiscard]] static Deadline never() noexcept { return Deadline(Clock::time_point::max()); }

  [[nodiscard]] Clock::time_point when() const noexcept { return when_; }
  [[nodiscard]] bool is_never() const noexcept { return when_ == Clock::time_point::max(); }
  [[nodiscard]] bool expired() const noexcept { return !is_never() && Clock::now() >= when_; }
  [[nodiscard]] Clock::duration remaining() const noexcept;
  // Milliseconds for poll(): -1 for never, 0 once expired, otherwise rounded up.
  [[nodiscard]] int poll_timeout_ms() const noexcept;
  // The earlier of the two.
  [[nodiscard]] Deadline min(Deadline other) const noexcept {
    return other.when_ < when_ ? other : *this;
  }

 private:
  explicit Deadline(Clock::time_point when) noexcept : when_(when) {}
  Clock::time_point when_;
};

}  // namespace echo
