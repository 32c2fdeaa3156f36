#include "conformance/cli/live_target.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "conformance/cli/targets.h"
#include "core/net/io.h"
#include "core/net/socket.h"
#include "core/util/bytes.h"

namespace echo::conformance::cli {

Result<LiveTarget> prepare_live_target(const std::string& typed, bool probe_tcp,
                                       double timeout_scale) {
  ECHO_ASSIGN_OR_RETURN(const TargetSpec spec, parse_target_spec(typed));
  ECHO_ASSIGN_OR_RETURN(const Target target,
                        prepare_target(spec, TargetOptions{probe_tcp, timeout_scale}));
  return LiveTarget{target.name, target.address};
}

Result<ComparedReference> prepare_reference(const std::string& typed, bool differential,
                                            bool probe_tcp, double timeout_scale) {
  ComparedReference compared;
  if (!typed.empty()) {
    ECHO_ASSIGN_OR_RETURN(
        const LiveTarget live,
        prepare_live_target(typed, probe_tcp, timeout_scale).with_context("--reference"));
    compared.address = live.address;
  } else if (differential) {
    ECHO_ASSIGN_OR_RETURN(ReferenceServer started, ReferenceServer::start({false, timeout_scale}));
    compared.address = started.targets().front().address;
    compared.started.emplace(std::move(started));
  }
  return compared;
}

UdpService udp_service(const Endpoint& address, std::chrono::milliseconds wait) {
  Result<Fd> socket = udp_connect(address);
  if (!socket) return UdpService::kSilent;
  const auto probe = as_bytes("echo-conformance udp probe");
  if (::send(socket->get(), probe.data(), probe.size(), MSG_NOSIGNAL) < 0) {
    return errno == ECONNREFUSED ? UdpService::kRefused : UdpService::kSilent;
  }
  const Deadline deadline = Deadline::after(wait);
  std::byte reply[64];
  for (;;) {
    if (!wait_ready(socket->get(), POLLIN, deadline).ok()) return UdpService::kSilent;
    const ssize_t n = ::recv(socket->get(), reply, sizeof reply, MSG_DONTWAIT);
    if (n >= 0) return UdpService::kAnswered;
    if (errno == ECONNREFUSED) return UdpService::kRefused;
    if (errno != EAGAIN && errno != EINTR) return UdpService::kSilent;
  }
}

}  // namespace echo::conformance::cli
