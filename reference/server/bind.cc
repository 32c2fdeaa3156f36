#include "reference/server/bind.h"

#include <cerrno>
#include <optional>

#include "core/net/socket.h"
#include "core/process/listening_line.h"
#include "reference/server/error_number.h"
#include "reference/server/udp_echo.h"

namespace echo::server {
namespace {

constexpr int kPortRetries = 16;

// The sockets of one --listen address.
struct AddressSockets {
  Fd tcp;
  Fd udp;
};

bool is_errno(const Error& error, int value) { return error_number(error) == value; }

bool family_unsupported(const Error& error) {
  return is_errno(error, EAFNOSUPPORT) || is_errno(error, EADDRNOTAVAIL) ||
         is_errno(error, EPROTONOSUPPORT);
}

// One attempt: TCP first (it decides a wildcard port), then UDP on that port.
Result<AddressSockets> bind_once(const ServerOptions& options, const Endpoint& address) {
  AddressSockets sockets;
  Endpoint udp_address = address;
  if (options.tcp) {
    ECHO_ASSIGN_OR_RETURN(
        Fd listener,
        tcp_listen(address, ListenOptions{.backlog = 1024, .v6_only = true}).with_context("TCP"));
    ECHO_ASSIGN_OR_RETURN(const Endpoint bound, local_endpoint(listener.get()));
    udp_address.set_port(bound.port());
    sockets.tcp = std::move(listener);
  }
  if (options.udp) {
    ECHO_ASSIGN_OR_RETURN(Fd udp,
                          udp_bind(udp_address, /*want_destination=*/true).with_context("UDP"));
    DatagramEcho::enable_receive_offload(udp.get());  // every model reads it with DatagramEcho
    sockets.udp = std::move(udp);
  }
  return sockets;
}

Result<AddressSockets> bind_address(const ServerOptions& options, const Endpoint& address) {
  const bool port_chosen_by_kernel = address.port() == 0 && options.tcp && options.udp;
  for (int attempt = 1;; ++attempt) {
    Result<AddressSockets> sockets = bind_once(options, address);
    if (sockets || !port_chosen_by_kernel || attempt == kPortRetries) return sockets;
    // The TCP port the kernel picked is taken for UDP by someone else: try another.
    if (!is_errno(sockets.error(), EADDRINUSE)) return sockets;
  }
}

Status announce(Transport transport, const Fd& socket, std::vector<std::string>& lines) {
  ECHO_ASSIGN_OR_RETURN(const Endpoint bound, local_endpoint(socket.get()));
  lines.push_back(format_listening_line(transport, bound));
  return {};
}

}  // namespace

Result<BoundSockets> bind_sockets(const ServerOptions& options, const Logger& log) {
  BoundSockets all;
  for (const Endpoint& address : options.listen) {
    Result<AddressSockets> sockets = bind_address(options, address);
    if (!sockets && options.listen_is_default && family_unsupported(sockets.error())) {
      log.warning("skipping " + address.to_string() + ": " + sockets.error().message);
      continue;
    }
    if (!sockets) return sockets.error();
    if (sockets->tcp) {
      ECHO_TRY(announce(Transport::kTcp, sockets->tcp, all.announcements));
      all.tcp_listeners.push_back(std::move(sockets->tcp));
    }
    if (sockets->udp) {
      ECHO_TRY(announce(Transport::kUdp, sockets->udp, all.announcements));
      all.udp_sockets.push_back(std::move(sockets->udp));
    }
  }
  if (all.tcp_listeners.empty() && all.udp_sockets.empty()) {
    return Error{"no address could be bound; pass --listen ADDRESS:PORT", {}};
  }
  return all;
}

}  // namespace echo::server
