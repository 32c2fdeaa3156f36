// The waits cases share. Each is a base duration × --timeout-scale, plus the
// round-trip time to the target measured before the run (context.round_trip),
// so a distant server is given the time its distance needs and nothing more.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "conformance/model/case.h"

namespace echo::conformance {

// `base` × context.timeout_scale.
[[nodiscard]] std::chrono::milliseconds scaled(const CaseContext& context,
                                               std::chrono::milliseconds base);
// `base` × timeout_scale + `round_trips` × the round-trip time.
[[nodiscard]] std::chrono::milliseconds scaled(const CaseContext& context,
                                               std::chrono::milliseconds base, int round_trips);
// How long a case waits for the echo of a small message (1 s, scaled, + 1 round trip).
[[nodiscard]] std::chrono::milliseconds reply_wait(const CaseContext& context);
// How long a case waits for a TCP connect (3 s, scaled, + 1 round trip):
// longer than Linux's initial SYN retransmission timeout (1 s), so a server
// whose listen backlog overflowed for a moment is not taken for one that
// refuses clients.
[[nodiscard]] std::chrono::milliseconds connect_wait(const CaseContext& context);
// How long a case waits for any progress on a long stream (2 s, scaled, + 2 round trips).
[[nodiscard]] std::chrono::milliseconds stall_wait(const CaseContext& context);
// How long a case keeps reading after the echo to catch extra bytes (200 ms, scaled, + 1 round
// trip).
[[nodiscard]] std::chrono::milliseconds quiet_wait(const CaseContext& context);
// Deadline::after(wait), but never past the case's own deadline.
[[nodiscard]] Deadline within(const CaseContext& context, std::chrono::milliseconds wait);
// How long a stream that ends early drains politely (PumpOptions::drain): 1 s, scaled.
[[nodiscard]] std::chrono::milliseconds drain_wait(const CaseContext& context);
// The case's deadline less `reserve` (for a drain after it), at the earliest now.
[[nodiscard]] Deadline before_end(const CaseContext& context, std::chrono::milliseconds reserve);
// How many of `wanted` sequential exchanges of `round_trips_each` round trips
// fit in `budget` at the target's distance (at least `floor`): cases that make
// many exchanges (churn, latency rounds) do fewer against a distant server.
[[nodiscard]] int exchanges_that_fit(const CaseContext& context, int wanted, int round_trips_each,
                                     std::chrono::milliseconds budget, int floor);

[[nodiscard]] std::string ms_text(std::chrono::milliseconds duration);  // "1000 ms"
[[nodiscard]] std::string bytes_text(std::uint64_t count);              // "1 byte", "12 bytes"

}  // namespace echo::conformance
