#include "conformance/cases/support/conversation.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/stream_trace.h"
#include "core/net/io.h"
#include "core/net/socket.h"

namespace echo::conformance {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

bool is_reset(std::error_code code) {
  return code == std::errc::connection_reset || code == std::errc::broken_pipe ||
         code == std::errc::connection_aborted;
}

ReadStop stop(ReadStop::Why why, Clock::time_point start, std::string detail = {}) {
  return ReadStop{why, since(start), std::move(detail)};
}

}  // namespace

const char* to_string(ReadStop::Why why) noexcept {
  switch (why) {
    case ReadStop::Why::kReached:
      return "all bytes";
    case ReadStop::Why::kWrong:
      return "wrong bytes";
    case ReadStop::Why::kFin:
      return "FIN";
    case ReadStop::Why::kReset:
      return "RST";
    case ReadStop::Why::kTimeout:
      return "nothing (timed out)";
    case ReadStop::Why::kError:
      return "a receive error";
  }
  return "?";
}

StreamEnd stream_end(ReadStop::Why why) noexcept {
  switch (why) {
    case ReadStop::Why::kReached:
      return StreamEnd::kComplete;
    case ReadStop::Why::kWrong:
      return StreamEnd::kWrong;
    case ReadStop::Why::kFin:
      return StreamEnd::kFin;
    case ReadStop::Why::kReset:
      return StreamEnd::kReset;
    case ReadStop::Why::kTimeout:
      return StreamEnd::kStalled;
    case ReadStop::Why::kError:
      return StreamEnd::kError;
  }
  return StreamEnd::kError;
}

Result<Conversation> Conversation::open(const Endpoint& target, Deadline deadline) {
  const auto start = Clock::now();
  ECHO_ASSIGN_OR_RETURN(Fd fd, tcp_connect(target, deadline));  // "cannot connect to <target>: ..."
  return Conversation(std::move(fd), since(start));
}

Result<Conversation> Conversation::open(const CaseContext& context) {
  return open(context, within(context, connect_wait(context)));
}

Result<Conversation> Conversation::open(const CaseContext& context, Deadline deadline) {
  Result<Conversation> conversation = open(context.target, deadline);
  if (conversation && context.recorder) {
    conversation->recording_ = std::make_unique<StreamRecording>(context.recorder, context.case_id);
  }
  return conversation;
}

Status Conversation::send(std::span<const std::byte> data, Deadline deadline) {
  return write_all(fd_.get(), data, deadline);
}

ReadStop Conversation::read_into(StreamVerifier& verifier, Deadline deadline, std::uint64_t until) {
  const auto start = Clock::now();
  if (until == 0) until = verifier.expected_length();
  while (verifier.received() < until) {
    Result<short> ready = wait_ready(fd_.get(), POLLIN, deadline);
    if (!ready) {
      const bool timed_out = ready.error().code == std::errc::timed_out;
      return stop(timed_out ? ReadStop::Why::kTimeout : ReadStop::Why::kError, start,
                  ready.error().message);
    }
    const std::uint64_t want = std::min<std::uint64_t>(buffer_.size(), until - verifier.received());
    const Transfer t =
        recv_some(fd_.get(), std::span(buffer_).first(static_cast<std::size_t>(want)));
    switch (t.kind) {
      case Transfer::Kind::kDone:
        if (!feed(verifier, std::span(buffer_).first(t.bytes))) {
          read_context_after_mismatch(verifier, deadline);
          return stop(ReadStop::Why::kWrong, start);
        }
        break;
      case Transfer::Kind::kWouldBlock:
        break;
      case Transfer::Kind::kEof:
        return stop(ReadStop::Why::kFin, start);
      case Transfer::Kind::kError:
        return stop(is_reset(t.error) ? ReadStop::Why::kReset : ReadStop::Why::kError, start,
                    t.error.message());
    }
  }
  return stop(ReadStop::Why::kReached, start);
}

bool Conversation::feed(StreamVerifier& verifier, std::span<const std::byte> chunk) {
  received_ += chunk.size();
  const bool still_ok = verifier.feed(chunk);
  if (recording_) recording_->add(verifier, chunk);
  return still_ok;
}

void Conversation::read_context_after_mismatch(StreamVerifier& verifier, Deadline deadline) {
  const Deadline soon = Deadline::after(std::chrono::milliseconds(50)).min(deadline);
  while (verifier.received_after().size() < StreamVerifier::kLongExcerpt) {
    if (!wait_ready(fd_.get(), POLLIN, soon)) return;
    const Transfer t = recv_some(fd_.get(), buffer_);
    if (t.kind != Transfer::Kind::kDone) return;
    (void)feed(verifier, std::span(buffer_).first(t.bytes));
  }
}

ReadStop Conversation::read_to_end(StreamVerifier& verifier, Deadline deadline) {
  return read_into(verifier, deadline, kToEnd);
}

Status Conversation::shutdown_write() {
  if (::shutdown(fd_.get(), SHUT_WR) != 0) return system_error("shutdown(SHUT_WR)", errno);
  return {};
}

