// FuzzedNetwork: the choices of a FakeKernel (reference/server/testing/
// fake_kernel.h) taken from a fuzz input, for server_loop_fuzzer.cc (which
// documents the layout): what each call returns (errors, short transfers,
// partial batches), and at each epoll_wait what arrives (clients that send a
// number of bytes and then shut down, reset or wait; datagrams of every size,
// GRO buffers, with or without packet information) or whether SIGTERM comes.
// An input that runs out leaves every call its plain answer and lets the
// network fall quiet, so every run ends.
//
// It keeps what it made, for the property checks: each client's descriptor,
// length and ending, each datagram (or GRO buffer) queued; the bytes of
// client or datagram `id` are pattern(id, length).
//
// Example:
//   FuzzInput in(data, size);
//   FuzzedNetwork network(in);
//   FakeKernel kernel(network);
//   network.attach(listeners, udp_sockets);  // descriptors made by `kernel`
//   ... run an EpollLoop over `kernel`, then check network.clients() ...
#pragma once

#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/address/endpoint.h"
#include "fuzz/fuzz_input.h"
#include "reference/server/testing/fake_kernel.h"
#include "reference/server/udp_echo.h"

namespace echo::fuzz {

using server::FakeKernel;

// The bytes client or datagram `id` sends (up to kMaxPattern): a window of
// one pseudo-random sequence, each id at another place in it, so a byte that
// is lost, repeated, moved or sent to the wrong client shows. Made once, so
// that filling and comparing are memcpy and memcmp (a byte loop in the
// instrumented harness would cost more than the server's work).
inline constexpr std::size_t kMaxPattern = 96 * 1024;
inline std::string_view pattern(std::uint32_t id, std::size_t length) noexcept {
  static const std::string sequence = [] {
    std::string bytes(2 * kMaxPattern, '\0');
    std::uint64_t state = 0x9E3779B97F4A7C15u;
    for (char& b : bytes) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      b = static_cast<char>(state >> 24);
    }
    return bytes;
  }();
  const std::size_t start = (id * std::size_t{40503}) % kMaxPattern;
  return std::string_view(sequence).substr(start, std::min(length, kMaxPattern));
}

class FuzzedNetwork final : public FakeKernel::Decisions {
 public:
  // Bounds per run, so that every input runs fast.
  static constexpr std::size_t kMaxClients = 64;
  static constexpr std::size_t kMaxClientBytes = 64 * 1024;  // all clients together
  static constexpr std::size_t kMaxRequests = 256;           // datagrams and GRO buffers
  static constexpr std::size_t kMaxDatagramBytes = 256 * 1024;

  struct Client {
    int fd;  // the connection, as accept4() gives it to the server
    std::uint32_t id;
    std::size_t length;
    FakeKernel::Then then;
  };
  // A datagram, or a GRO buffer of datagrams (segment > 0), queued on a UDP socket.
  struct Request {
    std::size_t socket;  // index into the UDP sockets given to attach()
    std::uint32_t id;
    std::size_t size;
    std::size_t segment;
    Endpoint peer;
    Endpoint local;  // packet information (no port), or empty
  };

  // The clients: two IPv4 and two IPv6 ones (ports 40000 + k), so two share each address.
  static constexpr unsigned kPeers = 4;
  static Endpoint peer(unsigned k) {
    const auto port = static_cast<std::uint16_t>(40000 + k);
    return k % 2 == 0 ? Endpoint::loopback_v4(port) : Endpoint::loopback_v6(port);
  }

  explicit FuzzedNetwork(FuzzInput& input) noexcept : in_(input) {}

  void attach(std::span<const int> listeners, std::span<const int> udp_sockets) {
    listeners_.assign(listeners.begin(), listeners.end());
    udp_sockets_.assign(udp_sockets.begin(), udp_sockets.end());
  }

  [[nodiscard]] const std::vector<Client>& clients() const noexcept { return clients_; }
  [[nodiscard]] const std::vector<Request>& requests() const noexcept { return requests_; }
  [[nodiscard]] const std::vector<int>& udp_sockets() const noexcept { return udp_sockets_; }
  // Whether SIGTERM came while the network was busy (not because it fell quiet).
  [[nodiscard]] bool stopped_early() const noexcept { return stopped_early_; }

