// The epoll model: options.threads event loops (see epoll_loop.h), one thread
// each. If one loop fails, it raises the stop signal so the others drain and
// the server exits with the failure instead of running half-dead.
#include <sys/eventfd.h>

#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "reference/server/epoll_loop.h"
#include "reference/server/models.h"

namespace echo::server {

Status run_epoll(BoundSockets& sockets, const ServeContext& context) {
  std::vector<std::unique_ptr<EpollLoop>> loops;
  for (unsigned i = 0; i < context.options.threads; ++i) {
    Result<std::unique_ptr<EpollLoop>> loop =
        EpollLoop::create(sockets, context, /*serve_udp=*/i == 0);
    if (!loop) return loop.error();
    loops.push_back(std::move(*loop));
  }

  std::vector<Status> outcomes(loops.size());
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < loops.size(); ++i) {
      threads.emplace_back([&, i] {
        outcomes[i] = loops[i]->run();
        if (!outcomes[i]) ::eventfd_write(context.stop_fd, 1);
      });
    }
  }  // joins every thread

  for (Status& outcome : outcomes) {
    if (!outcome) return outcome;
  }
  return {};
}

}  // namespace echo::server
