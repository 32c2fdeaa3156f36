// trace_stream(): the StreamTrace (model/trace.h) of an echo a StreamVerifier
// checked, with the excerpts and alignments the findings reason about: where
// the first mismatch is, whether the bytes after it were skipped ahead in or
// inserted into the expected stream, and where the last complete line ends.
//
// Example:
//   StreamTrace trace = trace_stream(verifier, StreamEnd::kStalled, message.size(), "the echo");
//   trace.first_write = message.size();
#pragma once

#include <cstdint>
#include <string>

#include "conformance/model/trace.h"
#include "conformance/oracle/stream_verifier.h"

namespace echo::conformance {

// How far ahead in the expected stream trace_stream() looks for where the
// received bytes continue after a mismatch (bytes lost mid-stream).
inline constexpr std::uint64_t kSkipSearch = 16 << 20;
// How many bytes it looks past for bytes added at a mismatch.
inline constexpr std::uint64_t kInsertSearch = 128;

// `sent`: the bytes the client had sent (the newline search looks at those).
// The caller fills in what the verifier cannot know: first_write, client_shut_down,
// arrived_after_shutdown, after, elapsed and bytes_per_second.
[[nodiscard]] StreamTrace trace_stream(const StreamVerifier& verifier, StreamEnd end,
                                       std::uint64_t sent, std::string label);

}  // namespace echo::conformance
