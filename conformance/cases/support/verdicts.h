// Building Outcomes, and the waits cases share (all × timeout_scale).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "conformance/model/case.h"

namespace echo::conformance {

[[nodiscard]] Outcome pass(std::string evidence = {});
[[nodiscard]] Outcome fail(std::string evidence, std::string expected, std::string actual);
[[nodiscard]] Outcome warn(std::string evidence, std::string expected, std::string actual);
[[nodiscard]] Outcome info(std::vector<Figure> figures, std::string evidence = {});
// A shortfall graded by level: fail for a required case, warn for a
// recommended one, info for an informational one.
[[nodiscard]] Outcome shortfall(Level level, std::string evidence, std::string expected,
                                std::string actual);

// `base` × context.timeout_scale.
[[nodiscard]] std::chrono::milliseconds scaled(const CaseContext& context,
                                               std::chrono::milliseconds base);
// How long a case waits for the echo of a small message (1 s, scaled).
[[nodiscard]] std::chrono::milliseconds reply_wait(const CaseContext& context);
// How long a case waits for a TCP connect (3 s, scaled): longer than Linux's
// initial SYN retransmission timeout (1 s), so a server whose listen backlog
// overflowed for a moment is not taken for one that refuses clients.
[[nodiscard]] std::chrono::milliseconds connect_wait(const CaseContext& context);
// How long a case waits for any progress on a long stream (2 s, scaled).
[[nodiscard]] std::chrono::milliseconds stall_wait(const CaseContext& context);
// How long a case keeps reading after the echo to catch extra bytes (200 ms, scaled).
[[nodiscard]] std::chrono::milliseconds quiet_wait(const CaseContext& context);
// Deadline::after(wait), but never past the case's own deadline.
[[nodiscard]] Deadline within(const CaseContext& context, std::chrono::milliseconds wait);

[[nodiscard]] std::string ms_text(std::chrono::milliseconds duration);  // "1000 ms"
[[nodiscard]] std::string bytes_text(std::uint64_t count);              // "1 byte", "12 bytes"

}  // namespace echo::conformance
