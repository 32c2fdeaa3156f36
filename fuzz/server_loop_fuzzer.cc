// server_loop_fuzzer: the reference server's own event loop
// (reference/server/epoll_loop.h: accept, echo, half-close, reset, UDP
// batches, drain) run over an in-memory kernel (testing/fake_kernel.h) whose
// every answer comes from the input (fuzz/fuzzed_network.h). One input is one
// server run: EpollLoop::run() until the fake's network falls quiet (or
// SIGTERM comes), then the loop is destroyed.
//
// Input (a missing byte reads as 0: the plain answer, nothing new):
//   u16 buffer size: 64 + n mod 4033 (--buffer-size, 64-4096)
//   u8  setup: bit 0 a second listener, bit 1 a second UDP socket,
//       bits 2-3 --max-connections (0: none), bits 4-5
//       --max-connections-per-address (0: none; two clients share each
//       address), bit 6 the UDP loop guard, with the port of client 3 as the
//       server's own (kOwnPort: its datagrams are refused). The guard's loop
//       detector and rate limit read the clock, so they stay off: a run must
//       not depend on time.
//   then one byte per choice, taken as the kernel asks:
//   - each epoll_wait: b mod 8 = 1, 2 a client arrives; 3, 4 datagrams
//     arrive; 5 epoll_wait fails with EINTR; 0xff SIGTERM; else nothing new
//   - when nothing is ready: b mod 4 = 1, 3 a client arrives; 2 datagrams
//     arrive; 0 the network is quiet: the fake raises the stop (SIGTERM) and
//     the loop drains (drain timeout 0: it closes what is still open)
//   - a client: u8 how, u16 n: ending (FIN, RST, waiting), listener, peer,
//     and length (n mod 32, 512, 4096 or 16384: FuzzedNetwork::client_arrives)
//   - datagrams: u8 count (1-8), u8 socket, per datagram u8 how (peer, packet
//     information, size class), u8 s, and one more for a GRO buffer: sizes 0
//     to 65,507 (IPv4) / 65,527 (IPv6), around the merge limit of 1,452,
//     truncated ones, GRO buffers of up to 64 segments (size_of())
//   - recv()/send(): b mod 8 = 0 all; 1 EAGAIN; 2 EINTR; 3 the connection
//     resets (ECONNRESET / EPIPE); 4 one byte; 5-7 a share (b >> 3) / 32
//   - accept4(): b mod 8 = 1 EAGAIN; 2 EINTR; 3 EMFILE; 4 ENFILE;
//     5 ECONNABORTED (that client is gone); 6 ENOBUFS; else the next client
//   - open() (the Acceptor's spare descriptor): b mod 4 = 1 EMFILE, 2 ENFILE
//   - recvmmsg(): b mod 8 = 1 EINTR; 2 EAGAIN; 3 ENOMEM; 4-7 a partial batch
//   - sendmmsg(): b mod 16 = 1 EINTR; 2 EAGAIN; 3 ENOBUFS; 4 EPERM; 5-7 EIO,
//     EINVAL, EMSGSIZE if the first reply is segmented (UDP_SEGMENT);
//     8-15 a partial batch
//   - sendmsg(): b mod 8 = 1 EINTR; 2 EAGAIN; 3 ENOBUFS; 4 EPERM
//
// Properties (a broken one aborts):
//  - run() returns, within kernel.max_waits iterations, without an error;
//  - every TCP client: what the server sent is a prefix of what the client
//    sent, and no more than the server received; when the network fell quiet
//    on its own (no early SIGTERM), all of it, and a client that shut down
//    had its end of stream read, unless the connection was reset or the
//    server shed it at accept (EMFILE);
//  - the server never held more of a connection than --buffer-size (received
//    and not yet sent back, plus the room it offered to recv());
//  - every datagram the server received got exactly one identical reply, to
//    its sender, from the address it was sent to (packet information), in
//    order, unless the guard refused it (below); the others without one are
//    exactly the datagrams_dropped count, and no more than the truncated ones
//    plus those in sends the kernel refused;
//  - a connection over --max-connections-per-address is closed with a reset
//    (SO_LINGER set through the seam) and nothing read or sent; none is
//    refused without that limit, and none is left counted once the loop ends;
//  - with the loop guard, every datagram from the server's own port is
//    refused (datagrams_refused_own_port), and no other is;
//  - the counters agree with the kernel (accepted, refused, bytes in and out,
//    datagrams in and out; no connection open);
//  - once the loop is destroyed, every descriptor it made is closed (only the
//    stop descriptor, listeners and UDP sockets the caller owns are open) and
//    the kernel saw no call it should not have (FakeKernel::unexpected()).
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/fd.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_input.h"
#include "fuzz/fuzzed_network.h"
#include "reference/server/bind.h"
#include "reference/server/context.h"
#include "reference/server/counters.h"
#include "reference/server/epoll_loop.h"
#include "reference/server/guard/connections_per_address.h"
#include "reference/server/guard/guard_settings.h"
#include "reference/server/log.h"
#include "reference/server/options.h"

