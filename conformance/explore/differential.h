// Differential fuzzing (--differential): the same script against the target
// and a reference server, and every difference in what a client observes
// reported, even where the echo model alone sees nothing wrong (a server that
// keeps a connection open after the client's half-close, or resets where the
// reference closes). What is compared, per channel:
//   TCP: whether the echo was right, where it first went wrong, how many bytes
//        came back when it fell short, and how the connection ended, before
//        or after the whole echo (FIN, RST, nothing); for a connection the
//        script closed itself, only whether what came was a correct prefix
//        (how much arrived first is timing). An echo still arriving at the
//        deadline is "slow" whatever its count.
//   UDP: the symptom the replies show (datagram_symptom), with lost replies
//        left out: under load either side may lose one.
// A difference's signature leaves the counts out ("short, then FIN" vs
// "complete, then FIN"), so that shrinking keeps the same difference while
// sizes change.
//
// Example:
//   if (auto d = compare(script, on_target, on_reference))
//     // d->channel "c1", d->target "complete, then nothing",
//     // d->reference "complete, then FIN", d->signature() "complete, then nothing | ..."
#pragma once

#include <optional>
#include <string>

#include "conformance/explore/record.h"
#include "conformance/explore/script.h"

namespace echo::conformance::explore {

// What the client saw on one channel, for comparing: `shape` without counts,
// `detail` with them.
struct Observed {
  std::string shape;   // "complete, then FIN"; "wrong from byte N" is "wrong"
  std::string detail;  // "wrong from byte 12"
};

[[nodiscard]] Observed observed(const StreamRecord& record);
[[nodiscard]] Observed observed(const DatagramRecord& record);

struct Difference {
  std::string channel;  // "c1"
  Observed target;
  Observed reference;
  [[nodiscard]] std::string signature() const;  // "<target shape> | <reference shape>"
  // One sentence: "c1: the target: complete, then nothing; the reference: complete, then FIN".
  [[nodiscard]] std::string describe() const;
};

// The first channel (in channel order) where the two runs differ.
[[nodiscard]] std::optional<Difference> compare(const Script& script, const ScriptRecord& target,
                                                const ScriptRecord& reference);

}  // namespace echo::conformance::explore
