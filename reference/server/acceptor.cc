#include "reference/server/acceptor.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/net/socket.h"
#include "reference/server/error_number.h"

namespace echo::server {
namespace {

// One limit for the whole process: every loop hits EMFILE at the same moment.
RateLimit& descriptor_warnings() {
  static RateLimit limit(std::chrono::seconds(1));
  return limit;
}

}  // namespace

Acceptor::Acceptor(Syscalls& syscalls, Counters& counters, const Logger& log)
    : syscalls_(syscalls), counters_(counters), log_(log), spare_(open_spare()) {}

Fd Acceptor::open_spare() {
  return Fd(syscalls_.open("/dev/null", O_RDONLY | O_CLOEXEC), syscalls_);
}

Accepted Acceptor::accept(int listener) {
  Accepted result;
  Result<Fd> connection = tcp_accept(listener, &result.peer, syscalls_);
  if (connection) {
    // Echo replies are small writes that should leave at once, not wait for Nagle.
    (void)set_tcp_nodelay(connection->get(), true, syscalls_);
    result.kind = Accepted::kConnection;
    result.connection = std::move(*connection);
    return result;
  }
  const int errno_value = error_number(connection.error());
  if (errno_value == EAGAIN || errno_value == EWOULDBLOCK) return result;  // kNone
  if (errno_value == EMFILE || errno_value == ENFILE) return shed_one(listener, errno_value);
  // ECONNABORTED (the client reset it while it waited), EPROTO, ENOBUFS, ...: that
  // connection is lost, the listener is fine.
  add(errno_value == ECONNABORTED ? counters_.resets : counters_.errors);
  result.kind = Accepted::kDropped;
  return result;
}

Accepted Acceptor::shed_one(int listener, int errno_value) {
  add(counters_.errors);
  Accepted result;
  result.kind = Accepted::kPause;
  if (spare_) {
    spare_.reset();
    Fd shed(syscalls_.accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC), syscalls_);
    shed.reset();
    spare_ = open_spare();
    if (spare_) result.kind = Accepted::kDropped;
  }
  if (descriptor_warnings().allow()) {
    log_.warning(std::string("accept: ") + std::strerror(errno_value) +
                 "; closing new connections until descriptors are free");
  }
  return result;
}

}  // namespace echo::server
