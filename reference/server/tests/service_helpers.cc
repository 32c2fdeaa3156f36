#include "reference/server/tests/service_helpers.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "core/net/socket.h"
#include "core/net/udp.h"
#include "reference/server/counters.h"
#include "reference/server/tests/server_fixture.h"

namespace echo::server::testing {

Fd manager_socket(Transport transport, const Endpoint& address) {
  const bool tcp = transport == Transport::kTcp;
  Fd socket(::socket(address.family(), tcp ? SOCK_STREAM : SOCK_DGRAM, 0));
  EXPECT_TRUE(socket) << "socket: " << errno;
  const int on = 1;
  if (tcp) ::setsockopt(socket.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (address.family() == AF_INET6) {
    ::setsockopt(socket.get(), IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  if (::bind(socket.get(), address.sockaddr_ptr(), address.sockaddr_len()) != 0 ||
      (tcp && ::listen(socket.get(), 128) != 0)) {
    ADD_FAILURE() << "cannot bind " << address.to_string() << ": errno " << errno;
    return Fd();
  }
  return socket;
}

Endpoint local_address(const Fd& socket) {
  Result<Endpoint> local = local_endpoint(socket.get());
  EXPECT_TRUE(local) << local.error().message;
  return local ? *local : Endpoint();
}

std::vector<std::string> activation_args(int count, const std::vector<std::string>& server_args,
                                         std::optional<int> listen_pid) {
  const std::string pid = listen_pid ? std::to_string(*listen_pid) : "$$";
  std::vector<std::string> args = {
      "-c",
      "LISTEN_PID=" + pid + " LISTEN_FDS=" + std::to_string(count) +
          " LISTEN_FDNAMES=echo; export LISTEN_PID LISTEN_FDS LISTEN_FDNAMES; exec \"$0\" \"$@\"",
      sibling_program("echo-server")};
  args.insert(args.end(), server_args.begin(), server_args.end());
  return args;
}

Endpoint free_port(const Endpoint& address) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    Fd tcp = manager_socket(Transport::kTcp, address);
    Endpoint chosen = local_address(tcp);
    Fd udp(::socket(address.family(), SOCK_DGRAM, 0));
    if (::bind(udp.get(), chosen.sockaddr_ptr(), chosen.sockaddr_len()) == 0) return chosen;
  }
  ADD_FAILURE() << "no port free for both TCP and UDP on " << address.to_string();
  return address;
}

void expect_datagram_echo(const Endpoint& server, std::string_view text) {
  Result<Fd> client = udp_socket(server.family());
  ASSERT_TRUE(client) << client.error().message;
  ASSERT_TRUE(send_datagram(client->get(), std::as_bytes(std::span(text)), server));
  std::vector<std::byte> reply(65536);
  Result<Datagram> got = receive_datagram(client->get(), reply, io_deadline());
  ASSERT_TRUE(got) << "no echo from " << server.to_string() << ": " << got.error().message;
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(reply.data()), got->size), text);
  EXPECT_EQ(got->peer, server) << "the reply comes from the address the request was sent to";
}

int wait_for_exit(ChildProcess& child) {
  Result<int> status = child.wait(Deadline::after(kExitTimeout));
  return status ? *status : -1;
}

std::map<std::string, std::uint64_t> read_counters(int stderr_fd) {
  return parse_counters(read_pipe(stderr_fd, io_deadline()));
}

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream folders(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
  for (std::string folder; std::getline(folders, folder, ':');) {
    const std::string candidate = folder + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

}  // namespace echo::server::testing
