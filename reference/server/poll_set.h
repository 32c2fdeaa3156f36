// The main loop's poll() set in the iterative and fork models: the stop
// signal, optionally SIGCHLD, every TCP listener and every UDP socket,
// polled through the Syscalls seam given.
//
// Example:
//   PollSet set(context.syscalls, stop_fd, /*child_fd=*/-1, sockets);
//   if (Status s = set.wait(/*accepting=*/true, Deadline::never()); !s) return s;
//   if (set.stop_ready()) return {};
//   for (int fd : set.ready_udp()) udp.serve_ready(fd);
#pragma once

#include <poll.h>

#include <cstddef>
#include <vector>

#include "core/net/deadline.h"
#include "core/net/syscalls.h"
#include "core/util/result.h"
#include "reference/server/bind.h"

namespace echo::server {

class PollSet {
 public:
  PollSet(Syscalls& syscalls, int stop_fd, int child_fd, const BoundSockets& sockets);

  // Waits until something is ready or the deadline passes (EINTR counts as a
  // wake-up with nothing ready). Listeners are watched only when `accepting`.
  [[nodiscard]] Status wait(bool accepting, Deadline deadline);

  [[nodiscard]] bool stop_ready() const noexcept { return ready(0); }
  [[nodiscard]] bool child_ready() const noexcept { return child_fd_ >= 0 && ready(1); }
  [[nodiscard]] std::vector<int> ready_listeners() const;
  [[nodiscard]] std::vector<int> ready_udp() const;

 private:
  [[nodiscard]] bool ready(std::size_t index) const noexcept {
    return (fds_[index].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
  }
  [[nodiscard]] std::vector<int> ready_in(std::size_t first, std::size_t count) const;

  Syscalls& syscalls_;
  int child_fd_;
  std::vector<pollfd> fds_;  // stop, [child], listeners..., udp...
  std::size_t first_listener_;
  std::size_t listeners_;
  std::size_t udp_sockets_;
};

}  // namespace echo::server
