#include "reference/server/poll_set.h"

#include <cerrno>

namespace echo::server {

PollSet::PollSet(Syscalls& syscalls, int stop_fd, int child_fd, const BoundSockets& sockets)
    : syscalls_(syscalls),
      child_fd_(child_fd),
      listeners_(sockets.tcp_listeners.size()),
      udp_sockets_(sockets.udp_sockets.size()) {
  fds_.push_back({stop_fd, POLLIN, 0});
  if (child_fd >= 0) fds_.push_back({child_fd, POLLIN, 0});
  first_listener_ = fds_.size();
  for (const Fd& listener : sockets.tcp_listeners) fds_.push_back({listener.get(), POLLIN, 0});
  for (const Fd& udp : sockets.udp_sockets) fds_.push_back({udp.get(), POLLIN, 0});
}

Status PollSet::wait(bool accepting, Deadline deadline) {
  for (std::size_t i = 0; i < listeners_; ++i) {
    fds_[first_listener_ + i].events = accepting ? POLLIN : 0;
  }
  for (pollfd& fd : fds_) fd.revents = 0;
  if (syscalls_.poll(fds_.data(), fds_.size(), deadline.poll_timeout_ms()) >= 0 || errno == EINTR) {
    return {};
  }
  return system_error("poll on the listening sockets", errno);
}

std::vector<int> PollSet::ready_in(std::size_t first, std::size_t count) const {
  std::vector<int> ready_fds;
  for (std::size_t i = first; i < first + count; ++i) {
    if (ready(i)) ready_fds.push_back(fds_[i].fd);
  }
  return ready_fds;
}

std::vector<int> PollSet::ready_listeners() const { return ready_in(first_listener_, listeners_); }

std::vector<int> PollSet::ready_udp() const {
  return ready_in(first_listener_ + listeners_, udp_sockets_);
}

}  // namespace echo::server
