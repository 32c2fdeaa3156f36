// Counters: what the server did, printed as one line on stderr at exit. They
// live in shared memory so the fork model's children can count too; each field
// is a lock-free atomic (relaxed: they are statistics, not synchronisation).
//
// Example:
//   SharedCounters counters = SharedCounters::create();
//   counters->bytes_in.fetch_add(n, std::memory_order_relaxed);
//   std::cerr << format_counters(*counters) << '\n';
//   parse_counters(log)["bytes_in"];  // a test or a soak reading that line back
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace echo::server {

struct Counters {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_open{0};  // accepted and not yet closed
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  std::atomic<std::uint64_t> datagrams_in{0};
  std::atomic<std::uint64_t> datagrams_out{0};
  std::atomic<std::uint64_t> datagrams_dropped{0};  // truncated, or the reply could not be sent
  // Not answered by the guard (docs/security.md), by reason (guard/refusal.h). Every
  // datagram in is out, dropped, or one of these.
  std::atomic<std::uint64_t> datagrams_refused_own_port{0};
  std::atomic<std::uint64_t> datagrams_refused_service_port{0};
  std::atomic<std::uint64_t> datagrams_refused_port_zero{0};
  std::atomic<std::uint64_t> datagrams_refused_not_unicast{0};
  std::atomic<std::uint64_t> datagrams_refused_loop{0};
  std::atomic<std::uint64_t> datagrams_rate_limited{0};
  // Accepted and reset at once: --max-connections-per-address (refuse_connection.h).
  std::atomic<std::uint64_t> connections_refused_per_address{0};
  // Connections the peer reset (ECONNRESET; EPIPE: it went away with echoes unread). A
  // client that closes abruptly does that, so they are counted apart from `errors`.
  std::atomic<std::uint64_t> resets{0};
  std::atomic<std::uint64_t> errors{0};  // the server's own failures: accept, epoll, other I/O

  static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                "counters are shared between processes and must be lock-free");
};

inline void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) noexcept {
  counter.fetch_add(n, std::memory_order_relaxed);
}

// A Counters block in a MAP_SHARED anonymous mapping (inherited across fork()).
class SharedCounters {
 public:
  [[nodiscard]] static Result<SharedCounters> create();
  SharedCounters(SharedCounters&& other) noexcept;
  SharedCounters& operator=(SharedCounters&&) = delete;
  SharedCounters(const SharedCounters&) = delete;
  SharedCounters& operator=(const SharedCounters&) = delete;
  ~SharedCounters();

  Counters* operator->() const noexcept { return counters_; }
  Counters& operator*() const noexcept { return *counters_; }

 private:
  explicit SharedCounters(Counters* counters) noexcept : counters_(counters) {}
  Counters* counters_ = nullptr;
};

// "counters: connections_accepted=3 bytes_in=10 bytes_out=10 datagrams_in=0 ..."
[[nodiscard]] std::string format_counters(const Counters& counters);

// The last counters line in `log` (a server's standard error) read back, name
// to value; empty when there is none. Fields that are not name=number are skipped.
[[nodiscard]] std::map<std::string, std::uint64_t> parse_counters(std::string_view log);

}  // namespace echo::server
