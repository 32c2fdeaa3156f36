#include "core/net/deadline.h"

#include <climits>

namespace echo {

Deadline::Clock::duration Deadline::remaining() const noexcept {
  if (is_never()) return Clock::duration::max();
  Clock::time_point now = Clock::now();
  return now >= when_ ? Clock::duration::zero() : when_ - now;
}

int Deadline::poll_timeout_ms() const noexcept {
  if (is_never()) return -1;
  Clock::duration left = remaining();
  if (left <= Clock::duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return ms > INT_MAX ? INT_MAX : static_cast<int>(ms);
}

}  // namespace echo
