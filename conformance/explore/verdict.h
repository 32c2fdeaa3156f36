// The live fuzzer's oracle: the echo model applied to what a script's run
// showed (record.h). Over TCP, every connection must give back exactly the
// byte stream it sent, however it was chunked: a wrong or extra byte, a close
// or reset by the server before the whole echo, or a stall (nothing for the
// stall wait while bytes are owed) fails; an echo still arriving at the
// deadline is slow, not wrong; a connection the script closed or reset itself
// only needs a correct prefix. Over UDP, every datagram gets one identical
// reply from the address it was sent to (findings/datagram_symptom.h; a lost
// reply among answered ones is no failure). Failures are named with the
// checker's finding ids (findings/kinds.h) by stream_symptom() and
// datagram_symptom(), so a fuzz failure and a catalogue finding read alike.
//
// Example:
//   Verdict v = judge(script, record);
//   if (v.shows("nul-cut")) ...;          // the shrinker's "still fails"
//   // v.failures[0]: {channel "c1", finding "nul-cut", detail "1 of 2 bytes came back: ..."}
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/explore/record.h"
#include "conformance/explore/script.h"

namespace echo::conformance::explore {

// One channel that did not echo.
struct ChannelFailure {
  std::string channel;                     // "c1", "u2"
  std::string finding;                     // a FindingKind id: "nul-cut", "udp-truncated", ...
  std::string detail;                      // the evidence, in one sentence
  std::optional<StreamTrace> stream;       // a TCP connection's trace
  std::optional<DatagramTrace> datagrams;  // a UDP socket's trace
};

struct Verdict {
  std::vector<ChannelFailure> failures;  // in channel order
  bool connect_refused = false;          // a connect was refused: the server may have stopped
  bool deadline_passed = false;

  [[nodiscard]] bool failed() const noexcept { return !failures.empty(); }
  // The finding of the first failing channel ("" when none failed).
  [[nodiscard]] std::string finding() const;
  // Some channel failed with this finding.
  [[nodiscard]] bool shows(std::string_view finding) const noexcept;
};

[[nodiscard]] Verdict judge(const Script& script, const ScriptRecord& record);

// Whether a connection's record breaks the echo model (before naming why).
[[nodiscard]] bool stream_failed(const StreamRecord& record) noexcept;

// Findings that rest on a reply that never came (udp-silent,
// udp-empty-ignored): on a loaded machine a socket buffer may have dropped
// the datagram, so these are confirmed with paced datagrams.
[[nodiscard]] bool rests_on_loss(std::string_view finding) noexcept;

}  // namespace echo::conformance::explore
