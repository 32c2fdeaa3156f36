// Blocking transfers for the message modes (word, lines, ping), built on
// core/net/io.h. A message is sent with core's write_all(), by one --timeout
// for the whole message; each wait for echo bytes has its own --timeout,
// renewed whenever bytes arrive. The ExitReasons carry the exit codes of
// exit_codes.h (timeout 4, closed or reset 5). Each makes its system calls
// through the Syscalls seam passed last (core/net/syscalls.h), by default the
// real one.
//
// Example:
//   std::vector<std::byte> echo;
//   ExitReason reason = exchange(config, fd, as_bytes(word), echo);  // sends, awaits the echo
//   if (!reason.ok()) return reason;  // kTimeout, kClosedEarly, ...
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "core/net/syscalls.h"
#include "reference/client/config.h"
#include "reference/client/exit_reason.h"

namespace echo::client {

// Receives exactly into.size() bytes; the server closing first is kClosedEarly.
[[nodiscard]] ExitReason receive_exact(int fd, std::span<std::byte> into, Seconds timeout,
                                       Syscalls& syscalls = Syscalls::real());

// Sends one message and receives its echo: over TCP exactly message.size()
// bytes, over UDP one datagram of any size. The caller compares them.
[[nodiscard]] ExitReason exchange(const ClientConfig& config, int fd,
                                  std::span<const std::byte> message, std::vector<std::byte>& echo,
                                  Syscalls& syscalls = Syscalls::real());

// Writes every byte to a local descriptor (standard output), blocking or not;
// no timeout: the reader is local. A failure is kLocalError.
[[nodiscard]] ExitReason write_output(int fd, std::span<const std::byte> data,
                                      Syscalls& syscalls = Syscalls::real());

}  // namespace echo::client
