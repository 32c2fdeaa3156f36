// tcp.close.*: half-close (SHUT_WR) and how the server ends the connection.
#include <chrono>
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/pump.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/stream_trace.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

// One half-close trial: `size` bytes, then SHUT_WR, timed as `when` says.
struct Trial {
  std::uint64_t size;
  enum class When { kAtOnce, kAfterPause, kWhileEchoing } when;
};

std::string describe(const Trial& trial) {
  const char* when = trial.when == Trial::When::kAtOnce       ? "SHUT_WR right after the last byte"
                     : trial.when == Trial::When::kAfterPause ? "SHUT_WR 5 ms after the last byte"
                                                              : "SHUT_WR while the echo flows";
  return bytes_text(trial.size) + ", " + when;
}

// Losing the tail at a half-close is often a race (the server closes while
// data is still on its way out), so the case tries several sizes and timings.
constexpr Trial kTrials[] = {
    {256 * 1024, Trial::When::kAtOnce},       {4 * 1024, Trial::When::kAtOnce},
    {64 * 1024, Trial::When::kAtOnce},        {1024 * 1024, Trial::When::kAtOnce},
    {256 * 1024, Trial::When::kAfterPause},   {64 * 1024, Trial::When::kAfterPause},
    {256 * 1024, Trial::When::kWhileEchoing}, {1024 * 1024, Trial::When::kWhileEchoing},
    {16 * 1024, Trial::When::kAtOnce},        {256 * 1024, Trial::When::kAtOnce},
    {100 * 1000, Trial::When::kWhileEchoing}, {512 * 1024, Trial::When::kAtOnce},
};
constexpr int kTrialCount = static_cast<int>(std::size(kTrials));

std::optional<Problem> run_trial(const CaseContext& context, const Trial& trial, int index) {
  const std::string label = "trial " + std::to_string(index + 1) + " of " +
                            std::to_string(kTrialCount) + " (" + describe(trial) + ")";
  Result<Conversation> c = Conversation::open(context, within(context, reply_wait(context)));
  if (!c) return no_connection(c.error(), trial.size);
  const PayloadStream payload(context.seed, 0xC1 + static_cast<std::uint64_t>(index));
  StreamVerifier verifier = StreamVerifier::for_payload(payload, trial.size);
  PumpOptions options;
  options.total = trial.size;
  options.stall = stall_wait(context);
  options.drain = drain_wait(context);
  options.judge_rate_after = scaled(context, milliseconds(2000), 2);
  options.deadline =
      within(context, stall_wait(context) * 2).min(before_end(context, options.drain));
  options.shutdown_after_last_write = true;
  if (trial.when == Trial::When::kAfterPause) options.shutdown_delay = milliseconds(5);
  // Many small writes: the echo flows back before the last one and the SHUT_WR.
  if (trial.when == Trial::When::kWhileEchoing) options.max_write = 8 * 1024;
  return pump_problem(pump(*c, payload, verifier, options), verifier, options, label);
}

Observation echo_after_shutdown(const CaseContext& context) {
  int lost = 0;
  int tried = 0;
  std::optional<Problem> first_problem;
  std::vector<StreamTrace> traces;
  for (int i = 0; i < kTrialCount && !context.deadline.expired(); ++i) {
    ++tried;
    auto problem = run_trial(context, kTrials[i], i);
    if (!problem) continue;
    ++lost;
    for (StreamTrace& trace : problem->streams) traces.push_back(std::move(trace));
    if (!first_problem) first_problem = std::move(problem);
    // A stall or a broken connection costs seconds: one is enough evidence.
    if (traces.back().end != StreamEnd::kFin) break;
  }
  Observation observation;
  if (!first_problem) {
    observation = met();
  } else {
    Problem problem = std::move(*first_problem);
    problem.evidence = std::to_string(lost) + " of " + std::to_string(tried) +
                       " trials fell short after the client shut down its sending side "
                       "(SHUT_WR); the first: " +
                       traces.front().label + ": " + problem.evidence;
    problem.actual = std::to_string(lost) + " of " + std::to_string(tried) + " trials short";
    problem.streams = std::move(traces);
    observation = shortfall(std::move(problem));
  }
  observation.figures = {{"trials", static_cast<double>(tried), "count"},
                         {"trials_short", static_cast<double>(lost), "count"}};
  return observation;
}