namespace {

using echo::Endpoint;
using echo::Fd;
using echo::fuzz::FuzzedNetwork;
using echo::fuzz::FuzzInput;
using echo::fuzz::pattern;
using echo::server::ConnectionsPerAddress;
using echo::server::Counters;
using echo::server::DatagramEcho;
using echo::server::FakeKernel;

// The source port the loop guard takes for the server's own: client 3's.
const std::uint16_t kOwnPort = FuzzedNetwork::peer(3).port();

std::size_t first_difference(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

std::uint64_t load(const std::atomic<std::uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

// The TCP properties; whether the network fell quiet on its own.
void check_clients(const FuzzedNetwork& network, const FakeKernel& kernel, const Counters& counters,
                   const ConnectionsPerAddress& per_address, std::size_t buffer_size,
                   bool quiet_end) {
  std::uint64_t accepted = 0, refused = 0, bytes_in = 0, bytes_out = 0;
  for (const FuzzedNetwork::Client& client : network.clients()) {
    const FakeKernel::ClientView view = kernel.client(client.fd);
    const std::string& sent = kernel.sent_to(client.fd);
    FUZZ_CHECK(view.accepted || sent.empty(), "client %u: not accepted, but sent %zu bytes",
               client.id, sent.size());
    if (!view.accepted) continue;
    FUZZ_CHECK(view.closed, "client %u: still open after the loop ended", client.id);
    if (kernel.option_set(client.fd, SOL_SOCKET, SO_LINGER)) {  // refused: reset at once
      FUZZ_CHECK(per_address.limited(), "client %u: reset without a per-address limit", client.id);
      FUZZ_CHECK(view.received == 0 && sent.empty() && !view.end_received,
                 "client %u: refused, yet %zu bytes received and %zu sent", client.id,
                 view.received, sent.size());
      ++refused;
      continue;
    }
    FUZZ_CHECK(sent.size() <= view.received, "client %u: %zu bytes sent, only %zu received",
               client.id, sent.size(), view.received);
    const std::string_view expected = pattern(client.id, client.length);
    FUZZ_CHECK(expected.starts_with(sent),
               "client %u: byte %zu sent back is not the byte it sent (%zu sent, %zu received)",
               client.id, first_difference(sent, expected), sent.size(), view.received);
    FUZZ_CHECK(view.max_held <= buffer_size,
               "client %u: the server held up to %zu bytes, more than its buffer of %zu", client.id,
               view.max_held, buffer_size);
    if (view.used) ++accepted;  // a shed connection is closed at once, never counted
    bytes_in += view.received;
    bytes_out += sent.size();
    if (!quiet_end || !view.used || view.reset) continue;
    FUZZ_CHECK(sent.size() == client.length,
               "client %u: the network fell quiet with %zu of its %zu bytes echoed "
               "(%zu received, end %s)",
               client.id, sent.size(), client.length, view.received,
               view.end_received ? "read" : "not read");
    FUZZ_CHECK(client.then != FakeKernel::Then::kShutDown || view.end_received,
               "client %u: shut down, but the server never read the end of its stream", client.id);
  }
  FUZZ_CHECK(load(counters.connections_accepted) == accepted,
             "connections_accepted %llu, %llu connections served",
             static_cast<unsigned long long>(load(counters.connections_accepted)),
             static_cast<unsigned long long>(accepted));
  FUZZ_CHECK(load(counters.connections_refused_per_address) == refused,
             "connections_refused_per_address %llu, %llu connections reset at once",
             static_cast<unsigned long long>(load(counters.connections_refused_per_address)),
             static_cast<unsigned long long>(refused));
  for (unsigned k = 0; k < FuzzedNetwork::kPeers; ++k) {
    const Endpoint peer = FuzzedNetwork::peer(k);
    FUZZ_CHECK(per_address.open_from(peer) == 0,
               "%zu connections from %s still counted after the loop ended",
               per_address.open_from(peer), peer.to_string().c_str());
  }
  FUZZ_CHECK(load(counters.connections_open) == 0, "connections_open %llu after the loop ended",
             static_cast<unsigned long long>(load(counters.connections_open)));
  FUZZ_CHECK(load(counters.bytes_in) == bytes_in && load(counters.bytes_out) == bytes_out,
             "counted %llu bytes in and %llu out, the clients saw %llu and %llu",
             static_cast<unsigned long long>(load(counters.bytes_in)),
             static_cast<unsigned long long>(load(counters.bytes_out)),
             static_cast<unsigned long long>(bytes_in), static_cast<unsigned long long>(bytes_out));
}

bool reply_answers(const FakeKernel::Datagram& reply, const FuzzedNetwork::Request& request,
                   std::size_t offset, std::size_t length) {
  return reply.bytes.size() == length && reply.peer == request.peer &&
         reply.local == request.local &&
         reply.bytes == pattern(request.id, request.size).substr(offset, length);
}

// The UDP properties, socket by socket: the replies are the received
// datagrams (a GRO buffer's one by one), in order, less the dropped ones and
// those the guard refused (from `own_port`; 0: the guard is off).
void check_datagrams(const FuzzedNetwork& network, const FakeKernel& kernel,
                     const Counters& counters, std::uint16_t own_port) {
  std::uint64_t received = 0, unanswered = 0, truncated = 0, replied = 0, refused = 0;
  for (std::size_t socket = 0; socket < network.udp_sockets().size(); ++socket) {
    const int fd = network.udp_sockets()[socket];
    std::size_t still_queued = kernel.queued(fd);
    const std::vector<FakeKernel::Datagram>& replies = kernel.replies(fd);
    replied += replies.size();
    std::vector<const FuzzedNetwork::Request*> requests;
    for (const FuzzedNetwork::Request& request : network.requests()) {
      if (request.socket == socket) requests.push_back(&request);
    }
    FUZZ_CHECK(still_queued <= requests.size(), "socket %zu: %zu queued of %zu", socket,
               still_queued, requests.size());
    requests.resize(requests.size() - still_queued);  // the last ones were never received
    std::size_t next = 0;                             // the next reply to match
    for (const FuzzedNetwork::Request* request : requests) {
      if (request->size > DatagramEcho::kBufferSize) {  // truncated: never echoed
        ++received;
        ++truncated;
        ++unanswered;
        continue;
      }
      const std::size_t segment = request->segment != 0 ? request->segment : request->size;
      std::size_t offset = 0;
      do {  // each datagram of a GRO buffer; a zero-length datagram once
        const std::size_t length = std::min(segment, request->size - offset);
        ++received;
        if (request->peer.port() == own_port) {  // never answered: the next reply is another's
          ++refused;
        } else if (next < replies.size() &&
                   reply_answers(replies[next], *request, offset, length)) {
          ++next;
        } else {
          ++unanswered;
        }
        offset += length;
      } while (offset < request->size);
    }
    FUZZ_CHECK(next == replies.size(),
               "socket %zu: reply %zu of %zu (%zu bytes to %s) answers no datagram received "
               "(out of order, repeated or altered)",
               socket, next, replies.size(), replies[next].bytes.size(),
               replies[next].peer.to_string().c_str());
  }
  FUZZ_CHECK(load(counters.datagrams_in) == received, "datagrams_in %llu, %llu received",
             static_cast<unsigned long long>(load(counters.datagrams_in)),
             static_cast<unsigned long long>(received));
  FUZZ_CHECK(load(counters.datagrams_out) == replied, "datagrams_out %llu, %llu replies",
             static_cast<unsigned long long>(load(counters.datagrams_out)),
             static_cast<unsigned long long>(replied));
  FUZZ_CHECK(load(counters.datagrams_dropped) == unanswered,
             "datagrams_dropped %llu, but %llu datagrams got no reply",
             static_cast<unsigned long long>(load(counters.datagrams_dropped)),
             static_cast<unsigned long long>(unanswered));
  FUZZ_CHECK(load(counters.datagrams_refused_own_port) == refused,
             "datagrams_refused_own_port %llu, %llu datagrams from the server's own port",
             static_cast<unsigned long long>(load(counters.datagrams_refused_own_port)),
             static_cast<unsigned long long>(refused));
  const std::uint64_t refused_otherwise =
      load(counters.datagrams_refused_service_port) + load(counters.datagrams_refused_port_zero) +
      load(counters.datagrams_refused_not_unicast) + load(counters.datagrams_refused_loop) +
      load(counters.datagrams_rate_limited);
  FUZZ_CHECK(refused_otherwise == 0, "%llu datagrams refused by rules that cannot apply",
             static_cast<unsigned long long>(refused_otherwise));
  FUZZ_CHECK(unanswered <= truncated + kernel.refused_datagrams(),
             "%llu datagrams unanswered: only %llu were truncated and %zu refused by the kernel",
             static_cast<unsigned long long>(unanswered),
             static_cast<unsigned long long>(truncated), kernel.refused_datagrams());
}

std::string first_unexpected(const FakeKernel& kernel) {
  return kernel.unexpected().empty() ? std::string() : kernel.unexpected().front();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  echo::server::ServerOptions options;
  options.buffer_size = 64 + in.take_u16() % 4033;
  const std::uint8_t setup = in.take_u8();
  options.max_connections = setup >> 2 & 3;
  options.idle_timeout = std::chrono::milliseconds(0);
  options.drain_timeout = std::chrono::milliseconds(0);
  options.quiet = true;

  FuzzedNetwork network(in);
  FakeKernel kernel(network);  // declared before every Fd made through it
  // Each epoll_wait takes an input byte while there are any; after that the
  // plain answers need far fewer than 4,096 iterations to finish everything.
  kernel.max_waits = size + 4096;
  Fd stop(kernel.add_stop(), kernel);
  echo::server::BoundSockets sockets;
  std::vector<int> listeners, udp_sockets;
  for (int i = 0; i < 1 + (setup & 1); ++i) {
    sockets.tcp_listeners.emplace_back(kernel.add_listener(), kernel);
    listeners.push_back(sockets.tcp_listeners.back().get());
  }
  for (int i = 0; i < 1 + (setup >> 1 & 1); ++i) {
    sockets.udp_sockets.emplace_back(kernel.add_udp_socket(), kernel);
    udp_sockets.push_back(sockets.udp_sockets.back().get());
  }
  network.attach(listeners, udp_sockets);
  const std::size_t owned = 1 + listeners.size() + udp_sockets.size();

  Counters counters;
  const echo::server::Logger log(/*quiet=*/true);
  echo::server::GuardSettings guard;  // checks nothing unless setup bit 6
  if ((setup & 0x40) != 0) {
    guard.loop_guard = true;
    guard.policy.own_ports = {kOwnPort};
    guard.loops.streak = UINT32_MAX;  // the loop detector reads the clock: never a loop
  }
  ConnectionsPerAddress per_address(setup >> 4 & 3, /*seed=*/0);
  const echo::server::ServeContext context{options, counters, log,        stop.get(),
                                           kernel,  guard,    per_address};
  {
    echo::Result<std::unique_ptr<echo::server::EpollLoop>> loop =
        echo::server::EpollLoop::create(sockets, context);
    FUZZ_CHECK(loop, "EpollLoop::create failed: %s", loop.error().message.c_str());
    echo::Status ran = (*loop)->run();
    FUZZ_CHECK(ran, "run() failed: %s (kernel: %s)", ran.error().message.c_str(),
               first_unexpected(kernel).c_str());
  }
  FUZZ_CHECK(kernel.unexpected().empty(), "%zu unexpected calls, the first: %s",
             kernel.unexpected().size(), first_unexpected(kernel).c_str());
  FUZZ_CHECK(kernel.open_descriptors() == owned,
             "%zu descriptors open after the loop was destroyed, %zu expected (a leak)",
             kernel.open_descriptors(), owned);
  check_clients(network, kernel, counters, per_address, options.buffer_size,
                !network.stopped_early());
  check_datagrams(network, kernel, counters, guard.loop_guard ? kOwnPort : 0);
  return 0;
}
