// Conversation: one TCP client connection as a case sees it. Every operation
// has a deadline; reads feed a StreamVerifier and say how they stopped (the
// expected bytes arrived, FIN, RST, nothing before the deadline), so the case
// can turn that into evidence.
//
// Example:
//   auto c = Conversation::open(context, within(context, reply_wait(context)));
//   if (!c) return shortfall(no_connection(c.error()));
//   StreamVerifier v = StreamVerifier::for_bytes(message);
//   c->send(message, deadline);
//   ReadStop stop = c->read_into(v, deadline);
//   if (auto problem = echo_problem(stop, v)) return shortfall(std::move(*problem));
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "conformance/cases/support/connect_times.h"
#include "conformance/cases/support/observe.h"
#include "conformance/model/case.h"
#include "conformance/oracle/stream_verifier.h"
#include "conformance/record/stream_recording.h"
#include "core/address/endpoint.h"
#include "core/net/deadline.h"
#include "core/net/fd.h"
#include "core/util/result.h"

namespace echo::conformance {

// How a read loop stopped.
struct ReadStop {
  enum class Why {
    kReached,  // the verifier holds the bytes asked for, all correct
    kWrong,    // a wrong or extra byte arrived (see the verifier)
    kFin,      // the server closed its side (end of stream)
    kReset,    // the connection was reset (RST)
    kTimeout,  // nothing more before the deadline
    kError,    // another receive error (detail)
  };
  Why why = Why::kReached;
  std::chrono::milliseconds waited{0};
  std::string detail;
};

// "FIN", "RST", "nothing (timed out)", ...
[[nodiscard]] const char* to_string(ReadStop::Why why) noexcept;
// How a stream read that stopped so ended, for its trace (a timeout is a stall).
[[nodiscard]] StreamEnd stream_end(ReadStop::Why why) noexcept;

class Conversation {
 public:
  static constexpr std::uint64_t kToEnd = std::numeric_limits<std::uint64_t>::max();

  // Connects by the deadline; the error says "cannot connect to <target>: <why>".
  [[nodiscard]] static Result<Conversation> open(const Endpoint& target, Deadline deadline);
  // Connects within connect_wait() (and the case's deadline).
  [[nodiscard]] static Result<Conversation> open(const CaseContext& context);
  // Connects by the deadline. Both opens of a context record what is read
  // when the run records a corpus (context.recorder, see stream_recording.h).
  [[nodiscard]] static Result<Conversation> open(const CaseContext& context, Deadline deadline);

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  // Bytes received on this connection so far, by every read.
  [[nodiscard]] std::uint64_t received() const noexcept { return received_; }
  // How long the connect took (see connect_times.h for why it may be ~1 s).
  [[nodiscard]] std::chrono::milliseconds connect_took() const noexcept { return connect_took_; }
  [[nodiscard]] Status send(std::span<const std::byte> data, Deadline deadline);
  // Reads into `verifier` until it holds `until` bytes (by default all it
  // expects), a wrong byte arrives, the stream ends, or the deadline passes.
  [[nodiscard]] ReadStop read_into(StreamVerifier& verifier, Deadline deadline,
                                   std::uint64_t until = 0);
  // Keeps reading after the echo until the stream ends or the deadline passes,
  // so extra bytes and the way the server closes are seen.
  [[nodiscard]] ReadStop read_to_end(StreamVerifier& verifier, Deadline deadline);
  // Feeds bytes that arrived on this connection to `verifier` (and to the
  // recording when the run records a corpus); returns what feed() returns.
  // For read loops of their own (pump.h); read_into() uses it.
  bool feed(StreamVerifier& verifier, std::span<const std::byte> chunk);
  // After a wrong byte: reads on for up to 50 ms (and never past `deadline`)
  // until the verifier holds its long excerpt of what followed, so the
  // findings see what the server sent instead (a greeting, then the echo).
  void read_context_after_mismatch(StreamVerifier& verifier, Deadline deadline);
  [[nodiscard]] Status shutdown_write();
  // SO_LINGER {1, 0} and close: the server sees RST, not FIN.
  void reset() noexcept;
  void close() noexcept { fd_.reset(); }

 private:
  Conversation(Fd fd, std::chrono::milliseconds connect_took)
      : fd_(std::move(fd)), connect_took_(connect_took), buffer_(64 * 1024) {}
  Fd fd_;
  std::chrono::milliseconds connect_took_{0};
  std::vector<std::byte> buffer_;
  std::uint64_t received_ = 0;
  std::unique_ptr<StreamRecording> recording_;  // null unless recording a corpus
};

// The problem with an echo read that stopped with `stop`, or nullopt when the
// whole expected echo arrived intact. `what` names the awaited bytes ("the
// echo") and labels the trace; the client is taken to have sent all the
// verifier expects.
[[nodiscard]] std::optional<Problem> echo_problem(const ReadStop& stop,
                                                  const StreamVerifier& verifier,
                                                  const std::string& what = "the echo");

// The problem of a connection that could not be made, with a trace of the
// echo that was to follow (StreamEnd::kConnectFailed).
[[nodiscard]] Problem no_connection(const Error& error, std::uint64_t message_size = 0);

// Connects (within connect_wait()), sends `message` and reads its echo within
// `wait`, all within the case's deadline. nullopt when the exact echo came
// back. The connect's duration goes to `times` when given; a slow connect is
// named in the evidence of a finding.
[[nodiscard]] std::optional<Problem> echo_once(const CaseContext& context,
                                               std::span<const std::byte> message,
                                               std::chrono::milliseconds wait,
                                               ConnectTimes* times = nullptr);
// send + read the echo on an open conversation.
[[nodiscard]] std::optional<Problem> echo_on(Conversation& conversation,
                                             std::span<const std::byte> message, Deadline deadline);

// For cases that judge how a server treats other clients (concurrency,
// robustness): first checks that a lone client's short echo works. When it
// does not, the case cannot tell its own problem apart from that one, so this
// returns a kNotJudged observation saying so; nullopt when it works.
[[nodiscard]] std::optional<Observation> unless_lone_echo_works(const CaseContext& context);

}  // namespace echo::conformance
