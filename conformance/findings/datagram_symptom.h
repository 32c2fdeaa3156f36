// datagram_symptom(): the defect the datagrams of one UDP socket point to on
// their own, read from its trace (model/trace.h): replies from another
// address, replies that are no datagram's echo (cut short, several merged,
// one answered twice, altered), or no reply at all. It knows nothing of other
// sockets or cases, so it cannot confirm that a size limit repeats; the live
// fuzzer uses it as is for one socket of a conversation, the checker's rules
// (diagnose.h) across cases.
//
// UDP may lose datagrams (RFC 768): a datagram without a reply is no symptom
// while others got theirs, except that when every empty datagram went
// unanswered and some datagram with data was answered, that is
// udp-empty-ignored; no reply to anything is udp-silent. Loss under load is
// the caller's to rule out (the fuzzer re-runs such a failure with paced
// datagrams before it counts).
//
// Example:
//   DatagramSymptom s = datagram_symptom(trace);
//   // s.kind == "udp-truncated",
//   // s.detail == "a datagram of 2048 bytes came back as its first 1024 bytes"
#pragma once

#include <string>
#include <string_view>

#include "conformance/model/trace.h"

namespace echo::conformance {

struct DatagramSymptom {
  std::string_view kind;  // a FindingKind id (kinds.h); empty: nothing wrong shows
  std::string detail;     // the evidence, in one sentence
};

[[nodiscard]] DatagramSymptom datagram_symptom(const DatagramTrace& trace);

}  // namespace echo::conformance
