// The soak's clients, each a small state machine on the EventLoop, each
// checking every byte the server echoes (pattern.h):
//
//   IdleConnection  connects and holds; at the end sends 8 bytes and checks
//                   their echo (the server kept it all along), then closes.
//   ChurnCycle      connects, sends 1-16 KiB, half-closes, reads the echo to
//                   the server's end of stream, closes.
//   ResetClient     connects, sends 64 KiB, and once the echo starts coming
//                   back resets the connection (SO_LINGER 0) with it unread.
//   NonReader       connects and writes without reading until the server stops
//                   reading (backpressure), holds that for `stall`, then reads
//                   back everything, half-closes, reads to the end of stream.
//   UdpSource       a UDP socket bound to its own loopback address, keeping up
//                   to `window` numbered datagrams (16-1400 bytes) in flight at
//                   up to `rate` a second; each echo must be one of them, whole.
//
// What they see goes into one Tally. A client that is done() is removed by
// its owner after the current batch of events.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/address/endpoint.h"
#include "core/net/fd.h"
#include "tools/soak/event_loop.h"

namespace echo::soak {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::uint64_t idle_open = 0, idle_verified = 0;
  std::uint64_t churn_cycles = 0, resets = 0, non_reader_cycles = 0;
  std::uint64_t tcp_bytes_verified = 0;
  // A datagram unanswered for 10 s is timed out; if its echo comes later it is late,
  // otherwise lost. (An echo of a datagram neither in flight nor timed out is wrong.)
  std::uint64_t udp_sent = 0, udp_echoed = 0, udp_timed_out = 0, udp_late = 0;
  std::uint64_t udp_bytes_verified = 0;
  std::uint64_t wrong = 0;          // echoes that differ from what was sent
  std::uint64_t lost_bytes = 0;     // TCP bytes sent and never echoed
  std::uint64_t failures = 0;       // connects refused, resets or closes by the server, ...
  std::vector<std::string> errors;  // the first few, for the report

  [[nodiscard]] std::uint64_t udp_lost() const noexcept { return udp_timed_out - udp_late; }
  void fail(std::string what);
};

class Client : public Handler {
 public:
  [[nodiscard]] bool done() const noexcept { return done_; }

 protected:
  Client(EventLoop& loop, Tally& tally) : loop_(loop), tally_(tally) {}
  ~Client() override;
  // A non-blocking connect to `server`; false (counted) if it failed at once.
  bool connect_to(const Endpoint& server, std::uint32_t events);
  // Whether a pending connect succeeded (call on its first event).
  bool connected();
  void finish();
  // Reads what is there and checks it against stream `stream` from `received`;
  // bytes read, 0 at the end of stream, -1 on an error (counted). -2: nothing yet.
  long read_and_check(std::uint64_t stream, std::uint64_t& received);

  EventLoop& loop_;
  Tally& tally_;
  Fd socket_;
  bool done_ = false;
};

class IdleConnection : public Client {
 public:
  IdleConnection(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream);
  [[nodiscard]] bool established() const noexcept { return state_ == State::kHolding; }
  // Sends the final 8 bytes; done() once their echo is checked.
  void check();
  void on_events(std::uint32_t events) override;

 private:
  enum class State { kConnecting, kHolding, kChecking };
  State state_ = State::kConnecting;
  std::uint64_t stream_;
  std::uint64_t received_ = 0;
};

class ChurnCycle : public Client {
 public:
  ChurnCycle(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream,
             std::size_t size);
  void on_events(std::uint32_t events) override;

 private:
  bool connecting_ = true;
  std::uint64_t stream_;
  std::size_t size_;
  std::uint64_t sent_ = 0, received_ = 0;
};

class ResetClient : public Client {
 public:
  ResetClient(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream);
  void on_events(std::uint32_t events) override;

 private:
  bool connecting_ = true;
  std::uint64_t stream_;
};

class NonReader : public Client {
 public:
  NonReader(EventLoop& loop, Tally& tally, const Endpoint& server, std::uint64_t stream,
            Clock::duration stall);
  // Moves on from stalling once `stall` has passed.
  void tick(Clock::time_point now);
  void on_events(std::uint32_t events) override;

 private:
  enum class State { kConnecting, kFilling, kDraining, kClosing };
  State state_ = State::kConnecting;
  std::uint64_t stream_;
  Clock::duration stall_;
  Clock::time_point stall_until_;
  std::uint64_t sent_ = 0, received_ = 0;
};

class UdpSource : public Client {
 public:
  // `local` is the address to send from (port 0); connects to `server`.
  UdpSource(EventLoop& loop, Tally& tally, const Endpoint& local, const Endpoint& server,
            std::uint32_t source, double rate, std::size_t window);
  [[nodiscard]] bool valid() const noexcept { return socket_.valid(); }
  // Sends what the rate and window allow; counts datagrams unanswered for 10 s as timed out.
  void tick(Clock::time_point now, bool sending);
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.size(); }
  void on_events(std::uint32_t events) override;

 private:
  struct Pending {
    std::size_t size;
    Clock::time_point sent;
  };
  [[nodiscard]] std::uint64_t stream_of(std::uint64_t sequence) const noexcept {
    return (static_cast<std::uint64_t>(source_) << 40) | sequence;
  }

  std::uint32_t source_;
  double rate_;
  std::size_t window_;
  double allowance_ = 0;
  Clock::time_point last_tick_{};
  std::uint64_t next_ = 0;
  std::uint64_t size_state_;
  std::unordered_map<std::uint64_t, Pending> in_flight_;
  std::deque<std::uint64_t> order_;  // sequences in sending order, for the timeouts
  std::unordered_map<std::uint64_t, std::size_t> timed_out_;  // sequence -> size
};

}  // namespace echo::soak
