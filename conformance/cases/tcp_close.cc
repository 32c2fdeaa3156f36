// tcp.close.*: half-close (SHUT_WR) and how the server ends the connection.
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/pump.h"
#include "conformance/cases/support/verdicts.h"
#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

// 256 KiB, then SHUT_WR right after the last byte: all of it must still come back.
Outcome echo_after_shutdown(const CaseContext& context) {
  constexpr std::uint64_t kTotal = 256 * 1024;
  Result<Conversation> c = Conversation::open(context, within(context, reply_wait(context)));
  if (!c) return fail(c.error().message, "a TCP connection", "no connection");
  const PayloadStream payload(context.seed, 0xC1);
  StreamVerifier verifier = StreamVerifier::for_payload(payload, kTotal);
  PumpOptions options;
  options.total = kTotal;
  options.stall = stall_wait(context);
  options.deadline = context.deadline;
  options.shutdown_after_last_write = true;
  auto problem = pump_problem(pump(*c, payload, verifier, options), verifier);
  if (!problem) return pass();
  problem->evidence = "after the client shut down its sending side (SHUT_WR): " + problem->evidence;
  return shortfall(Level::kRequired, *problem);
}

// A short message, SHUT_WR, the echo, then: FIN (pass), RST or nothing (warn).
Outcome closes_after_eof(const CaseContext& context) {
  const std::string text = "goodbye after this line\n";
  const auto wait = reply_wait(context);
  Result<Conversation> c = Conversation::open(context, within(context, wait));
  if (!c) return warn(c.error().message, "a TCP connection", "no connection");
  StreamVerifier verifier =
      StreamVerifier::for_bytes({as_bytes(text).begin(), as_bytes(text).end()});
  if (Status sent = c->send(as_bytes(text), within(context, wait)); !sent) {
    return warn("sending failed: " + sent.error().message, "the text sent", sent.error().message);
  }
  if (Status shut = c->shutdown_write(); !shut) {
    return warn(shut.error().message, "shutdown(SHUT_WR)", shut.error().message);
  }
  const ReadStop echo = c->read_into(verifier, within(context, wait));
  if (auto problem = echo_problem(echo, verifier, "the echo after SHUT_WR")) {
    if (echo.why == ReadStop::Why::kReset) return shortfall(Level::kRequired, *problem);
    return shortfall(Level::kRecommended, *problem);
  }
  const ReadStop end = c->read_to_end(verifier, within(context, wait));
  const std::string expected = "the echo, then FIN";
  switch (end.why) {
    case ReadStop::Why::kFin:
      return pass("the server closed with FIN after the echo");
    case ReadStop::Why::kReset:
      return warn("the server ended the connection with RST (" + end.detail +
                      ") after the whole echo, not with FIN",
                  expected, "the echo, then RST");
    case ReadStop::Why::kTimeout:
      return warn("the server never closed: no FIN or RST within " + ms_text(end.waited) +
                      " after the echo, though the client had shut down its sending side",
                  expected, "the echo, then nothing");
    case ReadStop::Why::kWrong:
      return fail("after the echo the server sent more: " + verifier.describe(), expected,
                  bytes_text(verifier.extra()) + " extra");
    default:
      return warn("after the echo: " + end.detail, expected, to_string(end.why));
  }
}

}  // namespace

std::vector<Case> tcp_close_cases() {
  return {
      {{"tcp.close.echo-after-shutdown",
        "After the client shuts down its sending side (SHUT_WR), every byte still comes back",
        kRfc9293HalfClose, "RFC 862; RFC 9293 §3.6", Level::kRequired, Transport::kTcp,
        milliseconds(5000)},
       echo_after_shutdown},
      {{"tcp.close.server-closes-after-eof",
        "Once the client has shut down and its echo is sent, the server closes with FIN",
        "RFC 862: \"This continues until the calling user terminates the connection.\" RFC 9293 "
        "§3.6, paraphrased: once the client has closed for sending and its echo is delivered, the "
        "server has nothing more to send and closes too (FIN); RST is an abortive close.",
        "RFC 862; RFC 9293 §3.6", Level::kRecommended, Transport::kTcp, milliseconds(4000)},
       closes_after_eof},
  };
}

}  // namespace echo::conformance
