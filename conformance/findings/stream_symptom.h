// stream_symptom(): the defect one echoed TCP stream points to on its own,
// read from its trace (model/trace.h): where the echo went wrong and what the
// bytes there were. It knows nothing of other cases, so it cannot confirm a
// pattern (that a fixed size repeats, that echoes without a NUL work); the
// checker's rules (diagnose.h) do that across cases, the live fuzzer uses it as
// is for one conversation.
//
// Example:
//   StreamSymptom s = stream_symptom(trace);
//   // s.kind == "newline-to-crlf",
//   // s.detail == "at byte 5 the client sent 0a ('\n') and 0d 0a ('\r\n') came back"
#pragma once

#include <string>
#include <string_view>

#include "conformance/model/trace.h"

namespace echo::conformance {

struct StreamSymptom {
  std::string_view kind;  // a FindingKind id (kinds.h); empty: the echo was right
  std::string detail;     // the evidence, in one sentence
};

[[nodiscard]] StreamSymptom stream_symptom(const StreamTrace& trace);

// Helpers the cross-case rules share with stream_symptom().
// The byte the client sent at `offset`, if the trace's excerpts hold it.
[[nodiscard]] bool expected_byte_at(const StreamTrace& trace, std::uint64_t offset,
                                    std::byte& out) noexcept;
// The greeting's length when a new connection's first bytes were never sent
// and then went on as the expected ones did; 0 otherwise.
[[nodiscard]] std::size_t greeting_length(const StreamTrace& trace) noexcept;

}  // namespace echo::conformance
