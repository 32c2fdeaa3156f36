// Pump: sends a seeded payload stream on one connection while reading the
// echo back on the same (non-blocking) socket in one poll loop, so a stream of
// any length flows without deadlock, and every echoed byte is checked by a
// StreamVerifier. Options cover the variants the cases need: chunk sizes, a
// write-only first phase (flow control), and a shutdown after the last byte.
// Its system calls go through the Syscalls seam given (core/net/syscalls.h),
// by default the real one.
//
// Example:
//   StreamVerifier verifier = StreamVerifier::for_payload(payload, options.total);
//   PumpResult result = pump(conversation, payload, verifier, options);
//   if (auto problem = pump_problem(result, verifier)) return shortfall(Level::kRequired,
//   *problem);
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "conformance/cases/support/conversation.h"
#include "conformance/oracle/payload.h"
#include "conformance/oracle/stream_verifier.h"
#include "core/net/syscalls.h"

namespace echo::conformance {

struct PumpOptions {
  std::uint64_t total = 0;                       // bytes to send (and expect back)
  std::function<std::size_t()> next_write_size;  // sizes of the writes; default 64 KiB
  std::size_t max_write = 64 * 1024;             // upper bound of next_write_size()
  std::chrono::milliseconds stall{2000};         // no byte moved either way for this long: give up
  Deadline deadline = Deadline::never();
  // Once the echo's rate has been measured for this long: a stream that at
  // that rate cannot finish by the deadline (hopelessly, or with its echo in
  // flight needing more than half the time left) winds down: the client stops
  // sending and shuts down its side, the server finishes the shorter
  // conversation, and the stream is reported slow with its rate, never wrong.
  // 0: never.
  std::chrono::milliseconds judge_rate_after{0};
  // Flow control: read nothing until `total` is written or writes have been
  // blocked for `blocked_for`; then on_writes_blocked (if any) runs once.
  bool write_first = false;
  std::chrono::milliseconds blocked_for{300};
  std::function<void()> on_writes_blocked;
  bool shutdown_after_last_write = false;       // SHUT_WR once everything is sent,
  std::chrono::milliseconds shutdown_delay{0};  // this long after the last byte went
  // When the stream ends early (the deadline, or wrong bytes) with echo still
  // coming: SHUT_WR, then read and drop what comes for up to this long, so the
  // server can finish and close cleanly instead of meeting a reset (a fragile
  // server must not die of a case that does not test resets). Set `deadline`
  // this much before the case's own.
  std::chrono::milliseconds drain{0};
};

struct PumpResult {
  ReadStop stop;  // kReached when every byte came back intact
  // The deadline (not a stall) ended it, or the rate made it hopeless
  // (judge_rate_after): bytes were still moving.
  bool deadline_passed = false;
  // The client stopped sending early because the stream was too slow (see
  // judge_rate_after), and how long the whole stream would have taken.
  bool wound_down = false;
  std::chrono::seconds projected{0};
  std::uint64_t sent = 0;
  std::uint64_t first_write = 0;  // bytes the first send took
  std::uint64_t written_before_first_read = 0;
  std::chrono::microseconds elapsed{0};
  std::string send_error;  // when a send failed
};

// Runs the stream on `conversation`, checking it against `payload` in `verifier`
// (which must expect options.total bytes of `payload`).
[[nodiscard]] PumpResult pump(Conversation& conversation, const PayloadStream& payload,
                              StreamVerifier& verifier, const PumpOptions& options,
                              Syscalls& syscalls = Syscalls::real());

// The problem of a pump that did not get everything back (with the stream's
// trace, labelled `label`), or nullopt. A stream still moving when the
// deadline passed is a slow one (Problem::slow), not a wrong one.
[[nodiscard]] std::optional<Problem> pump_problem(const PumpResult& result,
                                                  const StreamVerifier& verifier,
                                                  const PumpOptions& options,
                                                  const std::string& label = "the echoed stream");

}  // namespace echo::conformance
