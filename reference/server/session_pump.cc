#include "reference/server/session_pump.h"

#include "core/net/io.h"

namespace echo::server {
namespace {

// One receive into the session; whether it made progress.
bool receive_once(int fd, EchoSession& session, Counters& counters) {
  Transfer in = recv_some(fd, session.receive_space());
  switch (in.kind) {
    case Transfer::Kind::kDone:
      session.on_received(in.bytes);
      add(counters.bytes_in, in.bytes);
      return true;
    case Transfer::Kind::kEof:
      session.on_peer_eof();
      return true;
    case Transfer::Kind::kError:
      session.on_error();
      add(counters.errors);
      return true;
    case Transfer::Kind::kWouldBlock:
      return false;
  }
  return false;
}

// One send of the session's pending output; whether it made progress.
bool send_once(int fd, EchoSession& session, Counters& counters) {
  Transfer out = send_some(fd, session.pending_output());
  switch (out.kind) {
    case Transfer::Kind::kDone:
      session.on_sent(out.bytes);
      add(counters.bytes_out, out.bytes);
      return true;
    case Transfer::Kind::kError:
      session.on_error();
      add(counters.errors);
      return true;
    case Transfer::Kind::kEof:
    case Transfer::Kind::kWouldBlock:
      return false;
  }
  return false;
}

}  // namespace

bool pump_session(int fd, EchoSession& session, Counters& counters, int max_rounds) {
  bool moved = false;
  for (int round = 0; round < max_rounds && !session.should_close(); ++round) {
    const bool received = session.wants_read() && receive_once(fd, session, counters);
    // Echo as data arrives: send right after each receive, never wait for more.
    const bool sent = session.wants_write() && send_once(fd, session, counters);
    if (!received && !sent) break;
    moved = true;
  }
  return moved;
}

}  // namespace echo::server
