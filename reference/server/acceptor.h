// Accepting TCP connections without ever busy-looping when descriptors run out.
//
// On EMFILE/ENFILE the pending connection cannot be accepted, so a
// level-triggered listener would stay readable and spin the loop. The
// Acceptor keeps one spare descriptor: it closes the spare, accepts the
// connection and closes it at once (the client sees the connection closed
// rather than hanging), then reopens the spare. If the spare cannot be
// reopened (another thread took the slot) the caller is told to pause
// accepting for a short interval instead. Either way one warning is logged per
// second at most, across all loops.
//
// Every system call (accept4, setsockopt, open and close of the spare) goes
// through the Syscalls seam given (syscalls.h); the connections it returns
// close through it too.
//
// Example:
//   Acceptor acceptor(context.syscalls, counters, log);
//   Accepted a = acceptor.accept(listener_fd);
//   if (a.kind == Accepted::kConnection) serve(std::move(a.connection));
#pragma once

#include <chrono>

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "core/net/syscalls.h"
#include "reference/server/counters.h"
#include "reference/server/log.h"

namespace echo::server {

struct Accepted {
  enum Kind {
    kConnection,  // `connection` is a new non-blocking socket with TCP_NODELAY set
    kNone,        // nothing pending (EAGAIN)
    kDropped,     // a connection was refused or failed (counted); try again
    kPause,       // out of descriptors: stop accepting for kPauseInterval
  };
  Kind kind = kNone;
  Fd connection;
  Endpoint peer;
};

class Acceptor {
 public:
  static constexpr std::chrono::milliseconds kPauseInterval{100};

  Acceptor(Syscalls& syscalls, Counters& counters, const Logger& log);

  [[nodiscard]] Accepted accept(int listener);

 private:
  Accepted shed_one(int listener, int errno_value);

  Fd open_spare();

  Syscalls& syscalls_;
  Counters& counters_;
  const Logger& log_;
  Fd spare_;
};

}  // namespace echo::server
