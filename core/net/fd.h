// Fd: a move-only owner of a file descriptor. -1 means none. close() is never
// retried on EINTR (on Linux the descriptor is released either way).
//
// A descriptor made through a Syscalls seam (syscalls.h) is closed through the
// same seam: Fd(fd, syscalls) keeps a pointer to it, so a fake kernel sees its
// descriptors closed and the real one is never asked to close a fake number.
// Fd(fd) closes with the real close().
//
// Example:
//   Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
//   if (!fd) return system_error("socket", errno);
//   Fd other = std::move(fd);  // fd is now -1; other closes the socket when it goes
//   Fd fake_epoll(fake.epoll_create1(0), fake);  // closed with fake.close()
#pragma once

#include <utility>

namespace echo {

class Syscalls;

class Fd {
 public:
  Fd() noexcept = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  // Closed with syscalls.close(), which must outlive the Fd.
  Fd(int fd, Syscalls& syscalls) noexcept : fd_(fd), syscalls_(&syscalls) {}
  Fd(Fd&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), syscalls_(std::exchange(other.syscalls_, nullptr)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
      syscalls_ = std::exchange(other.syscalls_, nullptr);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
  // Closes the descriptor held (through the same seam) and holds `fd` instead.
  void reset(int fd = -1) noexcept;

 private:
  int fd_ = -1;
  Syscalls* syscalls_ = nullptr;  // closes through it; nullptr: the real close()
};

}  // namespace echo
