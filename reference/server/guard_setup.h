// Builds the guard's settings (guard/guard_settings.h) at start-up: the
// command line's choices, plus what only the system knows: the ports the
// bound sockets really have (port 0 resolved), the IPv4 broadcast addresses
// of the interfaces (read once: an interface added later is not known), and a
// random seed for the guard's hash tables.
//
// Example:
//   const GuardSettings guard = make_guard_settings(options, *sockets);
#pragma once

#include "reference/server/bind.h"
#include "reference/server/guard/guard_settings.h"
#include "reference/server/options.h"

namespace echo::server {

[[nodiscard]] GuardSettings make_guard_settings(const ServerOptions& options,
                                                const BoundSockets& sockets);

}  // namespace echo::server