  FakeKernel::Answer answer(const FakeKernel::Question& question) override {
    if (in_.empty()) return {};
    const std::uint8_t b = in_.take_u8();
    const bool segmented = question.segmented;
    switch (question.call) {
      case FakeKernel::Call::kRecv:
        return transfer(b, question.available, ECONNRESET);
      case FakeKernel::Call::kSend:
        return transfer(b, question.available, EPIPE);
      case FakeKernel::Call::kAccept: {
        static constexpr int kErrors[8] = {0,      EAGAIN,       EINTR,   EMFILE,
                                           ENFILE, ECONNABORTED, ENOBUFS, 0};
        return {kErrors[b % 8]};
      }
      case FakeKernel::Call::kOpen:
        return {b % 4 == 1 ? EMFILE : b % 4 == 2 ? ENFILE : 0};
      case FakeKernel::Call::kRecvmmsg: {
        static constexpr int kErrors[4] = {0, EINTR, EAGAIN, ENOMEM};
        if (b % 8 < 4) return {kErrors[b % 8]};
        return {0, 1 + (b >> 3) % question.available};
      }
      case FakeKernel::Call::kSendmmsg: {
        // The kernel refuses UDP_SEGMENT sends with EIO (no checksum offload)
        // or EINVAL/EMSGSIZE (a segment larger than the route's MTU).
        const int kErrors[8] = {0,
                                EINTR,
                                EAGAIN,
                                ENOBUFS,
                                EPERM,
                                segmented ? EIO : 0,
                                segmented ? EINVAL : 0,
                                segmented ? EMSGSIZE : 0};
        if (b % 16 < 8) return {kErrors[b % 16]};
        return {0, 1 + (b >> 4) % question.available};
      }
      case FakeKernel::Call::kSendmsg: {
        static constexpr int kErrors[8] = {0, EINTR, EAGAIN, ENOBUFS, EPERM, 0, 0, 0};
        return {kErrors[b % 8]};
      }
    }
    return {};
  }

  int before_wait(FakeKernel& kernel) override {
    if (in_.empty()) return 0;
    const std::uint8_t b = in_.take_u8();
    switch (b % 8) {
      case 1:
      case 2:
        client_arrives(kernel);
        return 0;
      case 3:
      case 4:
        datagrams_arrive(kernel);
        return 0;
      case 5:
        return EINTR;
      case 7:
        if (b == 0xff) {
          stopped_early_ = true;
          kernel.raise_stop();
        }
        return 0;
      default:
        return 0;
    }
  }

  bool when_idle(FakeKernel& kernel) override {
    if (in_.empty()) return false;
    switch (in_.take_u8() % 4) {
      case 1:
      case 3:
        client_arrives(kernel);
        return true;
      case 2:
        datagrams_arrive(kernel);
        return true;
      default:
        return false;
    }
  }

 private:
  // recv()/send(): all; EAGAIN; EINTR; the connection resets; one byte; or a share.
  static FakeKernel::Answer transfer(std::uint8_t b, std::size_t available, int reset) {
    switch (b % 8) {
      case 0:
        return {};
      case 1:
        return {EAGAIN};
      case 2:
        return {EINTR};
      case 3:
        return {reset};
      case 4:
        return {0, 1};
      default:
        return {0, 1 + available * (b >> 3) / 32};
    }
  }

  // The local address a datagram from `peer` was sent to: one of two, of its family.
  static Endpoint local_address(const Endpoint& peer, bool second) {
    if (peer.family() == AF_INET) {
      in_addr address{};
      address.s_addr = htonl(second ? 0x7f000002u : 0x7f000001u);
      return Endpoint::v4(address, 0);
    }
    in6_addr address{};
    address.s6_addr[15] = second ? 2 : 1;
    return Endpoint::v6(address, 0);
  }

