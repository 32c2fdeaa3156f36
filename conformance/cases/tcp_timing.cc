// tcp.timing.*: the echo comes back while the connection is open, and how fast.
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/stats.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"
#include "core/net/socket.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// After a timed-out echo: whether it arrives once the client shuts down its side.
bool arrives_after_shutdown(const CaseContext& context, Conversation& c, StreamVerifier& v) {
  if (!c.shutdown_write()) return false;
  return c.read_into(v, within(context, reply_wait(context))).why == ReadStop::Why::kReached;
}

Observation echo_before_close(const CaseContext& context) {
  const std::string text = "echo me while I am still connected";
  const auto wait = reply_wait(context);
  Result<Conversation> c = Conversation::open(context, within(context, wait));
  if (!c) return shortfall(no_connection(c.error(), text.size()));
  StreamVerifier v = StreamVerifier::for_bytes({as_bytes(text).begin(), as_bytes(text).end()});
  if (Status sent = c->send(as_bytes(text), within(context, wait)); !sent) {
    return shortfall(
        Problem{"sending failed: " + sent.error().message, "the text sent", sent.error().message});
  }
  const ReadStop stop = c->read_into(v, within(context, wait));
  auto problem = echo_problem(stop, v, "the echo (the connection open, nothing shut down)");
  if (!problem) return met();
  if (stop.why == ReadStop::Why::kTimeout && v.ok() && arrives_after_shutdown(context, *c, v)) {
    problem->evidence +=
        "; once the client shut down its sending side the echo arrived: the server waits for "
        "end of input instead of echoing as data arrives";
    problem->streams.back().arrived_after_shutdown = true;
  }
  return shortfall(std::move(*problem));
}

Observation small_echo_latency(const CaseContext& context) {
  // 200 round trips, fewer against a distant server (at least 20).
  const int kRoundTrips =
      exchanges_that_fit(context, 200, 1, scaled(context, milliseconds(3000)), 20);
  constexpr std::size_t kSize = 32;
  Result<Conversation> c = Conversation::open(context, within(context, reply_wait(context)));
  if (!c) return not_judged("not measured: " + c.error().message);
  (void)set_tcp_nodelay(c->fd(), true);
  const PayloadStream payload(context.seed, 0x1A7E);
  std::vector<double> rtt_us;
  std::string evidence;
  std::vector<StreamTrace> failed;  // the round trip that failed, for the findings
  // Stops early, keeping the figures so far, when a round trip fails or the
  // case's deadline is near (a slow server still gets its latency measured).
  for (int i = 0; i < kRoundTrips && evidence.empty(); ++i) {
    std::vector<std::byte> message(kSize);
    payload.fill(static_cast<std::uint64_t>(i) * kSize, message);
    const auto start = Clock::now();
    if (auto problem = echo_on(*c, message, within(context, reply_wait(context)))) {
      evidence = "round trip " + std::to_string(i + 1) + " failed: " + problem->evidence;
      failed = std::move(problem->streams);
      break;
    }
    rtt_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (Deadline::after(reply_wait(context)).when() > context.deadline.when()) {
      evidence = "stopped after " + std::to_string(i + 1) + " round trips at the case's deadline";
    }
  }
  if (rtt_us.empty()) {
    Observation observation = not_judged("not measured: " + evidence);
    observation.streams = std::move(failed);
    return observation;
  }
  return measured({{"rtt_p50", percentile(rtt_us, 50), "us"},
                   {"rtt_p99", percentile(rtt_us, 99), "us"},
                   {"rtt_max", percentile(rtt_us, 100), "us"},
                   {"round_trips", static_cast<double>(rtt_us.size()), "count"}},
                  evidence);
}

}  // namespace

std::vector<Case> tcp_timing_cases() {
  return {
      {{"tcp.timing.before-close",
        "Data comes back while the connection is open, before the client closes or shuts down",
        kRfc862Tcp, "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(4000),
        Schedule::kShared, 4},
       echo_before_close},
      {{"tcp.timing.latency",
        "Round-trip time of a 32-byte echo over 200 round trips on one connection (TCP_NODELAY; "
        "fewer against a distant server)",
        kMeasurement, "measurement, beyond RFC 862", Level::kInformational, Transport::kTcp,
        milliseconds(6000), Schedule::kAlone, 10},
       small_echo_latency},
  };
}

}  // namespace echo::conformance
