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
#include <unordered_map>

#include "reference/server/acceptor.h"
#include "reference/server/models.h"
#include "reference/server/poll_set.h"
#include "reference/server/refuse_connection.h"
#include "reference/server/serve_connection.h"
#include "reference/server/udp_echo.h"

namespace echo::server {
namespace {

constexpr std::chrono::milliseconds kExitGrace{500};

// The children, each with the peer it serves (for --max-connections-per-address).
class Children {
 public:
  Children(Counters& counters, ConnectionsPerAddress& per_address)
      : counters_(counters), per_address_(per_address) {}

  void add_child(pid_t pid, const Endpoint& peer) {
    peers_.emplace(pid, peer);
    add(counters_.connections_open);
  }
  // Collects every child that has exited.
  void reap() {
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) forget(pid);
  }
  void kill_all() {
    for (const auto& [pid, peer] : peers_) ::kill(pid, SIGKILL);
    while (!peers_.empty()) {
      const pid_t pid = peers_.begin()->first;
      ::waitpid(pid, nullptr, 0);
      forget(pid);
    }
  }
  [[nodiscard]] std::size_t size() const noexcept { return peers_.size(); }

 private:
  void forget(pid_t pid) {
    const auto child = peers_.find(pid);
    if (child == peers_.end()) return;
    per_address_.remove(child->second);
    counters_.connections_open.fetch_sub(1, std::memory_order_relaxed);
    peers_.erase(child);
  }

  Counters& counters_;
  ConnectionsPerAddress& per_address_;
  std::unordered_map<pid_t, Endpoint> peers_;
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
  DatagramEcho udp(context.syscalls, context.counters, context.guard, &context.log);
  PollSet poll_set(context.syscalls, context.stop_fd, signals.child_fd(), sockets);
  Children children(context.counters, context.per_address);
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
      if (!context.per_address.try_add(accepted.peer)) {
        refuse_connection(std::move(accepted.connection), accepted.peer, context.counters,
                          context.log);
        continue;
      }
      add(context.counters.connections_accepted);
      const pid_t pid = ::fork();
      if (pid == 0) run_child(sockets, accepted, context);
      if (pid < 0) {
        context.per_address.remove(accepted.peer);
        add(context.counters.errors);
        context.log.warning(std::string("fork: ") + std::strerror(errno) +
                            "; closing the connection from " + accepted.peer.to_string());
        continue;
      }
      children.add_child(pid, accepted.peer);
    }
  }

  sockets.tcp_listeners.clear();
  sockets.udp_sockets.clear();
  wait_for_children(children, signals, Deadline::after(context.options.drain_timeout + kExitGrace));
  return {};
}

}  // namespace echo::server
