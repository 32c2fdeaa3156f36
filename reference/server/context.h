// What every concurrency model needs from the server: the options, the
// counters, the log and the stop signal.
#pragma once

#include "reference/server/counters.h"
#include "reference/server/log.h"
#include "reference/server/options.h"

namespace echo::server {

struct ServeContext {
  const ServerOptions& options;
  Counters& counters;
  const Logger& log;
  int stop_fd;  // readable once SIGINT/SIGTERM arrived (see signals.h)
};

}  // namespace echo::server