void Conversation::reset() noexcept {
  (void)set_linger_reset(fd_.get());
  fd_.reset();
}

std::optional<Problem> echo_problem(const ReadStop& stop, const StreamVerifier& verifier,
                                    const std::string& what) {
  if (stop.why == ReadStop::Why::kReached && verifier.complete()) return std::nullopt;
  const std::string expected = verifier.expected_line();
  const std::string got = "; received " + std::to_string(verifier.received()) + " of " +
                          bytes_text(verifier.expected_length());
  Problem problem;
  StreamTrace trace =
      trace_stream(verifier, stream_end(stop.why), verifier.expected_length(), what);
  trace.elapsed = stop.waited;
  problem.streams.push_back(std::move(trace));
  problem.expected = expected;
  switch (stop.why) {
    case ReadStop::Why::kReached:
    case ReadStop::Why::kWrong:
      problem.evidence = verifier.describe();
      problem.actual = verifier.actual_line();
      break;
    case ReadStop::Why::kFin:
      problem.evidence =
          "the server closed the connection (FIN) while " + what + " was awaited" + got;
      problem.actual = "FIN after " + bytes_text(verifier.received());
      break;
    case ReadStop::Why::kReset:
      problem.evidence = "the connection was reset (RST: " + stop.detail + ") while " + what +
                         " was awaited" + got;
      problem.actual = "RST after " + bytes_text(verifier.received());
      break;
    case ReadStop::Why::kTimeout:
      problem.evidence = "timed out after " + ms_text(stop.waited) + " waiting for " + what + got +
                         (verifier.ok() ? "" : "; " + verifier.describe());
      problem.expected = expected + " within " + ms_text(stop.waited);
      problem.actual =
          verifier.received() == 0 ? "nothing" : "only " + bytes_text(verifier.received());
      break;
    case ReadStop::Why::kError:
      problem.evidence = "receiving " + what + " failed: " + stop.detail + got;
      problem.actual = "error: " + stop.detail;
      break;
  }
  return problem;
}

Problem no_connection(const Error& error, std::uint64_t message_size) {
  Problem problem;
  problem.evidence = error.message;
  problem.expected = "a TCP connection";
  problem.actual = is_reset(error.code) ? "RST" : "no connection";
  if (is_reset(error.code)) {
    problem.evidence = "the connection was reset (RST) as it was set up: " + error.message;
  }
  StreamTrace trace;
  trace.label = "the connection";
  trace.expected = message_size;
  trace.end = StreamEnd::kConnectFailed;
  problem.streams.push_back(std::move(trace));
  return problem;
}

std::optional<Problem> echo_on(Conversation& conversation, std::span<const std::byte> message,
                               Deadline deadline) {
  StreamVerifier verifier =
      StreamVerifier::for_bytes(std::vector<std::byte>(message.begin(), message.end()));
  if (Status sent = conversation.send(message, deadline); !sent) {
    Problem problem;
    StreamTrace trace =
        trace_stream(verifier, is_reset(sent.error().code) ? StreamEnd::kReset : StreamEnd::kError,
                     0, "the echo");
    problem.streams.push_back(std::move(trace));
    if (is_reset(sent.error().code)) {
      problem.evidence = "the connection was reset (RST) while sending " +
                         bytes_text(message.size()) + ": " + sent.error().message;
      problem.expected = "the echo of " + bytes_text(message.size());
      problem.actual = "RST while sending";
      return problem;
    }
    problem.evidence = "sending " + bytes_text(message.size()) + " failed: " + sent.error().message;
    problem.expected = "the server to take " + bytes_text(message.size());
    problem.actual = sent.error().message;
    return problem;
  }
  const std::uint64_t before = conversation.received();
  std::optional<Problem> problem =
      echo_problem(conversation.read_into(verifier, deadline), verifier);
  if (problem) {
    problem->streams.back().first_write = message.size();
    problem->streams.back().connection_offset = before;
  }
  return problem;
}

std::optional<Problem> echo_once(const CaseContext& context, std::span<const std::byte> message,
                                 std::chrono::milliseconds wait, ConnectTimes* times) {
  Result<Conversation> conversation = Conversation::open(context);
  if (!conversation) return no_connection(conversation.error(), message.size());
  if (times != nullptr) times->add(conversation->connect_took());
  std::optional<Problem> problem = echo_on(*conversation, message, within(context, wait));
  const std::string slow = slow_connect_text(conversation->connect_took());
  if (problem && !slow.empty()) problem->evidence += " (" + slow + ")";
  return problem;
}

std::optional<Observation> unless_lone_echo_works(const CaseContext& context) {
  const std::string text = "a lone client first\n";
  std::optional<Problem> problem = echo_once(context, as_bytes(text), reply_wait(context));
  if (!problem) return std::nullopt;
  Observation observation = not_judged(
      "even a lone client's short echo fails, so this case cannot tell its own problem from "
      "that one: " +
      problem->evidence);
  observation.streams = std::move(problem->streams);  // the findings read why
  return observation;
}

}  // namespace echo::conformance
