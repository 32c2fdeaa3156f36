#include "conformance/findings/diagnose.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "conformance/oracle/hex.h"
#include "conformance/oracle/payload.h"
#include "conformance/oracle/stream_trace.h"

namespace echo::conformance {
namespace {

Bytes bytes_of(const std::string& text) {
  const auto span = as_bytes(text);
  return {span.begin(), span.end()};
}

StreamTrace trace_of(const Bytes& sent, const Bytes& received, StreamEnd end) {
  StreamVerifier v = StreamVerifier::for_bytes(sent);
  v.feed(received);
  return trace_stream(v, end, sent.size(), "the echo");
}

// A report built case by case, as the runner would leave it before diagnose().
class Report {
 public:
  Report& passed(const std::string& id, Transport transport = Transport::kTcp) {
    return add(id, transport, Level::kRequired, Verdict::kPass, {});
  }
  Report& failed(const std::string& id, std::vector<StreamTrace> streams,
                 Level level = Level::kRequired) {
    Observation o;
    o.kind = Observation::Kind::kShortfall;
    o.evidence = "evidence of " + id;
    o.streams = std::move(streams);
    return add(id, Transport::kTcp, level, grade(level, o.kind), std::move(o));
  }
  Report& failed_udp(const std::string& id, DatagramTrace trace) {
    Observation o;
    o.kind = Observation::Kind::kShortfall;
    o.evidence = "evidence of " + id;
    o.datagrams.push_back(std::move(trace));
    return add(id, Transport::kUdp, Level::kRequired, Verdict::kFail, std::move(o));
  }
  Report& not_run(const std::string& id, const std::string& evidence) {
    Observation o;
    o.kind = Observation::Kind::kNotJudged;
    o.evidence = evidence;
    return add(id, Transport::kTcp, Level::kRecommended, Verdict::kNotJudged, std::move(o));
  }
  TargetReport& target() { return report_; }

  TargetReport diagnosed() {
    diagnose(report_);
    return report_;
  }

