// tcp.concurrency.*: many clients at once, idle clients, connection churn.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 50;
constexpr int kRounds = 3;
constexpr std::size_t kMessage = 100;

std::string who(int client, int round) {
  return "client " + std::to_string(client + 1) + " of " + std::to_string(kClients) + ", round " +
         std::to_string(round + 1) + ": ";
}

// `evidence`, followed by what the slow connects say (if any).
std::string with_remark(std::string evidence, const ConnectTimes& times) {
  const std::string remark = times.remark();
  if (remark.empty()) return evidence;
  return evidence + (evidence.empty() ? "" : "; ") + remark;
}

// After connection `number` (1-based) failed: whether a new one is served
// after a pause. Yes points to a rate or connection limit, no to a descriptor
// leak or a server that stopped; both go into the figures the findings read.
void add_connection_failure(const CaseContext& context, int number, Problem& problem) {
  problem.figures.push_back({"failed_at_connection", static_cast<double>(number), "count"});
  const std::string text = "after a pause\n";
  const milliseconds pause = scaled(context, milliseconds(1000));
  if (context.deadline.remaining() < pause + reply_wait(context)) return;
  std::this_thread::sleep_for(pause);  // the pause is the probe, not a synchronisation
  const bool recovered = !echo_once(context, as_bytes(text), reply_wait(context));
  problem.evidence += recovered ? "; after a 1 s pause a new client was served again"
                                : "; after a 1 s pause a new client was still not served";
  problem.figures.push_back({"recovered_after_pause", recovered ? 1.0 : 0.0, "bool"});
}

// Connects each client one after the other, each within connect_wait().
std::optional<Problem> connect_all(const CaseContext& context, ConnectTimes& times,
                                   std::vector<Conversation>& clients) {
  for (int i = 0; i < kClients; ++i) {
    Result<Conversation> c = Conversation::open(context);
    if (!c) {
      Problem problem = no_connection(c.error(), kMessage);
      problem.evidence = with_remark("connection " + std::to_string(i + 1) + " of " +
                                         std::to_string(kClients) + " failed: " + problem.evidence,
                                     times);
      problem.expected = std::to_string(kClients) + " connections at once";
      problem.actual = std::to_string(i) + " connected";
      clients.clear();  // the pause probe must not compete with 49 open connections
      add_connection_failure(context, i + 1, problem);
      return problem;
    }
    times.add(c->connect_took());
    clients.push_back(std::move(*c));
  }
  return std::nullopt;
}

