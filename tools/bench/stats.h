// What a worker thread measures: ThreadStats, read once the worker is done,
// and LiveCounters, read every second by the main thread while it runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "tools/bench/histogram.h"

namespace echo::bench {

// UDP accounting over the whole run (warm-up included), after the final drain.
struct UdpCounts {
  std::uint64_t sent = 0;
  std::uint64_t echoed = 0;      // distinct sequence numbers echoed intact
  std::uint64_t duplicated = 0;  // echoes of a sequence number already echoed
  std::uint64_t reordered = 0;   // echoes arriving after one with a higher sequence number
  std::uint64_t late = 0;        // echoes arriving after --udp-timeout (counted echoed, not lost)
  // How the datagrams travelled: batching the kernel did for us, or refused.
  std::uint64_t gso_sends = 0;      // --gso: sendmsg() calls with UDP_SEGMENT that succeeded
  std::uint64_t gso_fallbacks = 0;  // --gso: sockets whose GSO sends the kernel refused
  std::uint64_t gro_bursts = 0;     // reads that arrived as a GRO burst (a UDP_GRO segment size)
  [[nodiscard]] std::uint64_t lost() const noexcept { return sent - echoed; }

  void add(const UdpCounts& o) noexcept {
    sent += o.sent;
    echoed += o.echoed;
    duplicated += o.duplicated;
    reordered += o.reordered;
    late += o.late;
    gso_sends += o.gso_sends;
    gso_fallbacks += o.gso_fallbacks;
    gro_bursts += o.gro_bursts;
  }
};

struct ThreadStats {
  // In the measured window only.
  std::uint64_t sent = 0;      // messages handed to the socket
  std::uint64_t received = 0;  // messages echoed and verified
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  LatencyHistogram latency;  // ns
  double cpu_seconds = 0;    // this thread's user + system time in the window
  // Over the whole run.
  std::uint64_t verification_errors = 0;  // echoes that differ from what was sent
  std::uint64_t connection_errors = 0;    // connections reset, closed or failing early
  std::string first_error;                // the first of either, as a sentence
  UdpCounts udp;

  void add(const ThreadStats& o) {
    sent += o.sent;
    received += o.received;
    bytes_sent += o.bytes_sent;
    bytes_received += o.bytes_received;
    latency.merge(o.latency);
    cpu_seconds += o.cpu_seconds;
    verification_errors += o.verification_errors;
    connection_errors += o.connection_errors;
    if (first_error.empty()) first_error = o.first_error;
    udp.add(o.udp);
  }
};

// Totals since the start (warm-up included), relaxed atomics.
struct LiveCounters {
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> bytes_sent{0};
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::uint64_t> errors{0};
};

}  // namespace echo::bench
