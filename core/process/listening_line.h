// The listening-line protocol: a server started on port 0 prints one line per
// bound socket on standard output, so whoever started it (a test, the
// checker, a benchmark) learns the port the kernel chose:
//
//   listening tcp 127.0.0.1:41234
//   listening udp [::1]:41234
//
// The echo-server and the broken-echo-server fixtures print these lines with
// format_listening_line(); the programs that start them wait with
// wait_for_listening(), which parses them with parse_listening_line().
//
// Example:
//   std::cout << format_listening_line(Transport::kTcp, bound) << std::endl;  // in the server
//
//   auto server = ChildProcess::spawn(sibling_program("echo-server"), {"--listen", "127.0.0.1:0"});
//   Result<Listening> listening = wait_for_listening(*server, Deadline::after(10s));
//   if (!listening) return listening.error();  // says what the server printed, and its exit status
//   Endpoint target = listening->tcp.front();  // 127.0.0.1:41234
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/deadline.h"
#include "core/process/child_process.h"
#include "core/util/result.h"

namespace echo {

struct ListeningLine {
  Transport transport = Transport::kTcp;
  Endpoint endpoint;
};

// "listening <tcp|udp> <endpoint>", without a newline; IPv6 in brackets.
[[nodiscard]] std::string format_listening_line(Transport transport, const Endpoint& bound);

// The transport and endpoint of a listening line (a trailing '\r' is
// tolerated); nullopt for any other line: other output, an unknown transport,
// a malformed or non-numeric address, port 0, anything after the address.
[[nodiscard]] std::optional<ListeningLine> parse_listening_line(std::string_view line);

// How many listening lines of each transport to wait for: one TCP and one UDP
// line by default (a server on one address); {.tcp = 2, .udp = 2} for two.
struct ListeningWanted {
  std::size_t tcp = 1;
  std::size_t udp = 1;
};

// The endpoints announced, in the order printed (at least as many as wanted).
struct Listening {
  std::vector<Endpoint> tcp;
  std::vector<Endpoint> udp;
};

// Reads `child`'s standard output line by line until it has announced the
// listening lines `wanted`, skipping any other line. Fails when the deadline
// passes (std::errc::timed_out) or the output ends first
// (std::errc::broken_pipe), with one message naming the child, the lines still
// missing, its exit status if it has exited, the last lines it printed, and
// (when its standard error is piped) the last line of its standard error.
// Lines after the last wanted one stay unread in `child`.
[[nodiscard]] Result<Listening> wait_for_listening(ChildProcess& child, Deadline deadline,
                                                   ListeningWanted wanted = {});

}  // namespace echo