// All 50 connect first; then each round every client sends, and only then
// does any client read: the server must hold 50 conversations at once.
Observation fifty_clients(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  ConnectTimes times;
  std::vector<Conversation> clients;
  if (auto problem = connect_all(context, times, clients)) return shortfall(std::move(*problem));
  for (int round = 0; round < kRounds; ++round) {
    std::vector<StreamVerifier> verifiers;
    const Deadline deadline = within(context, reply_wait(context));
    for (int i = 0; i < kClients; ++i) {
      const PayloadStream payload(context.seed, 0x50'0000 + static_cast<std::uint64_t>(i));
      std::vector<std::byte> message(kMessage);
      payload.fill(static_cast<std::uint64_t>(round) * kMessage, message);
      verifiers.push_back(StreamVerifier::for_bytes(message));
      if (Status sent = clients[i].send(message, deadline); !sent) {
        return shortfall(
            Problem{with_remark(who(i, round) + "sending failed: " + sent.error().message, times),
                    "every client served", sent.error().message});
      }
    }
    for (int i = 0; i < kClients; ++i) {
      const std::uint64_t before = clients[i].received();
      if (auto problem = echo_problem(clients[i].read_into(verifiers[i], deadline), verifiers[i])) {
        problem->evidence = with_remark(who(i, round) + problem->evidence, times);
        problem->streams.back().connection_offset = before;
        return shortfall(std::move(*problem));
      }
    }
  }
  Observation observation = met(times.remark());
  observation.figures = times.figures();
  return observation;
}

// One client connected and silent, one that sent half a line; a third is served.
Observation idle_does_not_block(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  const auto wait = reply_wait(context);
  ConnectTimes times;
  Result<Conversation> idle = Conversation::open(context);
  if (!idle) return shortfall(no_connection(idle.error()));
  times.add(idle->connect_took());
  Result<Conversation> partial = Conversation::open(context);
  if (!partial) {
    Problem problem = no_connection(partial.error());
    problem.evidence = with_remark("a second client: " + problem.evidence, times);
    return shortfall(std::move(problem));
  }
  times.add(partial->connect_took());
  const std::string half = "GET / HTTP/1.1 half a line, no newline";
  if (Status sent = partial->send(as_bytes(half), within(context, wait)); !sent) {
    return not_judged("sending half a line failed: " + sent.error().message);
  }
  const std::string text = "third client while two others sit there\n";
  if (auto problem = echo_once(context, as_bytes(text), wait, &times)) {
    problem->evidence =
        "with one idle client and one that sent half a line connected, a third "
        "client was not served: " +
        problem->evidence;
    return shortfall(std::move(*problem));
  }
  // Take back the half line's echo, so closing leaves no unread data (which
  // would reset the connection and provoke EPIPE: that is tcp.robust's job).
  StreamVerifier rest = StreamVerifier::for_bytes({as_bytes(half).begin(), as_bytes(half).end()});
  (void)partial->read_into(rest, within(context, quiet_wait(context)));
  Observation observation = met(times.remark());
  observation.figures = times.figures();
  return observation;
}

// 500 cycles; against a distant server as many as fit in 6 s (at least 20).
Observation churn(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  const int cycles = exchanges_that_fit(context, 500, 2, scaled(context, milliseconds(6000)), 20);
  const PayloadStream payload(context.seed, 0xC0);
  ConnectTimes times;
  const auto start = Clock::now();
  for (int i = 0; i < cycles; ++i) {
    if (Deadline::after(reply_wait(context)).when() > context.deadline.when()) {
      return not_judged(
          "only " + std::to_string(i) + " of " + std::to_string(cycles) +
          " cycles fitted in the case's deadline of " +
          ms_text(std::chrono::duration_cast<milliseconds>(Clock::now() - start) +
                  std::chrono::duration_cast<milliseconds>(context.deadline.remaining())) +
          " (each cycle took about " +
          ms_text(
              std::chrono::duration_cast<milliseconds>((Clock::now() - start) / std::max(i, 1))) +
          ")");
    }
    std::vector<std::byte> message(16);
    payload.fill(static_cast<std::uint64_t>(i) * 16, message);
    if (auto problem = echo_once(context, message, reply_wait(context), &times)) {
      problem->evidence = "cycle " + std::to_string(i + 1) + " of " + std::to_string(cycles) +
                          ": " + problem->evidence;
      // A connection that fails after others worked points to a limit or a
      // leak; nothing echoed at the first cycle is another problem.
      const StreamTrace& trace = problem->streams.back();
      const bool no_connection = trace.end == StreamEnd::kConnectFailed ||
                                 (trace.end == StreamEnd::kReset && trace.received == 0);
      if (no_connection || (trace.received == 0 && i > 0)) {
        add_connection_failure(context, i + 1, *problem);
      }
      return shortfall(std::move(*problem));
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Observation observation =
      met(cycles < 500 ? "the round-trip time to the target (" +
                             std::to_string(context.round_trip.count() / 1000) +
                             " ms) left time for " + std::to_string(cycles) + " of 500 cycles"
                       : times.remark());
  observation.figures = {{"cycles_per_second", seconds > 0 ? cycles / seconds : 0, "1/s"},
                         {"cycles", static_cast<double>(cycles), "count"}};
  for (Figure& figure : times.figures()) observation.figures.push_back(std::move(figure));
  return observation;
}

constexpr const char* kConcurrencyRequirement =
    "Robustness: RFC 862 names no limit on clients; a server SHOULD serve each connection "
    "independently of the others.";

}  // namespace

std::vector<Case> tcp_concurrency_cases() {
  return {
      {{"tcp.concurrency.fifty-clients",
        "50 clients connected at once, each echoing 3 interleaved 100-byte messages",
        kConcurrencyRequirement, "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp,
        milliseconds(15000), Schedule::kHazard, 60},
       fifty_clients},
      {{"tcp.concurrency.idle-does-not-block",
        "An idle client and a client that sent half a line do not keep a third from being served",
        kConcurrencyRequirement, "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp,
        milliseconds(6000), Schedule::kHazard, 10},
       idle_does_not_block},
      {{"tcp.concurrency.churn",
        "500 connect / echo / close cycles, one after another (fewer against a distant server)",
        kConcurrencyRequirement, "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp,
        milliseconds(10000), Schedule::kHazard, 10},
       churn},
  };
}

}  // namespace echo::conformance
