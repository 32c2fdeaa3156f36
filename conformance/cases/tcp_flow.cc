// tcp.flow.*: a client that does not read its echo (back-pressure).
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/pump.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

constexpr std::uint64_t kTotal = 8ull << 20;

// The client writes up to 8 MiB without reading: it stops when it has written
// everything or when its writes have been blocked for a while (a server with
// bounded buffers stops reading, rightly). Then it reads everything back.
// `meanwhile` runs once at that point, while the first client's echo is pending.
std::optional<Problem> write_before_read(const CaseContext& context,
                                         const std::function<void()>& meanwhile,
                                         PumpResult* out = nullptr) {
  Result<Conversation> c = Conversation::open(context, within(context, reply_wait(context)));
  if (!c) return no_connection(c.error(), kTotal);
  const PayloadStream payload(context.seed, 0xF1);
  StreamVerifier verifier = StreamVerifier::for_payload(payload, kTotal);
  PumpOptions options;
  options.total = kTotal;
  options.max_write = 256 * 1024;
  options.stall = stall_wait(context);
  options.drain = drain_wait(context);
  options.judge_rate_after = scaled(context, milliseconds(2000), 2);
  options.deadline = before_end(context, options.drain);
  options.write_first = true;
  options.blocked_for = scaled(context, milliseconds(300));
  options.on_writes_blocked = meanwhile;
  PumpResult result = pump(*c, payload, verifier, options);
  if (out) *out = result;
  auto problem = pump_problem(result, verifier, options);
  if (problem) {
    problem->evidence += "; the client had written " +
                         bytes_text(result.written_before_first_read) + " before reading";
  }
  return problem;
}

Observation backpressure(const CaseContext& context) {
  PumpResult result;
  auto problem = write_before_read(context, nullptr, &result);
  if (problem) return shortfall(std::move(*problem));
  Observation observation = met();
  observation.figures = {
      {"written_before_reading", static_cast<double>(result.written_before_first_read), "bytes"}};
  return observation;
}

Observation stalled_client_isolation(const CaseContext& context) {
  if (auto observation = unless_lone_echo_works(context)) return *observation;
  std::optional<Problem> second;
  bool ran = false;
  const std::string text = "second client, while the first one is not reading";
  auto first = write_before_read(context, [&] {
    ran = true;
    second = echo_once(context, as_bytes(text), reply_wait(context));
  });
  if (!ran) {
    return not_judged("the stalled first client could not be set up: " +
                      (first ? first->evidence : std::string("?")));
  }
  if (second) {
    second->evidence =
        "while the first client had its echo pending and was not reading, a "
        "second client was not served: " +
        second->evidence;
    return shortfall(std::move(*second));
  }
  if (first) {
    first->evidence =
        "the second client was served, but the first client's stream failed: " + first->evidence;
    return shortfall(std::move(*first));
  }
  return met();
}

}  // namespace

std::vector<Case> tcp_flow_cases() {
  return {
      {{"tcp.flow.backpressure",
        "A client that writes 8 MiB before reading (as far as the server lets it) gets every "
        "byte back: nothing lost, no permanent stall",
        kRfc862Tcp, "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(10000),
        Schedule::kAlone, 6},
       backpressure},
      {{"tcp.flow.stalled-client-isolation",
        "While one client writes without reading its echo, a second client is still served",
        "Robustness: a server SHOULD NOT let one client's back-pressure block the others.",
        "robustness, beyond RFC 862", Level::kRecommended, Transport::kTcp, milliseconds(10000),
        Schedule::kHazard, 8},
       stalled_client_isolation},
  };
}

}  // namespace echo::conformance
