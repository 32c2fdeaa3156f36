// --user NAME: started as root (to bind port 7, say), echo-server gives up
// root for NAME's user and group once its sockets are bound and before it
// serves anyone. The user is looked up first, so a wrong name fails before
// anything is bound. Not root, an unknown user, or a drop that fails (or that
// could be undone) is an error: the server never serves with privileges it
// was told to give up.
//
// The alternative without root: give the binary the one capability it needs
// (setcap cap_net_bind_service=+ep echo-server, or systemd's
// AmbientCapabilities=CAP_NET_BIND_SERVICE), or let a service manager bind
// (activation.h, inetd.h).
//
// Example:
//   Result<TargetUser> user = look_up_user("nobody");   // before binding
//   ... bind ...
//   if (Status s = drop_privileges(*user); !s) return fail(s.error());
#pragma once

#include <sys/types.h>

#include <string>

#include "core/util/result.h"

namespace echo::server {

struct TargetUser {
  std::string name;
  uid_t uid;
  gid_t gid;  // the user's primary group; the only group kept
};

// The user, if this process runs as root (effective uid 0) and NAME exists.
[[nodiscard]] Result<TargetUser> look_up_user(const std::string& name);

// setgroups (only the user's group), setgid, setuid; then checks that root
// cannot be regained. Call it before any thread starts.
[[nodiscard]] Status drop_privileges(const TargetUser& user);

}  // namespace echo::server
