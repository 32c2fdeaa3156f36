// Rules for what is wrong with the echoed bytes: C-string handling, line
// buffering, line-end translation, 7-bit handling, greetings, added bytes,
// bytes dropped by short writes.
#include <algorithm>
#include <functional>

#include "conformance/findings/internal/diagnosis.h"

namespace echo::conformance::internal {
namespace {

using TraceTest = std::function<bool(const StreamTrace&)>;

// The first byte that did not come back intact: the mismatch, else where a
// short echo stopped; false when the echo was whole.
bool first_missing(const StreamTrace& t, std::uint64_t& offset) {
  if (t.mismatch) {
    offset = *t.mismatch;
    return true;
  }
  if (t.received >= t.expected || t.end == StreamEnd::kConnectFailed) return false;
  offset = t.received;
  return true;
}

bool stops_at_nul(const StreamTrace& t) {
  std::uint64_t at = 0;
  std::byte b{};
  if (t.inserted > 0 || greeting_length(t) > 0) return false;  // something was added there
  return first_missing(t, at) && expected_byte_at(t, at, b) && b == std::byte{0};
}

// Stalled with everything through the last newline sent back, and nothing after it.
bool stops_after_last_line(const StreamTrace& t) {
  return !t.mismatch && !t.client_shut_down && t.received < t.sent &&
         (t.end == StreamEnd::kStalled || t.end == StreamEnd::kDeadline) &&
         t.received == t.through_last_newline;
}

bool symptom_is(const StreamTrace& t, std::string_view kind) {
  return stream_symptom(t).kind == kind;
}

struct Matches {
  std::vector<const CaseResult*> cases;
  const CaseResult* example = nullptr;  // the preferred case to quote
  const StreamTrace* trace = nullptr;   // and its trace
};

// Open TCP results with a trace that passes `test`; the example is the first
// of `preferred` among them, else the first.
Matches matching(const Diagnosis& d, const TraceTest& test,
                 std::initializer_list<std::string_view> preferred = {}) {
  Matches m;
  for (const CaseResult* result : d.open(Transport::kTcp)) {
    for (const StreamTrace& t : streams(*result)) {
      if (!test(t)) continue;
      m.cases.push_back(result);
      const bool better = m.example == nullptr || std::find(preferred.begin(), preferred.end(),
                                                            result->info.id) != preferred.end();
      const bool already_preferred =
          m.example != nullptr &&
          std::find(preferred.begin(), preferred.end(), m.example->info.id) != preferred.end();
      if (better && !already_preferred) {
        m.example = result;
        m.trace = &t;
      }
      break;
    }
  }
  return m;
}

std::string likely_cause(std::string_view kind_id) {
  const FindingKind* kind = find_kind(kind_id);
  return kind == nullptr ? "" : " Likely cause: " + std::string(kind->cause);
}

void add_matches(Diagnosis& d, std::string_view kind, std::string title, const Matches& m,
                 const std::string& more = "") {
  if (m.example == nullptr) return;
  const std::string detail = stream_symptom(*m.trace).detail;
  d.add(kind, std::move(title),
        where(*m.example, *m.trace) + ": " +
            (detail.empty() ? m.example->observation.evidence : detail) + "." + more +
            likely_cause(kind),
        m.cases);
}

// Echoes without the trigger work: the pattern is the cause, not a coincidence.
bool plain_text_echo_works(const Diagnosis& d) {
  return d.passed("tcp.echo.text") || d.passed("tcp.echo.two-messages");
}

void nul_cut(Diagnosis& d) {
  if (!plain_text_echo_works(d)) return;
  const Matches m = matching(d, stops_at_nul, {"tcp.echo.nul", "tcp.echo.binary"});
  add_matches(d, "nul-cut", "data is cut at the first NUL byte", m,
              " Echoes without a NUL byte came back whole.");
}

// Shown by an echo that stopped right after a newline with bytes after it
// missing; then messages with no newline at all that got nothing back are
// the same defect.
void line_buffered(Diagnosis& d) {
  if (!d.passed("tcp.echo.text")) return;
  const Matches shown =
      matching(d, [](const StreamTrace& t) { return t.received > 0 && stops_after_last_line(t); },
               {"tcp.echo.binary", "tcp.echo.nul"});
  if (shown.example == nullptr) return;
  Matches m = shown;
  m.cases = matching(d, stops_after_last_line).cases;
  add_matches(d, "line-buffered", "only whole lines are echoed", m,
              " A message ending in a newline (tcp.echo.text) came back whole.");
}

// A server that turns CR LF into LF holds back a CR at the end of what it
// has read, to see whether an LF follows: an echo can stop right there.
bool stops_at_cr(const StreamTrace& t) {
  std::byte next{};
  return !t.mismatch && t.received < t.expected && t.end == StreamEnd::kStalled &&
         expected_byte_at(t, t.received, next) && next == std::byte{'\r'};
}

void crlf_to_newline(Diagnosis& d) {
  const Matches shown =
      matching(d, [](const StreamTrace& t) { return symptom_is(t, "crlf-to-newline"); },
               {"tcp.echo.nothing-else"});
  if (shown.example == nullptr) return;
  Matches m = shown;
  m.cases = matching(d, [](const StreamTrace& t) {
              return symptom_is(t, "crlf-to-newline") || stops_at_cr(t);
            }).cases;
  add_matches(d, "crlf-to-newline", "CR LF comes back as a bare newline", m,
              " Echoes that end in a lone CR stall there: the server holds it back to see "
              "whether an LF follows.");
}

// A greeting shown by one echo explains every new connection whose first
// bytes were that greeting, even when the echo behind it was not read.
void greeting(Diagnosis& d) {
  const Matches m =
      matching(d, [](const StreamTrace& t) { return greeting_length(t) > 0; }, {"tcp.echo.text"});
  if (m.example == nullptr) return;
  const Bytes banner(
      m.trace->received_head.begin(),
      m.trace->received_head.begin() + static_cast<std::ptrdiff_t>(greeting_length(*m.trace)));
  Matches all = m;
  all.cases =
      matching(d, [&banner](const StreamTrace& t) {
        if (t.mismatch != 0u || t.connection_offset != 0) return false;
        const std::size_t n = std::min(banner.size(), t.received_head.size());
        return n > 0 && std::equal(banner.begin(), banner.begin() + static_cast<std::ptrdiff_t>(n),
                                   t.received_head.begin());
      }).cases;
  add_matches(d, "greeting", "the server sends a greeting before the echo", all);
}

void by_symptom(Diagnosis& d, std::string_view kind, std::string title,
                std::initializer_list<std::string_view> preferred) {
  const Matches m = matching(
      d, [kind](const StreamTrace& t) { return symptom_is(t, kind); }, preferred);
  add_matches(d, kind, std::move(title), m);
}

}  // namespace

void content_rules(Diagnosis& d) {
  greeting(d);
  by_symptom(d, "newline-to-crlf", "newlines come back as CR LF", {"tcp.echo.nothing-else"});
  crlf_to_newline(d);
  by_symptom(d, "high-bit-changed", "bytes above 127 are changed", {"tcp.echo.binary"});
  nul_cut(d);
  line_buffered(d);
  by_symptom(d, "extra-bytes", "the server adds bytes to the echo", {"tcp.echo.nothing-else"});
  by_symptom(d, "short-write-lost", "bytes go missing mid-stream: short writes are not retried",
             {"tcp.flow.backpressure", "tcp.segment.large-write"});
}

}  // namespace echo::conformance::internal
