// tcp.echo.*: what comes back is exactly what was sent.
#include <string>
#include <vector>

#include "conformance/cases/catalogue.h"
#include "conformance/cases/support/conversation.h"
#include "conformance/cases/support/waits.h"
#include "conformance/oracle/hex.h"
#include "conformance/oracle/stream_trace.h"

namespace echo::conformance {
namespace {

using std::chrono::milliseconds;

Observation echoed(const CaseContext& context, std::span<const std::byte> message) {
  auto problem = echo_once(context, message, reply_wait(context));
  return problem ? shortfall(std::move(*problem)) : met();
}

Observation echo_text(const CaseContext& context) {
  return echoed(context, as_bytes("Hello, echo server! RFC 862 says: send it back.\n"));
}

std::vector<std::byte> every_byte_value_up_and_down() {
  std::vector<std::byte> bytes;
  bytes.reserve(512);
  for (int v = 0; v < 256; ++v) bytes.push_back(static_cast<std::byte>(v));
  for (int v = 255; v >= 0; --v) bytes.push_back(static_cast<std::byte>(v));
  return bytes;
}

Observation echo_binary(const CaseContext& context) {
  return echoed(context, every_byte_value_up_and_down());
}

// Text with a NUL in the middle and a newline at the end: a server that treats
// the data as a C string returns the part before the NUL.
Observation echo_nul(const CaseContext& context) {
  static const std::string text("text before a NUL\0and text after it\n", 36);
  return echoed(context, as_bytes(text));
}

// A second message on the same connection, after the first one's echo: a
// server that reads once per connection returns only the first.
Observation echo_two_messages(const CaseContext& context) {
  const std::string first = "first message\n";
  const std::string second = "second message, same connection\n";
  const Deadline deadline = within(context, reply_wait(context));
  Result<Conversation> c = Conversation::open(context, deadline);
  if (!c) return shortfall(no_connection(c.error(), first.size() + second.size()));
  if (auto problem = echo_on(*c, as_bytes(first), deadline)) return shortfall(std::move(*problem));
  auto problem = echo_on(*c, as_bytes(second), within(context, reply_wait(context)));
  if (!problem) return met();
  problem->evidence = "the first message came back, the second did not: " + problem->evidence;
  // Seen from the connection, the echo stopped after the first write.
  std::vector<std::byte> both(as_bytes(first).begin(), as_bytes(first).end());
  both.insert(both.end(), as_bytes(second).begin(), as_bytes(second).end());
  StreamVerifier whole = StreamVerifier::for_bytes(std::move(both));
  whole.feed(as_bytes(first));
  StreamTrace trace = trace_stream(whole, problem->streams.back().end, first.size() + second.size(),
                                   "both messages");
  trace.first_write = first.size();
  if (problem->streams.back().received == 0) problem->streams.back() = std::move(trace);
  return shortfall(std::move(*problem));
}

// Sends text with bare LF, CRLF and a lone CR, then keeps reading after the
// echo: a greeting, an added newline or a line-ending translation all show.
Observation echo_nothing_else(const CaseContext& context) {
  const std::string text = "line one\nline two\r\nlone CR\rno newline at the end";
  const Deadline deadline = within(context, reply_wait(context));
  Result<Conversation> c = Conversation::open(context, deadline);
  if (!c) return shortfall(no_connection(c.error(), text.size()));
  StreamVerifier verifier = StreamVerifier::for_bytes(
      std::vector<std::byte>(as_bytes(text).begin(), as_bytes(text).end()));
  if (Status sent = c->send(as_bytes(text), deadline); !sent) {
    return shortfall(
        Problem{"sending failed: " + sent.error().message, "the text sent", sent.error().message});
  }
  if (auto problem = echo_problem(c->read_into(verifier, deadline), verifier)) {
    return shortfall(std::move(*problem));
  }
  (void)c->read_to_end(verifier, within(context, quiet_wait(context)));
  if (verifier.extra() == 0 && verifier.ok()) return met();
  Problem problem{"after the exact echo the server sent more: " + verifier.describe(),
                  "the " + bytes_text(text.size()) + " sent and nothing more",
                  bytes_text(verifier.extra()) + " extra"};
  StreamTrace trace = trace_stream(verifier, StreamEnd::kComplete, text.size(), "the echo");
  trace.after = AfterEcho::kMore;
  problem.streams.push_back(std::move(trace));
  return shortfall(std::move(problem));
}

CaseInfo content_case(std::string id, std::string title) {
  return {std::move(id),   std::move(title),   kRfc862Tcp,        "RFC 862", Level::kRequired,
          Transport::kTcp, milliseconds(3000), Schedule::kShared, 4};
}

}  // namespace

std::vector<Case> tcp_content_cases() {
  return {
      {content_case("tcp.echo.text", "A short line of text comes back unchanged"), echo_text},
      {content_case("tcp.echo.binary",
                    "All 256 byte values, NUL and high bytes included, come back unchanged"),
       echo_binary},
      {content_case("tcp.echo.nul", "Text with a NUL byte in the middle comes back whole"),
       echo_nul},
      {content_case("tcp.echo.two-messages",
                    "A second message on the same connection, sent after the first one's "
                    "echo, comes back too"),
       echo_two_messages},
      {content_case("tcp.echo.nothing-else",
                    "Nothing but the echo: no greeting, no added newline, no CR/LF translation"),
       echo_nothing_else},
  };
}

}  // namespace echo::conformance