  // Client: u8 how (bits 0-1 ending: FIN, RST, wait, FIN; bit 2 listener;
  // bits 3-4 peer; bits 5-7 size class) and u16 n: the length is n mod
  // 32 (classes 0-3), 512 (4, 5), 4096 (6) or 16384 (7).
  void client_arrives(FakeKernel& kernel) {
    const std::uint8_t how = in_.take_u8();
    const std::uint16_t n = in_.take_u16();
    if (clients_.size() == kMaxClients) return;
    static constexpr std::size_t kModulus[8] = {32, 32, 32, 32, 512, 512, 4096, 16384};
    static constexpr FakeKernel::Then kThen[4] = {FakeKernel::Then::kShutDown,
                                                  FakeKernel::Then::kReset, FakeKernel::Then::kWait,
                                                  FakeKernel::Then::kShutDown};
    const std::size_t length = std::min(n % kModulus[how >> 5], kMaxClientBytes - client_bytes_);
    client_bytes_ += length;
    const auto id = static_cast<std::uint32_t>(clients_.size());
    const int listener = listeners_[(how >> 2 & 1) % listeners_.size()];
    const FakeKernel::Then then = kThen[how & 3];
    const int fd = kernel.queue_client(listener, bytes(id, length), peer(how >> 3 & 3), then);
    clients_.push_back({fd, id, length, then});
  }

  // Datagrams: u8 count (1 + count mod 8), and per datagram u8 how (bits 0-1
  // peer; bit 2 with packet information; bit 3 which local address; bits 4-7
  // size class), u8 s, and for a GRO buffer u8 g (see size_of()).
  void datagrams_arrive(FakeKernel& kernel) {
    const std::size_t count = 1 + in_.take_u8() % 8;
    const std::size_t socket = in_.take_u8() % udp_sockets_.size();
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t how = in_.take_u8();
      const std::uint8_t s = in_.take_u8();
      if (requests_.size() == kMaxRequests) continue;
      Request request{
          socket, static_cast<std::uint32_t>(kMaxClients + requests_.size()), 0, 0, peer(how & 3),
          {}};
      if ((how & 4) != 0) request.local = local_address(request.peer, (how & 8) != 0);
      size_of(how >> 4, s, request);
      if (datagram_bytes_ + request.size > kMaxDatagramBytes) {
        request.size = s % 64;
        request.segment = 0;
      }
      datagram_bytes_ += request.size;
      kernel.queue_datagram(udp_sockets_[socket], {request.peer, bytes(request.id, request.size),
                                                   request.local, request.segment});
      requests_.push_back(request);
    }
  }

  // Size classes: 0-3 s bytes; 4 s mod 16; 5 empty; 6 8*s; 7 1451-1453
  // (around DatagramEcho::kMaxMergedSize); 8 a GRO buffer of small segments
  // (1 + s mod 64 bytes); 9 a GRO buffer of 1451-1452-byte segments (from g:
  // 2 + g mod 63 segments, as many as fit in one UDP payload, the last one
  // 1 + (g >> 6) * segment / 4 bytes); 10 the largest UDP payload (less
  // s mod 2); 11 larger than the server's buffer: truncated (MSG_TRUNC);
  // 12-15 1 + s mod 64.
  void size_of(unsigned size_class, std::uint8_t s, Request& request) {
    const std::size_t max_payload = request.peer.family() == AF_INET ? 65507 : 65527;
    switch (size_class) {
      case 0:
      case 1:
      case 2:
      case 3:
        request.size = s;
        return;
      case 4:
        request.size = s % 16;
        return;
      case 5:
        request.size = 0;
        return;
      case 6:
        request.size = 8u * s;
        return;
      case 7:
        request.size = server::DatagramEcho::kMaxMergedSize - 1 + s % 3;
        return;
      case 8:
      case 9: {
        const std::uint8_t g = in_.take_u8();
        request.segment =
            size_class == 8 ? 1 + s % 64 : server::DatagramEcho::kMaxMergedSize - 1 + s % 2;
        const std::size_t segments =
            std::min<std::size_t>(2 + g % 63, (max_payload - 1) / request.segment + 1);
        request.size = (segments - 1) * request.segment + 1 + (g >> 6) * request.segment / 4;
        request.size = std::min(request.size, max_payload);
        return;
      }
      case 10:
        request.size = max_payload - s % 2;
        return;
      case 11:
        request.size = server::DatagramEcho::kBufferSize + 1 + s;
        return;
      default:
        request.size = 1 + s % 64;
        return;
    }
  }

  static std::string bytes(std::uint32_t id, std::size_t length) {
    return std::string(pattern(id, length));
  }

  FuzzInput& in_;
  std::vector<int> listeners_;
  std::vector<int> udp_sockets_;
  std::vector<Client> clients_;
  std::vector<Request> requests_;
  std::size_t client_bytes_ = 0;
  std::size_t datagram_bytes_ = 0;
  bool stopped_early_ = false;
};

}  // namespace echo::fuzz
