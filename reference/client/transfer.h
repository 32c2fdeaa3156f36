// Blocking transfers for the message modes (word, lines, ping), built on the
// non-blocking helpers of core/net/io.h. Every wait on the server has its own
// --timeout, renewed whenever bytes move; the outcomes carry the exit codes
// of exit_codes.h (timeout 4, closed or reset 5). Each makes its system
// calls through the Syscalls seam passed last (core/net/syscalls.h), by
// default the real one.
//
// Example:
//   Outcome sent = send_all(fd, as_bytes(word), config.timeout);
//   std::string echo(word.size(), '\0');
//   Outcome got = receive_exact(fd, std::as_writable_bytes(std::span(echo)), config.timeout);
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/net/syscalls.h"
#include "reference/client/config.h"
#include "reference/client/outcome.h"

namespace echo::client {

// Sends every byte to the server.
[[nodiscard]] Outcome send_all(int fd, std::span<const std::byte> data, Seconds timeout,
                               Syscalls& syscalls = Syscalls::real());

// Receives exactly into.size() bytes; the server closing first is kClosedEarly.
[[nodiscard]] Outcome receive_exact(int fd, std::span<std::byte> into, Seconds timeout,
                                    Syscalls& syscalls = Syscalls::real());

// Sends one message and receives its echo: over TCP exactly message.size()
// bytes, over UDP one datagram of any size. The caller compares them.
[[nodiscard]] Outcome exchange(const ClientConfig& config, int fd,
                               std::span<const std::byte> message, std::vector<std::byte>& echo,
                               Syscalls& syscalls = Syscalls::real());

// Writes every byte to a local descriptor (standard output), blocking or not;
// no timeout: the reader is local. A failure is kLocalError.
[[nodiscard]] Outcome write_output(int fd, std::span<const std::byte> data,
                                   Syscalls& syscalls = Syscalls::real());

}  // namespace echo::client
