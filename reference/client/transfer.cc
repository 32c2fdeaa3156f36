#include "reference/client/transfer.h"

#include <poll.h>

#include <string>

#include "core/net/io.h"
#include "core/net/udp.h"
#include "reference/client/connect.h"

namespace echo::client {
namespace {

constexpr std::size_t kMaxDatagram = 65536;

}  // namespace

ExitReason receive_exact(int fd, std::span<std::byte> into, Seconds timeout, Syscalls& syscalls) {
  std::size_t got = 0;
  while (got < into.size()) {
    Result<std::size_t> n = read_some(fd, into.subspan(got), deadline_after(timeout), syscalls);
    if (!n) return failure_from(n.error(), "waiting for the echo");
    if (*n == 0) {
      return failure(ExitCode::kClosedEarly, "the server closed the connection after " +
                                                 std::to_string(got) + " of " +
                                                 std::to_string(into.size()) + " echo bytes");
    }
    got += *n;
  }
  return success();
}

ExitReason exchange(const ClientConfig& config, int fd, std::span<const std::byte> message,
                    std::vector<std::byte>& echo, Syscalls& syscalls) {
  if (Status sent = write_all(fd, message, deadline_after(config.timeout), syscalls); !sent) {
    return failure_from(sent.error(), "sending to the server");
  }
  if (config.transport == Transport::kTcp) {
    echo.resize(message.size());
    return receive_exact(fd, echo, config.timeout, syscalls);
  }
  echo.resize(kMaxDatagram);
  Result<Datagram> reply = receive_datagram(fd, echo, deadline_after(config.timeout), syscalls);
  if (!reply) return failure_from(reply.error(), "waiting for the echo datagram");
  echo.resize(reply->size);
  return success();
}

ExitReason write_output(int fd, std::span<const std::byte> data, Syscalls& syscalls) {
  while (!data.empty()) {
    Transfer t = write_fd(fd, data, syscalls);
    if (t.kind == Transfer::Kind::kDone) {
      data = data.subspan(t.bytes);
      continue;
    }
    if (t.kind == Transfer::Kind::kError) {
      return failure(ExitCode::kLocalError, "cannot write standard output: " + t.error.message());
    }
    Result<short> ready = wait_ready(fd, POLLOUT, Deadline::never(), syscalls);
    if (!ready) {
      return failure(ExitCode::kLocalError,
                     "cannot write standard output: " + ready.error().message);
    }
  }
  return success();
}

}  // namespace echo::client
