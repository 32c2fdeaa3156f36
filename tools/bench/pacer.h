// Pacer: the open-loop (--rate) schedule of one worker thread, and the rule
// that makes its latencies honest. Message k is due at start + k * interval,
// whatever happened to the messages before it. A message sent late (the
// worker was busy, the connection's window was full, the server stalled) is
// still stamped with the time it was SCHEDULED, and its latency is measured
// from that stamp, so a stall shows up in the latency of every message that
// should have gone out during it (no coordinated omission).
//
// Example:
//   Pacer pacer(start_ns, 1'000'000'000 / rate);
//   while (auto scheduled = pacer.take_due(now_ns())) send_record(stamp = *scheduled);
//   ...
//   histogram.record(latency_ns(stamp_from_the_echo, now_ns()));
#pragma once

#include <cstdint>
#include <optional>

namespace echo::bench {

class Pacer {
 public:
  // interval_ns > 0.
  Pacer(std::int64_t start_ns, std::int64_t interval_ns) noexcept
      : start_ns_(start_ns), interval_ns_(interval_ns) {}

  // When the next message is due.
  [[nodiscard]] std::int64_t next_due_ns() const noexcept {
    return start_ns_ + static_cast<std::int64_t>(taken_) * interval_ns_;
  }
  // The scheduled time of the next message if it is due at `now_ns` (and
  // counts it as taken), std::nullopt if it is not due yet.
  [[nodiscard]] std::optional<std::int64_t> take_due(std::int64_t now_ns) noexcept {
    const std::int64_t due = next_due_ns();
    if (due > now_ns) return std::nullopt;
    ++taken_;
    return due;
  }
  // Messages due by now_ns and not taken yet: how far the sender is behind.
  [[nodiscard]] std::uint64_t backlog(std::int64_t now_ns) const noexcept {
    if (now_ns < next_due_ns()) return 0;
    return static_cast<std::uint64_t>((now_ns - start_ns_) / interval_ns_) + 1 - taken_;
  }
  [[nodiscard]] std::uint64_t taken() const noexcept { return taken_; }

 private:
  std::int64_t start_ns_;
  std::int64_t interval_ns_;
  std::uint64_t taken_ = 0;
};

// A message's latency: from the time stamped in it (the scheduled time under
// --rate, the send time otherwise) to the time its echo was verified. Never
// negative (0 if the clock reads earlier, which a steady clock never should).
[[nodiscard]] constexpr std::uint64_t latency_ns(std::int64_t stamp_ns,
                                                 std::int64_t received_ns) noexcept {
  return received_ns > stamp_ns ? static_cast<std::uint64_t>(received_ns - stamp_ns) : 0;
}

// The stamp a new message carries: the scheduled time when paced (open loop),
// else the moment it is handed to the socket (closed loop).
[[nodiscard]] constexpr std::int64_t message_stamp(std::optional<std::int64_t> scheduled_ns,
                                                   std::int64_t now_ns) noexcept {
  return scheduled_ns ? *scheduled_ns : now_ns;
}

}  // namespace echo::bench
