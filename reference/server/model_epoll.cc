// The epoll model: options.threads event loops (see epoll_loop.h), one thread
// each. If one loop fails, it raises the stop signal so the others drain and
// the server exits with the failure instead of running half-dead.
//
// On SIGINT/SIGTERM the listeners and UDP sockets are closed, as in the fork
// model: new connections are refused (ECONNREFUSED; any still queued in the
// backlog are reset) rather than completing the handshake into a backlog
// nobody accepts from, and datagrams go unanswered, while the accepted
// connections drain. The sockets are shared by all loops, so the last loop to
// release them (EpollLoop's `released` callback: it has removed them from its
// epoll set and will not use their numbers again) closes them, exactly once.
//
// Why not shutdown(SHUT_RD) on the listener from the first loop to drain,
// without the barrier? On Linux (checked on 6.18) it refuses new connections
// too, but the socket then reports EPOLLHUP, which cannot be masked, to every
// epoll set still watching it: a loop that has not yet seen the stop event
// would spin on it (accept() fails with EINVAL). Closing drops the socket from
// every epoll set at once, but only the last user may close the descriptor.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "reference/server/epoll_loop.h"
#include "reference/server/models.h"

namespace echo::server {
namespace {

// Makes the stop eventfd readable, as SIGINT/SIGTERM do (signals.cc).
void raise_stop(const ServeContext& context) {
  const std::uint64_t one = 1;
  [[maybe_unused]] ssize_t n = context.syscalls.write(context.stop_fd, &one, sizeof one);
}

}  // namespace

Status run_epoll(BoundSockets& sockets, const ServeContext& context) {
  std::atomic<unsigned> using_sockets{context.options.threads};
  // Called once by each loop, from its thread; the last one closes the sockets.
  // acq_rel: every other loop's epoll_ctl(DEL) happens before the close.
  const auto released = [&] {
    if (using_sockets.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    sockets.tcp_listeners.clear();
    sockets.udp_sockets.clear();
  };

  std::vector<std::unique_ptr<EpollLoop>> loops;
  for (unsigned i = 0; i < context.options.threads; ++i) {
    ECHO_ASSIGN_OR_RETURN(std::unique_ptr<EpollLoop> loop,
                          EpollLoop::create(sockets, context, /*serve_udp=*/i == 0, released));
    loops.push_back(std::move(loop));
  }

  std::vector<Status> outcomes(loops.size());
  sigset_t previous_mask;
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < loops.size(); ++i) {
      threads.emplace_back([&, i] {
        outcomes[i] = loops[i]->run();
        if (!outcomes[i]) raise_stop(context);
      });
    }
    // From here SIGINT/SIGTERM go to a loop's thread, waiting in epoll_wait, not
    // to this one, which only joins. (Under ThreadSanitizer a handler due in a
    // thread blocked in pthread_join waits until the join returns: a hang.)
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    ::pthread_sigmask(SIG_BLOCK, &stop_signals, &previous_mask);
  }  // joins every thread
  ::pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);

  for (Status& outcome : outcomes) {
    if (!outcome) return outcome;
  }
  return {};
}

}  // namespace echo::server
