#include "reference/server/signals.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace echo::server {
namespace {

// Read by the handlers; set before and cleared after they are installed.
volatile sig_atomic_t g_stop_fd = -1;
volatile sig_atomic_t g_child_fd = -1;

void notify(int fd) noexcept {
  if (fd < 0) return;
  const int saved_errno = errno;
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);  // EAGAIN: already signalled
  errno = saved_errno;
}

extern "C" void on_stop_signal(int) { notify(g_stop_fd); }
extern "C" void on_child_signal(int) { notify(g_child_fd); }

bool set_handler(int signal_number, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  return ::sigaction(signal_number, &action, nullptr) == 0;
}

}  // namespace

Result<SignalEvents> SignalEvents::install() {
  Fd stop(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!stop) return system_error("eventfd for SIGINT/SIGTERM", errno);
  Fd child(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!child) return system_error("eventfd for SIGCHLD", errno);

  g_stop_fd = stop.get();
  g_child_fd = child.get();
  if (!set_handler(SIGINT, on_stop_signal) || !set_handler(SIGTERM, on_stop_signal) ||
      !set_handler(SIGCHLD, on_child_signal) || !set_handler(SIGPIPE, SIG_IGN)) {
    return system_error("sigaction", errno);
  }
  return SignalEvents(std::move(stop), std::move(child));
}

SignalEvents::~SignalEvents() {
  if (!stop_) return;  // moved from
  set_handler(SIGINT, SIG_DFL);
  set_handler(SIGTERM, SIG_DFL);
  set_handler(SIGCHLD, SIG_DFL);
  g_stop_fd = -1;
  g_child_fd = -1;
}

void SignalEvents::consume_child_events() const noexcept {
  std::uint64_t count = 0;
  [[maybe_unused]] ssize_t n = ::read(child_.get(), &count, sizeof count);
}

bool SignalEvents::stop_requested(int stop_fd) noexcept {
  pollfd fd{stop_fd, POLLIN, 0};
  return ::poll(&fd, 1, 0) == 1 && (fd.revents & POLLIN) != 0;
}

}  // namespace echo::server
