// inetd mode (--inetd): inetd, xinetd (or systemd with Accept=yes) accepts
// and starts echo-server with the socket as standard input (and output), and
// echo-server serves that one socket, then exits:
//   - a connected TCP socket (inetd.conf "stream tcp nowait", xinetd
//     "wait = no"): the connection is echoed until it ends, as any model
//     serves a connection (serve_connection.h: half-close, --idle-timeout,
//     SIGTERM's drain);
//   - a UDP socket (inetd.conf "dgram udp wait", xinetd "wait = yes"): its
//     datagrams are echoed (with the loop guard and rate limits, as always)
//     until none came for --idle-timeout, or kInetdUdpIdle without one, so
//     inetd takes the socket back.
// A listening TCP socket (inetd's "stream tcp wait") is refused: use socket
// activation (activation.h) for that.
//
// The socket is moved to a descriptor of its own and descriptors 0, 1 (and 2
// when it is the same socket, as inetd passes it) become /dev/null, so the
// connection ends when the server closes it and no log line is written into
// it. Log lines then go nowhere: inetd services report through their exit code.
//
// Example:
//   Result<InetdSocket> socket = take_inetd_socket();
//   if (!socket) return fail(socket.error());
//   Status served = serve_inetd(*socket, context);
#pragma once

#include <chrono>

#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/fd.h"
#include "core/util/result.h"
#include "reference/server/context.h"

namespace echo::server {

inline constexpr std::chrono::seconds kInetdUdpIdle{10};

struct InetdSocket {
  Fd socket;
  Transport transport;
  Endpoint local;
  Endpoint peer;  // TCP only
};

// Takes standard input (see above). Call it before any thread starts.
[[nodiscard]] Result<InetdSocket> take_inetd_socket();

// Serves the socket until the connection ends (TCP), or until it was idle
// (UDP), or SIGINT/SIGTERM.
[[nodiscard]] Status serve_inetd(InetdSocket& inetd, const ServeContext& context);

}  // namespace echo::server
