// The evidence of a failing channel as lines of text, in the checker's
// vocabulary: the finding and its sentence, then for a TCP connection the
// first differing offset with hex excerpts of what was sent and what came
// back, and how the connection ended; for a UDP socket the datagrams and the
// replies. The terminal output and the HTML report show these lines; the
// JSON report carries the same facts as fields.
//
// Example:
//   for (const std::string& line : evidence_lines(failure)) std::cout << "  " << line << '\n';
//   // c1: nul-cut: 1 of 2 bytes came back: the echo stopped right before the NUL ...
//   //   sent from byte 0:     61 [00]
//   //   received from byte 0: 61
//   //   the connection: stalled (1 of 2 bytes came back)
#pragma once

#include <string>
#include <vector>

#include "conformance/explore/verdict.h"

namespace echo::conformance::explore {

// Lines as they are (server bytes appear only as hex or escaped text).
[[nodiscard]] std::vector<std::string> evidence_lines(const ChannelFailure& failure);

}  // namespace echo::conformance::explore
