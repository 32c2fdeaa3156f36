#include "reference/server/session_pump.h"

#include <algorithm>
#include <system_error>

#include "core/net/io.h"

namespace echo::server {
namespace {

// What one round did, and whether another round may find more to do.
struct Round {
  bool moved = false;
  bool again = false;
};

// A reset by the peer is the client's doing; anything else is the server's failure.
void count_failure(const std::error_code& error, Counters& counters) {
  const bool reset = error == std::errc::connection_reset || error == std::errc::broken_pipe;
  add(reset ? counters.resets : counters.errors);
}

// Applies a receive's outcome to the session; whether it was a full one
// (as many bytes as offered, so more may be queued).
bool on_receive(const Transfer& in, std::size_t offered, EchoSession& session, Counters& counters) {
  switch (in.kind) {
    case Transfer::Kind::kDone:
      add(counters.bytes_in, in.bytes);
      return in.bytes == offered;
    case Transfer::Kind::kEof:
      session.on_peer_eof();
      return false;
    case Transfer::Kind::kError:
      session.on_error();
      count_failure(in.error, counters);
      return false;
    case Transfer::Kind::kWouldBlock:
      return false;
  }
  return false;
}

// Sends the session's pending output until it is empty or the socket is
// full; whether it emptied. `moved` is set when anything was sent.
bool flush(Syscalls& syscalls, int fd, EchoSession& session, Counters& counters, bool& moved) {
  while (session.wants_write()) {
    const std::span<const std::byte> pending = session.pending_output();
    Transfer out = send_some(fd, pending, syscalls);
    if (out.kind == Transfer::Kind::kError) {
      session.on_error();
      count_failure(out.error, counters);
      moved = true;
      return false;
    }
    if (out.kind != Transfer::Kind::kDone) return false;
    session.on_sent(out.bytes);
    add(counters.bytes_out, out.bytes);
    moved = true;
    if (out.bytes < pending.size()) return false;  // the socket's send buffer is full
  }
  return true;
}

// Fast path: nothing is buffered, so receive into scratch and echo from there.
Round direct_round(Syscalls& syscalls, int fd, EchoSession& session, Counters& counters,
                   std::span<std::byte> space) {
  Transfer in = recv_some(fd, space, syscalls);
  const bool full = on_receive(in, space.size(), session, counters);
  if (in.kind != Transfer::Kind::kDone) return {in.kind != Transfer::Kind::kWouldBlock, false};
  const std::span<const std::byte> received = space.first(in.bytes);
  Transfer out = send_some(fd, received, syscalls);
  const std::size_t sent = out.kind == Transfer::Kind::kDone ? out.bytes : 0;
  session.on_echoed(received, sent);
  add(counters.bytes_out, sent);
  if (out.kind == Transfer::Kind::kError) {
    session.on_error();
    count_failure(out.error, counters);
  }
  return {true, full && sent == received.size()};
}

// Bytes are buffered: receive behind them (while there is room), then flush.
Round buffered_round(Syscalls& syscalls, int fd, EchoSession& session, Counters& counters) {
  Round round;
  bool read_more = true;
  if (session.wants_read()) {
    const std::span<std::byte> space = session.receive_space();
    Transfer in = recv_some(fd, space, syscalls);
    if (in.kind == Transfer::Kind::kDone) session.on_received(in.bytes);
    read_more = on_receive(in, space.size(), session, counters);
    round.moved = in.kind != Transfer::Kind::kWouldBlock;
  }
  const bool flushed = flush(syscalls, fd, session, counters, round.moved);
  round.again = round.moved && read_more && flushed;
  return round;
}

}  // namespace

bool pump_session(Syscalls& syscalls, int fd, EchoSession& session, Counters& counters,
                  std::span<std::byte> scratch, int max_rounds) {
  bool moved = false;
  for (int round = 0; round < max_rounds && !session.should_close(); ++round) {
    const std::size_t direct = std::min(scratch.size(), session.direct_receive_limit());
    const Round r = direct > 0
                        ? direct_round(syscalls, fd, session, counters, scratch.first(direct))
                        : buffered_round(syscalls, fd, session, counters);
    moved = moved || r.moved;
    if (!r.again) break;
  }
  return moved;
}

}  // namespace echo::server
