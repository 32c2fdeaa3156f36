// Traces: what one exchange with a server looked like, in a form the findings
// (conformance/findings) can reason about. A case's evidence string is for a
// person; its traces are for the rules that name the defect behind it ("the
// stream stopped at the first NUL byte", "every newline came back as CR LF").
// The live fuzzer (conformance/explore) records the same traces, so both speak
// one vocabulary.
//
// Example (a case that echoed a message and read the reply):
//   StreamVerifier verifier = StreamVerifier::for_bytes(message);
//   ... feed what came back ...
//   StreamTrace trace = verifier.trace(StreamEnd::kStalled, "the echo");
//   observation.streams.push_back(std::move(trace));
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace echo::conformance {

using Bytes = std::vector<std::byte>;

// How reading an echoed TCP stream ended.
enum class StreamEnd {
  kComplete,       // every expected byte arrived intact (extra bytes may have followed)
  kWrong,          // a wrong byte arrived: reading stopped at the first mismatch
  kFin,            // the server closed (FIN) before the whole echo arrived
  kReset,          // the connection was reset (RST) before the whole echo arrived
  kStalled,        // nothing arrived for the stall wait: the echo stopped moving
  kDeadline,       // the case's deadline passed while bytes were still arriving
  kConnectFailed,  // there was no connection to read from (refused, reset or timed out)
  kError,          // another receive or send error
};

// What the server did once the whole echo had arrived, when the case looked.
enum class AfterEcho {
  kNotWatched,  // the case did not wait to see
  kFin,         // it closed with FIN
  kReset,       // it reset the connection
  kNothing,     // it kept the connection open and silent
  kMore,        // it sent more bytes (counted in StreamTrace::extra)
};

// One echoed TCP stream, as checked against what was sent.
struct StreamTrace {
  // The greatest number of bytes kept of each excerpt below.
  static constexpr std::size_t kHead = 256;
  static constexpr std::size_t kWindowBefore = 32;
  static constexpr std::size_t kWindowAfter = 64;

  std::string label;              // which exchange: "the echo", "trial 3 of 8 (64 KiB, SHUT_WR)"
  std::uint64_t sent = 0;         // bytes the client sent
  std::uint64_t expected = 0;     // bytes it expected back (the whole message or stream)
  std::uint64_t received = 0;     // bytes that came back, extra bytes included
  std::uint64_t verified = 0;     // bytes that came back intact before any mismatch
  std::uint64_t extra = 0;        // bytes beyond the expected length
  std::uint64_t first_write = 0;  // size of the client's first send (0: unknown)
  // Bytes the connection had delivered before this echo began: 0 when the
  // echo is the first thing read on a new connection (where a greeting shows).
  std::uint64_t connection_offset = 0;
  StreamEnd end = StreamEnd::kComplete;
  AfterEcho after = AfterEcho::kNotWatched;
  bool client_shut_down = false;  // the client had shut down its sending side (SHUT_WR)
  // The echo did not come while the connection was open, but did once the
  // client shut down its sending side.
  bool arrived_after_shutdown = false;
  std::optional<std::uint64_t> mismatch;  // offset of the first wrong byte
  // How the received bytes go on after the mismatch, when they go on as the
  // expected stream does: `skipped` bytes later in it (bytes were lost), or
  // after `inserted` bytes that were never sent (bytes were added). Both 0:
  // neither was found (e.g. a byte was changed).
  std::uint64_t skipped = 0;
  std::uint64_t inserted = 0;
  // Excerpts around the point of interest (the first mismatch, else where the
  // echo stopped): expected and received bytes from `window_start` on. The
  // received excerpt is shorter when fewer bytes came.
  std::uint64_t window_start = 0;
  Bytes expected_window;
  Bytes received_window;
  Bytes expected_head;  // the first bytes expected (up to kHead)
  Bytes received_head;  // the first bytes received (up to kHead)
  // The length of the longest prefix of the expected bytes that ends with a
  // newline (0 when they hold none): where a line-buffered server stops.
  std::uint64_t through_last_newline = 0;
  std::chrono::milliseconds elapsed{0};
  double bytes_per_second = 0;  // verified bytes over elapsed
};

// Datagrams sent from one UDP socket and what came back to it.
struct DatagramTrace {
  struct Reply {
    Bytes data;
    bool from_target = true;  // it came from the address and port the datagrams went to
  };
  std::string label;
  std::vector<Bytes> sent;        // in the order sent (each at most 65,507 bytes)
  std::vector<Reply> replies;     // in the order received, while the case listened
  bool port_unreachable = false;  // ICMP port unreachable: no UDP service there
};

[[nodiscard]] const char* to_string(StreamEnd end) noexcept;  // "FIN", "RST", "stalled", ...
[[nodiscard]] const char* to_string(AfterEcho after) noexcept;

}  // namespace echo::conformance