// A short message, SHUT_WR, the echo, then: FIN (met), RST or nothing (shortfall).
Observation closes_after_eof(const CaseContext& context) {
  const std::string text = "goodbye after this line\n";
  const auto wait = reply_wait(context);
  Result<Conversation> c = Conversation::open(context, within(context, wait));
  if (!c) return shortfall(no_connection(c.error(), text.size()));
  StreamVerifier verifier =
      StreamVerifier::for_bytes({as_bytes(text).begin(), as_bytes(text).end()});
  if (Status sent = c->send(as_bytes(text), within(context, wait)); !sent) {
    return shortfall(
        Problem{"sending failed: " + sent.error().message, "the text sent", sent.error().message});
  }
  if (Status shut = c->shutdown_write(); !shut) {
    return not_judged("shutdown(SHUT_WR) failed: " + shut.error().message);
  }
  const ReadStop echo = c->read_into(verifier, within(context, wait));
  if (auto problem = echo_problem(echo, verifier, "the echo after SHUT_WR")) {
    problem->streams.back().client_shut_down = true;
    return shortfall(std::move(*problem));
  }
  const ReadStop end = c->read_to_end(verifier, within(context, wait));
  StreamTrace trace = trace_stream(verifier, StreamEnd::kComplete, text.size(), "the echo");
  trace.client_shut_down = true;
  const std::string expected = "the echo, then FIN";
  Problem problem;
  problem.expected = expected;
  switch (end.why) {
    case ReadStop::Why::kFin:
      return met("the server closed with FIN after the echo");
    case ReadStop::Why::kReset:
      trace.after = AfterEcho::kReset;
      problem.evidence = "the server ended the connection with RST (" + end.detail +
                         ") after the whole echo, not with FIN";
      problem.actual = "the echo, then RST";
      break;
    case ReadStop::Why::kTimeout:
      trace.after = AfterEcho::kNothing;
      problem.evidence = "the server never closed: no FIN or RST within " + ms_text(end.waited) +
                         " after the echo, though the client had shut down its sending side";
      problem.actual = "the echo, then nothing";
      break;
    case ReadStop::Why::kWrong:
    case ReadStop::Why::kReached:
      trace.after = AfterEcho::kMore;
      problem.evidence = "after the echo the server sent more: " + verifier.describe();
      problem.actual = bytes_text(verifier.extra()) + " extra";
      break;
    case ReadStop::Why::kError:
      problem.evidence = "after the echo: " + end.detail;
      problem.actual = to_string(end.why);
      break;
  }
  problem.streams.push_back(std::move(trace));
  return shortfall(std::move(problem));
}

}  // namespace

std::vector<Case> tcp_close_cases() {
  return {
      {{"tcp.close.echo-after-shutdown",
        "After the client shuts down its sending side (SHUT_WR), every byte still comes back "
        "(12 trials of sizes and timings, since losing the tail is often a race)",
        kRfc9293HalfClose, "RFC 862; RFC 9293 §3.6", Level::kRequired, Transport::kTcp,
        milliseconds(8000), Schedule::kShared, 40},
       echo_after_shutdown},
      {{"tcp.close.server-closes-after-eof",
        "Once the client has shut down and its echo is sent, the server closes with FIN",
        "RFC 862: \"This continues until the calling user terminates the connection.\" RFC 9293 "
        "§3.6, paraphrased: once the client has closed for sending and its echo is delivered, the "
        "server has nothing more to send and closes too (FIN); RST is an abortive close.",
        "RFC 862; RFC 9293 §3.6", Level::kRecommended, Transport::kTcp, milliseconds(4000),
        Schedule::kShared, 4},
       closes_after_eof},
  };
}

}  // namespace echo::conformance
