// The exit codes of echo-client, also listed at the end of its --help text.
// Each failure maps to exactly one code, so scripts can tell a broken server
// (1, 5) from a missing one (3) or a slow one (4).
#pragma once

namespace echo::client {

enum class ExitCode : int {
  // Every byte sent came back identical (and, in --ping, at least one reply arrived).
  kOk = 0,
  // The echo differs from what was sent: a different byte (the message names
  // its offset), extra bytes, or a reply of another size or sequence number.
  kMismatch = 1,
  // Bad command line: unknown option, bad port, number or mode combination (or --help misused).
  kUsage = 2,
  // The server could not be reached: name not resolved, connection refused, no
  // route, or an ICMP port unreachable for UDP.
  kUnreachable = 3,
  // The server did not answer within --timeout: connecting, or waiting for the
  // echo (in --ping over UDP: every reply was lost).
  kTimeout = 4,
  // The connection ended before the whole echo came back: the server closed
  // early or reset the connection.
  kClosedEarly = 5,
  // A local failure unrelated to the server: standard input unreadable,
  // standard output closed, out of descriptors or memory.
  kLocalError = 6,
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  ok: the echo equals what was sent\n"
    "  1  mismatch: the echo differs (the first differing offset is named)\n"
    "  2  usage error: bad option, port or value\n"
    "  3  unreachable: cannot resolve, connection refused, no route\n"
    "  4  timeout: no answer within --timeout (UDP --ping: every reply lost)\n"
    "  5  closed early: the server closed or reset the connection before the whole echo\n"
    "  6  local error: standard input/output failed, out of resources\n";

[[nodiscard]] constexpr int to_int(ExitCode code) noexcept { return static_cast<int>(code); }

}  // namespace echo::client
