// tcp.echo.*: what comes back is exactly what was sent.
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/verdicts.h"
#include "conformance/oracle/hex.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

Outcome echo_text(const CaseContext& context) {
  const std::string text = "Hello, echo server! RFC 862 says: send it back.\n";
  auto problem = echo_once(context, as_bytes(text), reply_wait(context));
  return problem ? shortfall(Level::kRequired, *problem) : pass();
}

std::vector<std::byte> every_byte_value_up_and_down() {
  std::vector<std::byte> bytes;
  for (int v = 0; v < 256; ++v) bytes.push_back(static_cast<std::byte>(v));
  for (int v = 255; v >= 0; --v) bytes.push_back(static_cast<std::byte>(v));
  return bytes;
}

Outcome echo_binary(const CaseContext& context) {
  auto problem = echo_once(context, every_byte_value_up_and_down(), reply_wait(context));
  return problem ? shortfall(Level::kRequired, *problem) : pass();
}

// Sends text with bare LF, CRLF and a lone CR, then keeps reading after the
// echo: a greeting, an added newline or a line-ending translation all show.
Outcome echo_nothing_else(const CaseContext& context) {
  const std::string text = "line one\nline two\r\nlone CR\rno newline at the end";
  const Deadline deadline = within(context, reply_wait(context));
  Result<Conversation> c = Conversation::open(context, deadline);
  if (!c) return fail(c.error().message, "a TCP connection", "no connection");
  StreamVerifier verifier = StreamVerifier::for_bytes(
      std::vector<std::byte>(as_bytes(text).begin(), as_bytes(text).end()));
  if (Status sent = c->send(as_bytes(text), deadline); !sent) {
    return fail("sending failed: " + sent.error().message, "the text sent", sent.error().message);
  }
  if (auto problem = echo_problem(c->read_into(verifier, deadline), verifier)) {
    return shortfall(Level::kRequired, *problem);
  }
  const ReadStop after = c->read_to_end(verifier, within(context, quiet_wait(context)));
  if (verifier.extra() > 0 || !verifier.ok()) {
    return fail("after the exact echo the server sent more: " + verifier.describe(),
                "the " + bytes_text(text.size()) + " sent and nothing more",
                bytes_text(verifier.extra()) + " extra");
  }
  (void)after;  // FIN or silence after the echo are both fine here
  return pass();
}

}  // namespace

std::vector<Case> tcp_content_cases() {
  return {
      {{"tcp.echo.text", "A short line of text comes back unchanged", kRfc862Tcp, "RFC 862",
        Level::kRequired, Transport::kTcp, milliseconds(3000)},
       echo_text},
      {{"tcp.echo.binary", "All 256 byte values, NUL and high bytes included, come back unchanged",
        kRfc862Tcp, "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(3000)},
       echo_binary},
      {{"tcp.echo.nothing-else",
        "Nothing but the echo: no greeting, no added newline, no CR/LF translation", kRfc862Tcp,
        "RFC 862", Level::kRequired, Transport::kTcp, milliseconds(3000)},
       echo_nothing_else},
  };
}

}  // namespace echo::conformance
