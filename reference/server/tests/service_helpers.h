// Helpers for the tests of echo-server under service managers (socket
// activation, inetd, --user): sockets made the way a manager makes them,
// free loopback ports for programs that need a fixed one, UDP round trips,
// and the counters a server prints when it exits by itself.
//
// Example:
//   Fd listener = manager_socket(Transport::kTcp, Endpoint::loopback_v4(0));
//   auto server = ChildProcess::spawn("/bin/sh", activation_args(1, {"--quiet"}),
//                                     SpawnOptions{.pass_fds = {listener.get()}});
//   expect_datagram_echo(udp_endpoint, "hello");
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/address/endpoint.h"
#include "core/address/transport.h"
#include "core/net/fd.h"
#include "core/process/child_process.h"

namespace echo::server::testing {

// A socket as systemd binds it: blocking, inheritable, IPv6-only for IPv6; a
// TCP one listening. Invalid on failure (the test fails).
[[nodiscard]] Fd manager_socket(Transport transport, const Endpoint& address);
[[nodiscard]] Endpoint local_address(const Fd& socket);

// The arguments of /bin/sh that start echo-server as a service manager does:
// LISTEN_PID its own pid (or `listen_pid` when given), LISTEN_FDS `count`.
[[nodiscard]] std::vector<std::string> activation_args(int count,
                                                       const std::vector<std::string>& server_args,
                                                       std::optional<int> listen_pid = {});

// `address` with a port that is free for both TCP and UDP right now (bound
// with port 0, then released: a program that needs a fixed port retries if
// someone takes it meanwhile).
[[nodiscard]] Endpoint free_port(const Endpoint& address);

// Sends `text` in one datagram from a new socket and expects exactly it back from `server`.
void expect_datagram_echo(const Endpoint& server, std::string_view text);

// Waits (bounded) for the child to exit by itself: its exit status, -1 if it did not.
[[nodiscard]] int wait_for_exit(ChildProcess& child);
// The "counters: name=value ..." line of an echo-server's stderr, read until it closes.
[[nodiscard]] std::map<std::string, std::uint64_t> read_counters(int stderr_fd);

// Whether the program is on PATH (or an executable path).
[[nodiscard]] std::optional<std::string> find_program(const std::string& name);

}  // namespace echo::server::testing
