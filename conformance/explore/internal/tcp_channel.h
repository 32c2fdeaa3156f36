// TcpChannel: one TCP connection of a running script. The script run calls
// its step methods in script order; the loop reports readiness (on_events)
// and time (on_time). Everything that came back goes through the record's
// StreamVerifier at once; how the connection ended is decided here, by the
// rules in executor.h.
//
// Example (what ScriptRun does for `connect c1`, `send c1 "a"`, end of script):
//   TcpChannel c(0, expected_stream(script, 0), shared);
//   c.connect(target, now);                 // then wait while c.connecting()
//   c.begin_send(payload, now);             // then wait while c.sending()
//   c.steps_done(now);                      // then wait until c.finished()
//   StreamRecord r = c.take_record();
#pragma once

#include "conformance/explore/internal/channel.h"
#include "core/net/fd.h"

namespace echo::conformance::explore::internal {

class TcpChannel final : public Channel {
 public:
  // `several_writes`: the script writes more than once on it (TCP_NODELAY is set).
  TcpChannel(ChannelId id, const ExpectedStream& expected, bool several_writes, LoopShared& shared);

  // Steps.
  void connect(const Endpoint& target, Time now);
  [[nodiscard]] bool connecting() const noexcept { return phase_ == Phase::kConnecting; }
  void begin_send(const Payload& payload, Time now);
  [[nodiscard]] bool sending() const noexcept { return payload_ != nullptr && !ended(); }
  void hold(Time until, Time now);
  void trickle(std::uint32_t bytes_per_ms, Time until, Time now);
  void shutdown(Time now);
  void close(bool reset, Time now);
  // The script has no more steps on this connection.
  void steps_done(Time now);
  // The script's deadline passed.
  void expire(Time now);

  void on_events(std::uint32_t events, Time now) override;
  void on_time(Time now);
  [[nodiscard]] Time next_wake() const noexcept;

  // The connection is over: later steps on it are skipped.
  [[nodiscard]] bool ended() const noexcept { return phase_ == Phase::kDone; }
  [[nodiscard]] bool finished() const noexcept { return ended(); }
  [[nodiscard]] StreamRecord take_record() { return std::move(record_); }

 private:
  enum class Phase { kNew, kConnecting, kOpen, kDone };

  [[nodiscard]] bool reading_allowed(Time now) const noexcept;
  [[nodiscard]] bool trickling(Time now) const noexcept { return now < trickle_until_; }
  [[nodiscard]] bool awaiting(Time now) const noexcept;
  [[nodiscard]] bool evidence_complete() const noexcept;
  void read_more(Time now);
  void write_more(Time now);
  void on_data(std::span<const std::byte> bytes, Time now);
  void on_fin(Time now);
  void on_error(int error, Time now);
  void check(Time now);
  void conclude(StreamEnd end, Time now);

  LoopShared& shared_;
  Fd fd_;
  bool several_writes_;
  Phase phase_ = Phase::kNew;
  StreamRecord record_;
  const Payload* payload_ = nullptr;  // the send step in progress
  std::uint64_t payload_offset_ = 0;
  bool readable_ = false;     // edge-triggered: data may be waiting
  bool peer_closed_ = false;  // FIN, RST or an error was reported: read until it shows
  bool writable_ = false;
  bool steps_done_ = false;
  bool half_closed_ = false;  // by the script or once the echo was complete
  Time started_{};
  Time last_progress_{};  // a byte moved either way (or a hold or trickle ended)
  Time last_data_{};      // a byte came back
  Time complete_at_ = kNever;
  Time half_closed_at_ = kNever;
  Time hold_until_{};
  Time trickle_until_{};
  Time next_tick_ = kNever;
  std::uint32_t trickle_per_ms_ = 0;
  std::uint64_t trickle_budget_ = 0;
  bool throttled_ = false;  // a hold or trickle was in force at the last look
};

}  // namespace echo::conformance::explore::internal
