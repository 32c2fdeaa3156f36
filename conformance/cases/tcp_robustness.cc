// tcp.robust.*: clients that misbehave must not take the server down with them.
#include <poll.h>

#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"
#include "core/net/io.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

// Writes up to `limit` bytes without reading, until writes block for `blocked_for`.
std::uint64_t fill_without_reading(const CaseContext& context, Conversation& c, std::uint64_t limit,
                                   milliseconds blocked_for) {
  const PayloadStream payload(context.seed, 0xDEAD);
  std::vector<std::byte> chunk(64 * 1024);
  std::uint64_t sent = 0;
  while (sent < limit && !context.deadline.expired()) {
    if (!wait_ready(c.fd(), POLLOUT, within(context, blocked_for))) break;
    payload.fill(sent, chunk);
    const Transfer t = send_some(c.fd(), chunk);
    if (t.kind == Transfer::Kind::kError) break;
    sent += t.bytes;
  }
  return sent;
}

// Whether a new client is served; the problem (prefixed with `after`) if not.
std::optional<Problem> served_check(const CaseContext& context, const std::string& after,
                                    ConnectTimes* times = nullptr) {
  const std::string text = "are you still there?\n";
  auto problem = echo_once(context, as_bytes(text), reply_wait(context), times);
  if (!problem) return std::nullopt;
  problem->evidence = after +
                      ", a new client was not served (the server may have died, e.g. of SIGPIPE, "
                      "or hung): " +
                      problem->evidence;
  problem->expected = "new clients served";
  return problem;
}

// Five clients each leave a large echo pending and then reset (SO_LINGER 0),
// so the server's next write fails with EPIPE/ECONNRESET. After each one a new
// client must be served.
Observation reset_before_read(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  constexpr int kResets = 5;
  for (int i = 0; i < kResets; ++i) {
    Result<Conversation> c = Conversation::open(context);
    if (!c) return shortfall(no_connection(c.error()));
    const std::uint64_t pending =
        fill_without_reading(context, *c, 4ull << 20, scaled(context, milliseconds(100)));
    c->reset();
    const std::string after = "after client " + std::to_string(i + 1) + " of " +
                              std::to_string(kResets) + " reset with " + bytes_text(pending) +
                              " of echo pending";
    if (auto problem = served_check(context, after)) return shortfall(std::move(*problem));
  }
  return met();
}

// Ten idle clients and ten that sent data, shut down writing and never read.
Observation idle_and_half_open(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  constexpr int kEach = 10;
  std::vector<Conversation> parked;
  ConnectTimes times;
  const auto wait = reply_wait(context);
  const std::string data(4096, 'h');
  for (int i = 0; i < 2 * kEach; ++i) {
    Result<Conversation> c = Conversation::open(context);
    if (!c) {
      Problem problem = no_connection(c.error());
      const std::string remark = times.remark();
      problem.evidence = "parked connection " + std::to_string(i + 1) +
                         " failed: " + problem.evidence + (remark.empty() ? "" : "; " + remark);
      problem.expected = "20 connections";
      problem.actual = std::to_string(i) + " connections";
      problem.figures.push_back({"failed_at_connection", static_cast<double>(i + 1), "count"});
      return shortfall(std::move(problem));
    }
    times.add(c->connect_took());
    if (i >= kEach) {
      (void)c->send(as_bytes(data), within(context, wait));
      (void)c->shutdown_write();
    }
    parked.push_back(std::move(*c));
  }
  auto problem =
      served_check(context,
                   "with " + std::to_string(kEach) + " idle connections and " +
                       std::to_string(kEach) + " half-closed ones that never read left open",
                   &times);
  const std::string remark = times.remark();
  if (!problem) {
    Observation observation = met(remark);
    observation.figures = times.figures();
    return observation;
  }
  if (!remark.empty()) problem->evidence += "; " + remark;
  return shortfall(std::move(*problem));
}

}  // namespace

std::vector<Case> tcp_robustness_cases() {
  return {
      {{"tcp.robust.reset-before-read",
        "Clients that reset (SO_LINGER 0) with a large echo pending do not stop the server",
        "Robustness: a peer's reset (RFC 9293 §3.5.2) ends that connection only; the server "
        "must survive EPIPE/ECONNRESET (no SIGPIPE death) and keep serving.",
        "robustness, beyond RFC 862; RFC 9293 §3.5.2", Level::kRecommended, Transport::kTcp,
        milliseconds(8000), Schedule::kHazard, 20},
       reset_before_read},
      {{"tcp.robust.idle-and-half-open",
        "20 idle and half-closed connections left open do not keep a new client from being served",
        "Robustness: connections that go quiet SHOULD NOT exhaust the server.",
        "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp, milliseconds(10000),
        Schedule::kHazard, 30},
       idle_and_half_open},
  };
}

}  // namespace echo::conformance
