#include "reference/server/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace echo::server {

Result<TargetUser> look_up_user(const std::string& name) {
  if (::geteuid() != 0) {
    return Error{"--user " + name +
                     " needs root to switch users; without root, run as the user directly "
                     "(grant CAP_NET_BIND_SERVICE for ports below 1024)",
                 {}};
  }
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  errno = 0;
  const int rc = ::getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    if (rc != 0 && rc != ENOENT && rc != ESRCH) return system_error("--user " + name, rc);
    return Error{"--user " + name + ": no such user", {}};
  }
  return TargetUser{name, entry.pw_uid, entry.pw_gid};
}

Status drop_privileges(const TargetUser& user) {
  const std::string what = "cannot become user " + user.name;
  if (::setgroups(1, &user.gid) != 0) return system_error(what + " (setgroups)", errno);
  if (::setgid(user.gid) != 0) return system_error(what + " (setgid)", errno);
  if (::setuid(user.uid) != 0) return system_error(what + " (setuid)", errno);
  if (user.uid != 0 && (::setuid(0) == 0 || ::seteuid(0) == 0)) {
    return Error{what + ": root could be regained", {}};
  }
  return {};
}

}  // namespace echo::server
