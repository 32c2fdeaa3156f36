// run_server(): the whole of echo-server after the command line is parsed:
// install the signal handlers, take the sockets (passed by a service manager
// through LISTEN_FDS, inetd's on standard input with --inetd, or bound here),
// give up root for --user, announce the sockets on stdout, serve with the
// chosen model until SIGINT/SIGTERM (or, with --inetd, until the connection
// ends or the UDP socket is idle), print the counters on stderr, and return
// the exit code (see exit_codes.h).
//
// Example (main):
//   auto parsed = parse_options(argc, argv, std::cout, std::cerr);
//   if (auto* code = std::get_if<ExitCode>(&parsed)) return *code;
//   return run_server(std::get<ServerOptions>(parsed));
#pragma once

#include "reference/server/exit_codes.h"
#include "reference/server/options.h"

namespace echo::server {

[[nodiscard]] ExitCode run_server(const ServerOptions& options);

}  // namespace echo::server
