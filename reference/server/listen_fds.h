// The service manager's socket-passing protocol (systemd socket activation,
// sd_listen_fds(3)), read without libsystemd: the manager binds the sockets,
// puts them at descriptors 3, 4, ... and sets LISTEN_FDS to their number and
// LISTEN_PID to the process it meant them for. This is the sans-I/O part: the
// two variables' values in, how many descriptors were passed out.
//
// As sd_listen_fds(): nothing was passed (0) when LISTEN_PID is unset or names
// another process (the variables were inherited by a child that is not the
// service) or LISTEN_FDS is unset; a value that is not a decimal number, or a
// count of 0 or less with LISTEN_PID matching, is an error. The caller unsets
// the variables either way (take_activated_sockets() in activation.h does).
//
// Example:
//   Result<int> count = parse_listen_fds(std::getenv("LISTEN_PID"), std::getenv("LISTEN_FDS"),
//                                        ::getpid());
//   // LISTEN_PID=1234 LISTEN_FDS=2, getpid() 1234: 2 (descriptors 3 and 4)
#pragma once

#include <sys/types.h>

#include "core/util/result.h"

namespace echo::server {

// The first passed descriptor (SD_LISTEN_FDS_START).
inline constexpr int kListenFdsStart = 3;
// More would be a broken manager: no host has that many descriptors for one service.
inline constexpr int kMaxListenFds = 65536;

// `listen_pid` and `listen_fds` are the variables' values, or null when unset.
[[nodiscard]] Result<int> parse_listen_fds(const char* listen_pid, const char* listen_fds,
                                           pid_t self);

}  // namespace echo::server
