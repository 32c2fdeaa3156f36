// Socket activation: echo-server serves the sockets a service manager bound
// for it (systemd's .socket units, systemd-socket-activate, or anything that
// follows sd_listen_fds(3)) instead of binding its own. Any mix of TCP
// listeners and UDP sockets, IPv4 and IPv6, in any order: each descriptor's
// kind is read from the kernel (passed_socket.h), not from the order or the
// names the manager gave. They are set up as the server's own sockets are
// (close-on-exec, non-blocking, packet information for UDP). A descriptor that
// is not an IPv4/IPv6 TCP listener or UDP socket (a connection from
// Accept=yes, a Unix socket, a FIFO) is an error naming it.
//
// Example:
//   Result<std::optional<BoundSockets>> passed = take_activated_sockets();
//   if (!passed) return fail(passed.error());             // malformed or unusable
//   BoundSockets sockets = *passed ? std::move(**passed)  // the manager's
//                                  : bind_sockets(...);   // none passed: bind our own
#pragma once

#include <optional>

#include "core/net/syscalls.h"
#include "core/util/result.h"
#include "reference/server/bind.h"

namespace echo::server {

// Takes ownership of descriptors kListenFdsStart .. kListenFdsStart + count - 1
// and makes them the server's sockets, with their listening-line announcements.
[[nodiscard]] Result<BoundSockets> adopt_passed_sockets(int count,
                                                        Syscalls& syscalls = Syscalls::real());

// Reads LISTEN_PID/LISTEN_FDS (listen_fds.h), unsets them and LISTEN_FDNAMES
// so a child process never takes them for its own, and adopts the sockets:
// nullopt when none were passed. Call it before any thread starts (unsetenv).
[[nodiscard]] Result<std::optional<BoundSockets>> take_activated_sockets(
    Syscalls& syscalls = Syscalls::real());

}  // namespace echo::server
