// The fork model: the lecture's fork-per-connection server, made correct. The
// parent accepts, answers UDP, and reaps children as SIGCHLD reports them
// (waitpid WNOHANG in a loop: one SIGCHLD may stand for several exits). Each
// child closes the listening sockets it inherited and serves its one
// connection with serve_connection(). Counters live in shared memory.
//
// On SIGINT/SIGTERM the parent closes its listeners (new connections are
// refused rather than left queued); children see the same stop eventfd and
// give their client --drain-timeout to finish. Children still running a little
// after that are killed. Children keep the signal handlers, so SIGINT from a
// terminal (sent to the whole process group) drains them too; a SIGTERM sent to
// one child alone drains the whole server, since they share the stop eventfd.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <unordered_set>

#include "reference/server/acceptor.h"
#include "reference/server/models.h"
#include "reference/server/poll_set.h"
#include "reference/server/serve_connection.h"
#include "reference/server/udp_echo.h"

namespace echo::server {
namespace {

constexpr std::chrono::milliseconds kExitGrace{500};

class Children {
 public:
  explicit Children(Counters& counters) : counters_(counters) {}

  void add_child(pid_t pid) {
    pids_.insert(pid);
    add(counters_.connections_open);
  }
  // Collects every child that has exited.
  void reap() {
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pids_.erase(pid) == 1) counters_.connections_open.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  void kill_all() {
    for (pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
    counters_.connections_open.store(0, std::memory_order_relaxed);
    pids_.clear();
  }
  [[nodiscard]] std::size_t size() const noexcept { return pids_.size(); }

 private:
  Counters& counters_;
  std::unordered_set<pid_t> pids_;
};

[[noreturn]] void run_child(BoundSockets& sockets, Accepted& accepted,
                            const ServeContext& context) {
  sockets.tcp_listeners.clear();
  sockets.udp_sockets.clear();
  ::signal(SIGCHLD, SIG_DFL);
  // Standard output carries the parent's listening lines; a child keeping it
  // open would make a reader wait for the end of output after the parent exits.
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
  serve_connection(std::move(accepted.connection), accepted.peer, context);
  ::_exit(0);  // no destructors or atexit handlers: they belong to the parent
}

void wait_for_children(Children& children, const SignalEvents& signals, Deadline deadline) {
  while (children.size() > 0 && !deadline.expired()) {
    pollfd fd{signals.child_fd(), POLLIN, 0};
    ::poll(&fd, 1, deadline.poll_timeout_ms());
    signals.consume_child_events();
    children.reap();
  }
  children.kill_all();
}

}  // namespace

Status run_fork(BoundSockets& sockets, const ServeContext& context, const SignalEvents& signals) {
  const std::size_t max_connections = context.options.max_connections;
  Acceptor acceptor(context.syscalls, context.counters, context.log);
  DatagramEcho udp(context.syscalls, context.counters);
  PollSet poll_set(context.syscalls, context.stop_fd, signals.child_fd(), sockets);
  Children children(context.counters);
  Deadline paused_until = Deadline::after(std::chrono::seconds(0));

  for (;;) {
    const bool below_limit = max_connections == 0 || children.size() < max_connections;
    const bool accepting = below_limit && paused_until.expired();
    const Deadline wake = paused_until.expired() ? Deadline::never() : paused_until;
    if (Status s = poll_set.wait(accepting, wake); !s) return s;
    if (poll_set.child_ready()) {
      signals.consume_child_events();
      children.reap();
    }
    if (poll_set.stop_ready()) break;
    for (int fd : poll_set.ready_udp()) udp.serve_ready(fd);
    if (!accepting) continue;
    for (int listener : poll_set.ready_listeners()) {
      Accepted accepted = acceptor.accept(listener);
      if (accepted.kind == Accepted::kPause)
        paused_until = Deadline::after(Acceptor::kPauseInterval);
      if (accepted.kind != Accepted::kConnection) continue;
      add(context.counters.connections_accepted);
      const pid_t pid = ::fork();
      if (pid == 0) run_child(sockets, accepted, context);
      if (pid < 0) {
        add(context.counters.errors);
        context.log.warning(std::string("fork: ") + std::strerror(errno) +
                            "; closing the connection from " + accepted.peer.to_string());
        continue;
      }
      children.add_child(pid);
    }
  }

  sockets.tcp_listeners.clear();
  sockets.udp_sockets.clear();
  wait_for_children(children, signals, Deadline::after(context.options.drain_timeout + kExitGrace));
  return {};
}

}  // namespace echo::server
