// The exit codes of echo-server, also listed in its --help text.
#pragma once

namespace echo::server {

enum ExitCode : int {
  kExitClean = 0,       // stopped by SIGINT/SIGTERM after draining (or --help)
  kExitRuntime = 1,     // an unexpected failure while running (epoll, threads, ...)
  kExitUsage = 2,       // bad command line: unknown flag, bad value, bad address
  kExitCannotBind = 3,  // a socket could not be bound or listened on (privileges, port in use),
                        // or the sockets passed (LISTEN_FDS, --inetd) are unusable
  kExitUser = 4,        // --user: not root, no such user, or the switch failed
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 clean stop (SIGINT/SIGTERM), 1 unexpected runtime failure, "
    "2 usage error (bad option or address), 3 cannot bind/listen (privileges, port in use) or "
    "unusable passed sockets, 4 --user failed (not root, unknown user).";

}  // namespace echo::server
