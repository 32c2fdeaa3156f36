// tcp.concurrency.*: many clients at once, idle clients, connection churn.
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/verdicts.h"
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

// Connects each client one after the other, each within connect_wait().
Result<std::vector<Conversation>> connect_all(const CaseContext& context, ConnectTimes& times) {
  std::vector<Conversation> clients;
  for (int i = 0; i < kClients; ++i) {
    Result<Conversation> c = Conversation::open(context);
    if (!c) {
      return Error{"connection " + std::to_string(i + 1) + " of " + std::to_string(kClients) +
                   " failed: " + c.error().message};
    }
    times.add(c->connect_took());
    clients.push_back(std::move(*c));
  }
  return clients;
}

// All 50 connect first; then each round every client sends, and only then
// does any client read: the server must hold 50 conversations at once.
Outcome fifty_clients(const CaseContext& context) {
  if (auto outcome = unless_lone_echo_works(context, Level::kRecommended)) return *outcome;
  ConnectTimes times;
  Result<std::vector<Conversation>> connected = connect_all(context, times);
  if (!connected) {
    return warn(with_remark(connected.error().message, times),
                std::to_string(kClients) + " connections at once",
                std::to_string(times.count()) + " connected");
  }
  std::vector<Conversation>& clients = *connected;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<StreamVerifier> verifiers;
    const Deadline deadline = within(context, reply_wait(context));
    for (int i = 0; i < kClients; ++i) {
      const PayloadStream payload(context.seed, 0x50'0000 + static_cast<std::uint64_t>(i));
      std::vector<std::byte> message(kMessage);
      payload.fill(static_cast<std::uint64_t>(round) * kMessage, message);
      verifiers.push_back(StreamVerifier::for_bytes(message));
      if (Status sent = clients[i].send(message, deadline); !sent) {
        return warn(with_remark(who(i, round) + "sending failed: " + sent.error().message, times),
                    "every client served", sent.error().message);
      }
    }
    for (int i = 0; i < kClients; ++i) {
      if (auto problem = echo_problem(clients[i].read_into(verifiers[i], deadline), verifiers[i])) {
        problem->evidence = with_remark(who(i, round) + problem->evidence, times);
        return shortfall(Level::kRecommended, *problem);
      }
    }
  }
  Outcome outcome = pass(times.remark());
  outcome.figures = times.figures();
  return outcome;
}

// One client connected and silent, one that sent half a line; a third is served.
Outcome idle_does_not_block(const CaseContext& context) {
  if (auto outcome = unless_lone_echo_works(context, Level::kRecommended)) return *outcome;
  const auto wait = reply_wait(context);
  ConnectTimes times;
  Result<Conversation> idle = Conversation::open(context);
  if (!idle) return warn(idle.error().message, "an idle client connected", "no connection");
  times.add(idle->connect_took());
  Result<Conversation> partial = Conversation::open(context);
  if (!partial) {
    return warn(with_remark(partial.error().message, times), "a second client connected",
                "no connection");
  }
  times.add(partial->connect_took());
  const std::string half = "GET / HTTP/1.1 half a line, no newline";
  if (Status sent = partial->send(as_bytes(half), within(context, wait)); !sent) {
    return warn("sending half a line failed: " + sent.error().message, "sent", "not sent");
  }
  const std::string text = "third client while two others sit there\n";
  if (auto problem = echo_once(context, as_bytes(text), wait, &times)) {
    problem->evidence =
        "with one idle client and one that sent half a line connected, a third "
        "client was not served: " +
        problem->evidence;
    return shortfall(Level::kRecommended, *problem);
  }
  // Take back the half line's echo, so closing leaves no unread data (which
  // would reset the connection and provoke EPIPE: that is tcp.robust's job).
  StreamVerifier rest = StreamVerifier::for_bytes({as_bytes(half).begin(), as_bytes(half).end()});
  (void)partial->read_into(rest, within(context, quiet_wait(context)));
  Outcome outcome = pass(times.remark());
  outcome.figures = times.figures();
  return outcome;
}

Outcome churn(const CaseContext& context) {
  if (auto outcome = unless_lone_echo_works(context, Level::kRecommended)) return *outcome;
  constexpr int kCycles = 500;
  const PayloadStream payload(context.seed, 0xC0);
  ConnectTimes times;
  const auto start = Clock::now();
  for (int i = 0; i < kCycles; ++i) {
    if (Deadline::after(reply_wait(context)).when() > context.deadline.when()) {
      return warn(
          "only " + std::to_string(i) + " of " + std::to_string(kCycles) +
              " cycles fitted in the case's deadline of " +
              ms_text(std::chrono::duration_cast<milliseconds>(Clock::now() - start) +
                      std::chrono::duration_cast<milliseconds>(context.deadline.remaining())),
          std::to_string(kCycles) + " cycles", std::to_string(i) + " cycles");
    }
    std::vector<std::byte> message(16);
    payload.fill(static_cast<std::uint64_t>(i) * 16, message);
    if (auto problem = echo_once(context, message, reply_wait(context), &times)) {
      problem->evidence = "cycle " + std::to_string(i + 1) + " of " + std::to_string(kCycles) +
                          ": " + problem->evidence;
      return shortfall(Level::kRecommended, *problem);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Outcome outcome = pass(times.remark());
  outcome.figures = {{"cycles_per_second", seconds > 0 ? kCycles / seconds : 0, "1/s"},
                     {"cycles", kCycles, "count"}};
  for (Figure& figure : times.figures()) outcome.figures.push_back(std::move(figure));
  return outcome;
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
        milliseconds(15000), /*exclusive=*/true},
       fifty_clients},
      {{"tcp.concurrency.idle-does-not-block",
        "An idle client and a client that sent half a line do not keep a third from being served",
        kConcurrencyRequirement, "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp,
        milliseconds(6000)},
       idle_does_not_block},
      {{"tcp.concurrency.churn", "500 connect / echo / close cycles, one after another",
        kConcurrencyRequirement, "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp,
        milliseconds(10000), /*exclusive=*/true},
       churn},
  };
}

}  // namespace echo::conformance
