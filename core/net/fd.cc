#include "core/net/fd.h"

#include <unistd.h>

#include "core/net/syscalls.h"

namespace echo {

void Fd::reset(int fd) noexcept {
  int old = std::exchange(fd_, fd);
  // Never retried on EINTR: on Linux the descriptor is released even then,
  // and a retry could close a descriptor another thread just opened.
  if (old < 0 || old == fd) return;
  if (syscalls_ != nullptr) {
    syscalls_->close(old);
  } else {
    ::close(old);
  }
}

}  // namespace echo