 private:
  Report& add(const std::string& id, Transport transport, Level level, Verdict verdict,
              Observation observation) {
    CaseResult r;
    r.info.id = id;
    r.info.transport = transport;
    r.info.level = level;
    r.verdict = verdict;
    r.observation = std::move(observation);
    report_.cases.push_back(std::move(r));
    return *this;
  }
  TargetReport report_;
};

std::set<std::string> ids(const TargetReport& report) {
  std::set<std::string> out;
  for (const Finding& f : report.findings) out.insert(f.id);
  return out;
}

std::string diagnosis(const TargetReport& report, const std::string& id) {
  for (const CaseResult& r : report.cases) {
    if (r.info.id == id) return r.diagnosis;
  }
  return "(no such case)";
}

// 0..255 then 255..0, as tcp.echo.binary sends.
Bytes up_and_down() {
  Bytes b;
  for (int v = 0; v < 256; ++v) b.push_back(static_cast<std::byte>(v));
  for (int v = 255; v >= 0; --v) b.push_back(static_cast<std::byte>(v));
  return b;
}

TEST(Diagnose, ACleanReportHasNoFinding) {
  Report r;
  r.passed("tcp.echo.text").passed("udp.echo.text", Transport::kUdp);
  EXPECT_TRUE(r.diagnosed().findings.empty());
}

TEST(Diagnose, LineBufferingExplainsEveryStallAfterALastNewline) {
  const Bytes binary = up_and_down();
  const Bytes upto(binary.begin(), binary.begin() + 502);  // through the last 0x0a
  const Bytes no_newline = bytes_of("a message without any newline");
  Report r;
  r.passed("tcp.echo.text")
      .failed("tcp.echo.binary", {trace_of(binary, upto, StreamEnd::kStalled)})
      .failed("tcp.concurrency.fifty-clients", {trace_of(no_newline, {}, StreamEnd::kStalled)},
              Level::kRecommended);
  const TargetReport report = r.diagnosed();
  EXPECT_EQ(ids(report), std::set<std::string>{"line-buffered"});
  EXPECT_EQ(diagnosis(report, "tcp.echo.binary"), "line-buffered");
  EXPECT_EQ(diagnosis(report, "tcp.concurrency.fifty-clients"), "line-buffered")
      << "a knock-on, not a concurrency defect";
  EXPECT_EQ(report.findings[0].severity, Finding::Severity::kError);
  EXPECT_NE(report.findings[0].explanation.find("502 of 512"), std::string::npos)
      << report.findings[0].explanation;
}

TEST(Diagnose, NoLineBufferingWithoutAPartialEchoOrWhenNewlinesFailToo) {
  const Bytes no_newline = bytes_of("a message without any newline");
  Report silent;
  silent.passed("tcp.echo.text")
      .failed("tcp.concurrency.fifty-clients", {trace_of(no_newline, {}, StreamEnd::kStalled)},
              Level::kRecommended);
  EXPECT_EQ(ids(silent.diagnosed()).count("line-buffered"), 0u);

  const Bytes binary = up_and_down();
  Report control_failed;  // tcp.echo.text (one whole line) fails too: not line buffering
  control_failed.failed("tcp.echo.text", {trace_of(bytes_of("hello\n"), {}, StreamEnd::kStalled)})
      .failed("tcp.echo.binary",
              {trace_of(binary, Bytes(binary.begin(), binary.begin() + 502), StreamEnd::kStalled)});
  EXPECT_EQ(ids(control_failed.diagnosed()).count("line-buffered"), 0u);
}

// A server that closes at once sends RST instead of FIN wherever the client's
// bytes arrived before its close(); how many do depends on timing.
TEST(Diagnose, FinsAmongResetsAreACloseAndResetsAloneAreResets) {
  const Bytes text = bytes_of("hello\n");
  Report mixed;
  mixed.failed("tcp.echo.text", {trace_of(text, {}, StreamEnd::kReset)})
      .failed("tcp.echo.binary", {trace_of(text, {}, StreamEnd::kReset)})
      .failed("tcp.echo.nul", {trace_of(text, {}, StreamEnd::kReset)})
      .failed("tcp.timing.before-close", {trace_of(text, {}, StreamEnd::kFin)});
  const TargetReport closes = mixed.diagnosed();
  EXPECT_EQ(ids(closes), std::set<std::string>{"closes-at-once"});
  EXPECT_EQ(diagnosis(closes, "tcp.echo.text"), "closes-at-once");
  EXPECT_NE(closes.findings[0].explanation.find("1 ended with the server's FIN, 3 with RST"),
            std::string::npos)
      << closes.findings[0].explanation;

  Report resets;
  resets.failed("tcp.echo.text", {trace_of(text, {}, StreamEnd::kReset)})
      .failed("tcp.echo.binary", {trace_of(text, {}, StreamEnd::kReset)});
  EXPECT_EQ(ids(resets.diagnosed()), std::set<std::string>{"resets-connections"});
}

TEST(Diagnose, ANulCutNeedsEchoesWithoutANulToWork) {
  const std::string sent("text before a NUL\0and text after it\n", 36);
  Report r;
  r.passed("tcp.echo.text")
      .failed("tcp.echo.nul",
              {trace_of(bytes_of(sent), bytes_of("text before a NUL"), StreamEnd::kStalled)})
      .failed("tcp.echo.binary", {trace_of(up_and_down(), {}, StreamEnd::kStalled)});
  const TargetReport report = r.diagnosed();
  EXPECT_EQ(ids(report), std::set<std::string>{"nul-cut"});
  EXPECT_EQ(diagnosis(report, "tcp.echo.binary"), "nul-cut") << "its first byte is a NUL";

  Report nothing_works;
  nothing_works.failed("tcp.echo.text", {trace_of(bytes_of("hello\n"), {}, StreamEnd::kStalled)})
      .failed("tcp.echo.binary", {trace_of(up_and_down(), {}, StreamEnd::kStalled)});
  nothing_works.target().serving.served_at_start = false;
  EXPECT_EQ(ids(nothing_works.diagnosed()), std::set<std::string>{"no-echo"});
}

TEST(Diagnose, AStreamCutAtTheSameSizeInTwoCasesIsAFixedSize) {
  const PayloadStream payload(5, 5);
  const Bytes big = payload.prefix(200'000);
  const Bytes cut(big.begin(), big.begin() + 65'536);
  Report r;
  r.passed("tcp.echo.text")
      .passed("tcp.echo.two-messages")
      .failed("tcp.segment.large-write", {trace_of(big, cut, StreamEnd::kFin)})
      .failed("tcp.flow.backpressure", {trace_of(big, cut, StreamEnd::kFin)});
  const TargetReport report = r.diagnosed();
  EXPECT_EQ(ids(report), std::set<std::string>{"stream-cut"});
  EXPECT_EQ(report.findings[0].title, "every connection stops after 65,536 bytes");
}

TEST(Diagnose, TheSameStallInTwoCasesIsNoCutWhenALongerStreamCameBackWhole) {
  // ncat --exec /bin/cat: streams stall at 57,344 bytes, a single 1 MiB write passes.
  const PayloadStream payload(5, 5);
  const Bytes big = payload.prefix(200'000);
  const Bytes stalled(big.begin(), big.begin() + 57'344);
  Report r;
  r.passed("tcp.echo.text")
      .passed("tcp.echo.two-messages")
      .passed("tcp.segment.large-write")
      .failed("tcp.segment.random-chunks", {trace_of(big, stalled, StreamEnd::kStalled)})
      .failed("tcp.flow.backpressure", {trace_of(big, stalled, StreamEnd::kStalled)});
  const TargetReport report = r.diagnosed();
  EXPECT_EQ(ids(report).count("stream-cut"), 0u);
  EXPECT_EQ(ids(report).count("stalls"), 1u);

  // Nor when a longer stream failed only after more than that came back.
  const Bytes longer(big.begin(), big.begin() + 150'000);
  Report r2;
  r2.passed("tcp.echo.text")
      .passed("tcp.echo.two-messages")
      .failed("tcp.segment.random-chunks", {trace_of(big, stalled, StreamEnd::kStalled)})
      .failed("tcp.flow.backpressure", {trace_of(big, stalled, StreamEnd::kStalled)})
      .failed("tcp.segment.stream-64mib", {trace_of(big, longer, StreamEnd::kStalled)});
  EXPECT_EQ(ids(r2.diagnosed()).count("stream-cut"), 0u);
}

TEST(Diagnose, TheServerStoppingIsNamedAfterItsCaseAndExplainsTheCasesNotRun) {
  Report r;
  r.passed("tcp.echo.text")
      .failed("tcp.robust.reset-before-read", {}, Level::kRecommended)
      .not_run("tcp.robust.idle-and-half-open",
               "not run: the server stopped serving tcp after tcp.robust.reset-before-read, ...");
  ServingFacts::Stop stop;
  stop.stopped_after = "tcp.robust.reset-before-read";
  stop.running = {"tcp.robust.reset-before-read"};
  stop.refused = true;
  stop.evidence = "a new connection failed: Connection refused";
  r.target().serving.served_at_start = true;
  r.target().serving.stop = stop;
  const TargetReport report = r.diagnosed();
  ASSERT_EQ(ids(report), std::set<std::string>{"server-stopped"});
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.title,
            "the server stopped serving TCP after tcp.robust.reset-before-read: new connections "
            "are refused");
  EXPECT_NE(f.explanation.find("SIGPIPE"), std::string::npos) << f.explanation;
  EXPECT_EQ(f.cases, (std::vector<std::string>{"tcp.robust.reset-before-read",
                                               "tcp.robust.idle-and-half-open"}));
  EXPECT_EQ(f.severity, Finding::Severity::kWarning);
}

TEST(Diagnose, OneClientAtATimeExplainsTheConcurrencyCasesOnly) {
  Report r;
  r.passed("tcp.echo.text")
      .failed("tcp.concurrency.idle-does-not-block",
              {trace_of(bytes_of("third client\n"), {}, StreamEnd::kStalled)}, Level::kRecommended);
  r.target().serving.served_at_start = true;
  r.target().serving.one_client_at_a_time = true;
  const TargetReport report = r.diagnosed();
  EXPECT_EQ(ids(report), std::set<std::string>{"one-client-at-a-time"});
  EXPECT_EQ(diagnosis(report, "tcp.concurrency.idle-does-not-block"), "one-client-at-a-time");
}

TEST(Diagnose, UdpRepliesCutAtOneSize) {
  DatagramTrace t;
  t.sent.push_back(PayloadStream(1, 1).prefix(1472));
  t.replies.push_back({Bytes(t.sent[0].begin(), t.sent[0].begin() + 1024), true});
  DatagramTrace u = t;
  u.sent[0] = PayloadStream(1, 2).prefix(8192);
  u.replies[0].data.assign(u.sent[0].begin(), u.sent[0].begin() + 1024);
  Report r;
  r.passed("udp.echo.text", Transport::kUdp)
      .failed_udp("udp.size.1472", t)
      .failed_udp("udp.size.8192", u);
  const TargetReport report = r.diagnosed();
  ASSERT_EQ(ids(report), std::set<std::string>{"udp-truncated"});
  EXPECT_EQ(report.findings[0].title, "datagrams are cut at 1024 bytes");
  EXPECT_EQ(report.findings[0].cases.size(), 2u);
}

// A port unreachable only after UDP cases passed is a server that went away
// (a hazard case killed it), not one without UDP; with no UDP case passed it is.
TEST(Diagnose, APortClosedOnlyAfterUdpCasesPassedIsNoMissingUdpService) {
  DatagramTrace closed;
  closed.sent.push_back(bytes_of("a datagram"));
  closed.port_unreachable = true;
  Report after_passing;
  after_passing.passed("udp.echo.text", Transport::kUdp).failed_udp("udp.abuse.rate", closed);
  EXPECT_EQ(ids(after_passing.diagnosed()), std::set<std::string>{});
  Report never_open;
  never_open.failed_udp("udp.echo.text", closed).failed_udp("udp.abuse.rate", closed);
  EXPECT_EQ(ids(never_open.diagnosed()), std::set<std::string>{"udp-port-closed"});
}

TEST(Diagnose, FindingsAreSortedErrorsFirst) {
  Report r;
  r.passed("tcp.echo.text")
      .failed("tcp.close.server-closes-after-eof", {[] {
                StreamTrace t =
                    trace_of(bytes_of("bye\n"), bytes_of("bye\n"), StreamEnd::kComplete);
                t.client_shut_down = true;
                t.after = AfterEcho::kNothing;
                return t;
              }()},
              Level::kRecommended)
      .failed("tcp.echo.nothing-else",
              {trace_of(bytes_of("one\ntwo\nthree"), bytes_of("one\r\ntwo\r\nthree"),
                        StreamEnd::kWrong)});
  const TargetReport report = r.diagnosed();
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].id, "newline-to-crlf");
  EXPECT_EQ(report.findings[1].id, "half-close-never-closed");
}

}  // namespace
}  // namespace echo::conformance
