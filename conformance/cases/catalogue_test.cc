// The whole catalogue against the reference echo-server (IPv4 and IPv6), and
// selected cases against small broken servers, checking verdicts and evidence.
#include "conformance/cases/catalogue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <set>

#include "conformance/cases/testing/delay_proxy.h"
#include "conformance/cases/testing/toy_server.h"
#include "conformance/runner/runner.h"
#include "core/net/socket.h"
#include "core/process/child_process.h"
#include "core/process/listening_line.h"

namespace echo::conformance {
namespace {

using testing::DelayProxy;
using testing::ToyBehaviour;
using testing::ToyServer;
using Clock = std::chrono::steady_clock;

// Sanitizer builds run several times slower; the bounds below allow for it.
constexpr auto kGoodServerBound = std::chrono::seconds(30);

struct Reference {
  ChildProcess process;
  Endpoint endpoint;
};

// Starts echo-server on loopback port 0 and waits for its tcp and udp lines.
Result<Reference> start_reference(const std::string& listen) {
  ECHO_ASSIGN_OR_RETURN(ChildProcess process,
                        ChildProcess::spawn(sibling_program("echo-server"), {"--listen", listen}));
  ECHO_ASSIGN_OR_RETURN(const Listening listening,
                        wait_for_listening(process, Deadline::after(std::chrono::seconds(10))));
  return Reference{std::move(process), listening.tcp.front()};
}

std::vector<const Case*> pick(std::vector<std::string> globs) {
  Selection selection;
  selection.include = std::move(globs);
  auto picked = select_cases(selection);
  EXPECT_TRUE(picked.ok()) << picked.error().message;
  return picked.ok() ? *picked : std::vector<const Case*>{};
}

TargetReport run_against(const Endpoint& endpoint, const std::vector<const Case*>& cases,
                         unsigned jobs = 4, int stress_connections = 1000) {
  RunOptions options;
  options.seed = 862;
  options.jobs = jobs;
  options.stress_connections = stress_connections;
  return run_cases(cases, {Target{"under test", endpoint, false}}, options).targets.at(0);
}

const CaseResult& result_of(const TargetReport& report, const std::string& id) {
  for (const auto& r : report.cases) {
    if (r.info.id == id) return r;
  }
  throw std::runtime_error("no result for " + id);
}

void print_summary(const char* what, const TargetReport& report, Clock::duration took) {
  std::cout << what << ": " << report.cases.size() << " cases in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  for (const auto& r : report.cases) {
    std::cout << "  " << to_string(r.verdict) << "  " << r.info.id << " (" << r.duration.count()
              << " ms)";
    for (const auto& f : r.observation.figures) {
      std::cout << " " << f.name << "=" << f.value << f.unit;
    }
    std::cout << "\n";
  }
}

// Whether this process may bind ports below 1024 (udp.abuse.loop-guard sends
// from 19 and 7): CAP_NET_BIND_SERVICE, or a lowered unprivileged port start.
bool may_bind_privileged_ports() {
  std::ifstream start("/proc/sys/net/ipv4/ip_unprivileged_port_start");
  int first_unprivileged = 1024;
  start >> first_unprivileged;
  if (first_unprivileged <= 7) return true;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    const unsigned long long effective = std::stoull(line.substr(7), nullptr, 16);
    return (effective >> 10 & 1) != 0;  // CAP_NET_BIND_SERVICE is capability 10
  }
  return false;
}

// Cases that may skip against a correct server, and why: loop-guard without
// the privilege to send from port 19, own-port over IPv6 loopback (::1 is its
// only address, and the server holds the port there).
bool may_skip(const CaseResult& r) {
  if (r.info.id == "udp.abuse.loop-guard") return !may_bind_privileged_ports();
  return r.info.id == "udp.abuse.own-port" &&
         r.observation.evidence.find("::1") != std::string::npos;
}

void expect_all_pass(const std::string& listen) {
  auto reference = start_reference(listen);
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  const std::vector<const Case*> all = pick({});
  const auto start = Clock::now();
  const TargetReport report = run_against(reference->endpoint, all);
  const auto took = Clock::now() - start;
  print_summary(listen.c_str(), report, took);
  for (const auto& r : report.cases) {
    if (r.verdict == Verdict::kSkip && may_skip(r)) continue;
    const Verdict want = r.info.level == Level::kInformational ? Verdict::kInfo : Verdict::kPass;
    EXPECT_EQ(r.verdict, want) << r.info.id << ": " << r.observation.evidence;
  }
  EXPECT_TRUE(report.findings.empty()) << report.findings.front().title;
  EXPECT_LT(took, kGoodServerBound);
}

TEST(CatalogueAgainstServers, ReferenceServerPassesEveryCaseOverIpv4) {
  expect_all_pass("127.0.0.1:0");
}

TEST(CatalogueAgainstServers, ReferenceServerPassesEveryCaseOverIpv6) {
  expect_all_pass("[::1]:0");
}

// Distance is not a defect: the reference server behind a 100 ms round trip
// passes every case; the report gives the round trip and says what it scaled.
TEST(CatalogueAgainstServers, ACorrectServerOneHundredMillisecondsAwayGetsNoWarning) {
  auto reference = start_reference("127.0.0.1:0");
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  auto proxy = DelayProxy::start(reference->endpoint, std::chrono::milliseconds(50));
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  // A relay sends from ports of its own, so what the loop guard cases would
  // see is the relay's behaviour, not the server's.
  Selection selection;
  selection.exclude = {"udp.abuse.loop-guard", "udp.abuse.own-port"};
  const Result<std::vector<const Case*>> all = select_cases(selection);
  ASSERT_TRUE(all.ok()) << all.error().message;
  const auto start = Clock::now();
  const TargetReport report = run_against((*proxy)->endpoint(), *all);
  print_summary("100 ms away", report, Clock::now() - start);
  for (const auto& r : report.cases) {
    const Verdict want = r.info.level == Level::kInformational ? Verdict::kInfo : Verdict::kPass;
    EXPECT_EQ(r.verdict, want) << r.info.id << ": " << r.observation.evidence;
  }
  EXPECT_TRUE(report.findings.empty()) << report.findings.front().title;
  EXPECT_GE(report.serving.round_trip, std::chrono::milliseconds(95));
  ASSERT_FALSE(report.notes.empty());
  EXPECT_NE(report.notes.front().find("round-trip time to the target is 1"), std::string::npos)
      << report.notes.front();
}

TEST(CatalogueAgainstServers, AppendedNewlineFailsNothingElseAndShowsTheExtraByte) {
  auto server = ToyServer::start(ToyBehaviour::kAppendNewline);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report = run_against((*server)->endpoint(), pick({"tcp.echo.*"}));
  EXPECT_EQ(result_of(report, "tcp.echo.text").verdict, Verdict::kPass)
      << "the echo itself is right; only what follows it is wrong";
  const CaseResult& r = result_of(report, "tcp.echo.nothing-else");
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.observation.evidence.find("byte beyond the 48 expected, starting 0a \"\\n\""),
            std::string::npos)
      << r.observation.evidence;
  EXPECT_EQ(r.diagnosis, "extra-bytes");
}

TEST(CatalogueAgainstServers, ServerThatNeverAnswersFailsEveryCaseWithinAMinute) {
  auto server = ToyServer::start(ToyBehaviour::kNeverAnswer);
  ASSERT_TRUE(server.ok()) << server.error().message;
  std::vector<const Case*> all;
  for (const Case& c : catalogue()) all.push_back(&c);  // the opt-in cases too
  const auto start = Clock::now();
  const TargetReport report = run_against((*server)->endpoint(), all);
  const auto took = Clock::now() - start;
  print_summary("never answers", report, took);
  EXPECT_LT(took, std::chrono::seconds(60));
  for (const auto& r : report.cases) {
    if (r.info.level == Level::kRequired) {
      EXPECT_EQ(r.verdict, Verdict::kFail) << r.info.id;
    } else {
      EXPECT_NE(r.verdict, Verdict::kFail) << r.info.id;
      EXPECT_NE(r.verdict, Verdict::kPass) << r.info.id;
    }
    EXPECT_EQ(r.observation.evidence.find("exceeded its deadline"), std::string::npos) << r.info.id;
  }
  const Observation& text = result_of(report, "tcp.echo.text").observation;
  EXPECT_EQ(text.evidence.rfind("timed out after ", 0), 0u) << text.evidence;
  EXPECT_NE(text.evidence.find(" ms waiting for the echo; received 0 of 48 bytes"),
            std::string::npos)
      << text.evidence;
  EXPECT_NE(result_of(report, "udp.echo.text").observation.evidence.find("no reply within 1000 ms"),
            std::string::npos);
  std::set<std::string> ids;
  for (const Finding& f : report.findings) ids.insert(f.id);
  EXPECT_EQ(ids, (std::set<std::string>{"no-echo", "udp-silent"}));
}

TEST(CatalogueAgainstServers, OneClientAtATimeServerGetsItsCasesRunSerially) {
  auto server = ToyServer::start(ToyBehaviour::kOneAtATime);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report =
      run_against((*server)->endpoint(),
                  pick({"tcp.echo.*", "tcp.segment.one-byte-writes", "tcp.timing.before-close"}));
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("ran one at a time"), std::string::npos) << report.notes[0];
  for (const auto& r : report.cases) {
    EXPECT_EQ(r.verdict, Verdict::kPass) << r.info.id << ": " << r.observation.evidence;
  }
}

TEST(CatalogueAgainstServers, OneClientAtATimeServerWarnsOnConcurrency) {
  auto server = ToyServer::start(ToyBehaviour::kOneAtATime);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report =
      run_against((*server)->endpoint(), pick({"tcp.concurrency.idle-does-not-block"}));
  const CaseResult& r = report.cases.at(0);
  EXPECT_EQ(r.verdict, Verdict::kWarn);
  EXPECT_NE(r.observation.evidence.find("a third client was not served"), std::string::npos)
      << r.observation.evidence;
  EXPECT_EQ(r.diagnosis, "one-client-at-a-time");
}

TEST(CatalogueAgainstServers, TargetWithoutUdpServiceFailsUdpCasesAsPortUnreachable) {
  Result<Fd> listener = tcp_listen(Endpoint::loopback_v4(0));
  ASSERT_TRUE(listener.ok()) << listener.error().message;
  Result<Endpoint> bound = local_endpoint(listener->get());
  ASSERT_TRUE(bound.ok());
  const TargetReport report = run_against(*bound, pick({"udp.echo.text"}));
  const CaseResult& r = report.cases.at(0);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.observation.evidence.find("no UDP service at " + bound->to_string()),
            std::string::npos)
      << r.observation.evidence;
  EXPECT_EQ(r.diagnosis, "udp-port-closed");
}

// --- abuse and limits ----------------------------------------------------------

// The toy server answers every datagram, whatever its source port.
TEST(CatalogueAgainstServers, ServerWithoutLoopGuardAnswersItsOwnPortFrom127002) {
  auto server = ToyServer::start(ToyBehaviour::kEcho);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report = run_against((*server)->endpoint(), pick({"udp.abuse.own-port"}));
  const CaseResult& r = report.cases.at(0);
  EXPECT_EQ(r.verdict, Verdict::kWarn) << r.observation.evidence;
  const std::string port = std::to_string((*server)->endpoint().port());
  EXPECT_NE(r.observation.evidence.find("sent from 127.0.0.2:" + port +
                                        " (the server's own port) was answered with its echo"),
            std::string::npos)
      << r.observation.evidence;
  EXPECT_EQ(r.diagnosis, "udp-answers-own-port");
  ASSERT_EQ(r.observation.datagrams.size(), 1u);
  EXPECT_EQ(r.observation.datagrams[0].replies.size(), 1u);
}

TEST(CatalogueAgainstServers, OwnPortOverIpv6LoopbackIsSkippedWithTheReason) {
  auto server = ToyServer::start(ToyBehaviour::kEcho, /*ipv6=*/true);
  if (!server) GTEST_SKIP() << "no IPv6 loopback here: " << server.error().message;
  const TargetReport report = run_against((*server)->endpoint(), pick({"udp.abuse.own-port"}));
  const CaseResult& r = report.cases.at(0);
  EXPECT_EQ(r.verdict, Verdict::kSkip);
  EXPECT_NE(r.observation.evidence.find("IPv6 loopback has one address, ::1"), std::string::npos)
      << r.observation.evidence;
}

// Root (CI) sees the warning; anyone else the skip with how to run it.
TEST(CatalogueAgainstServers, ServerWithoutLoopGuardAnswersChargenAndEchoAsRoot) {
  auto server = ToyServer::start(ToyBehaviour::kEcho);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report = run_against((*server)->endpoint(), pick({"udp.abuse.loop-guard"}));
  const CaseResult& r = report.cases.at(0);
  if (!may_bind_privileged_ports()) {
    EXPECT_EQ(r.verdict, Verdict::kSkip);
    EXPECT_EQ(r.observation.evidence.rfind("needs root to send from port 19 (chargen)", 0), 0u)
        << r.observation.evidence;
    GTEST_SKIP() << "not root: checked the skip only";
  }
  EXPECT_EQ(r.verdict, Verdict::kWarn) << r.observation.evidence;
  EXPECT_NE(r.observation.evidence.find(":19 (chargen) was answered"), std::string::npos)
      << r.observation.evidence;
  EXPECT_NE(r.observation.evidence.find(":7 (echo) was answered"), std::string::npos)
      << r.observation.evidence;
  EXPECT_EQ(r.diagnosis, "udp-reflects-services");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_NE(report.findings[0].explanation.find("CVE-1999-0103"), std::string::npos);
}

// A server that answers no datagram at all: silence toward port 19 proves
// nothing, so the loop guard cases are not judged (and the rate has no figure).
TEST(CatalogueAgainstServers, SilentUdpServerIsNotCreditedWithALoopGuard) {
  auto server = ToyServer::start(ToyBehaviour::kNeverAnswer);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report =
      run_against((*server)->endpoint(), pick({"udp.abuse.own-port", "udp.abuse.loop-guard"}));
  for (const CaseResult& r : report.cases) {
    EXPECT_EQ(r.verdict, Verdict::kNotJudged) << r.info.id << ": " << r.observation.evidence;
    EXPECT_NE(r.observation.evidence.find("was not echoed either"), std::string::npos)
        << r.observation.evidence;
    EXPECT_EQ(r.diagnosis, "udp-silent") << r.info.id;
  }
}

TEST(CatalogueAgainstServers, RateCountsRepliesAndTheSecondSource) {
  auto server = ToyServer::start(ToyBehaviour::kEcho);
  ASSERT_TRUE(server.ok()) << server.error().message;
  const TargetReport report = run_against((*server)->endpoint(), pick({"udp.abuse.rate"}));
  const CaseResult& r = report.cases.at(0);
  print_summary("rate", report, {});
  EXPECT_EQ(r.verdict, Verdict::kInfo);
  EXPECT_TRUE(r.observation.evidence.empty()) << r.observation.evidence;
  auto figure = [&r](const std::string& name) {
    for (const Figure& f : r.observation.figures) {
      if (f.name == name) return f.value;
    }
    ADD_FAILURE() << "no figure " << name;
    return -1.0;
  };
  EXPECT_EQ(figure("sent"), 20000);
  EXPECT_GT(figure("replied"), 0);
  EXPECT_LE(figure("replied"), 20000);
  EXPECT_EQ(figure("second_source_answered"), 1);
  EXPECT_GE(figure("burst_seconds"), 0.99);  // paced over a second
}

// 300 connections: the reference server holds them all; an iterative server one.
TEST(CatalogueAgainstServers, ConnectionLimitCountsWhatTheServerHolds) {
  auto reference = start_reference("127.0.0.1:0");
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  const TargetReport held =
      run_against(reference->endpoint, pick({"tcp.limits.connections"}), 4, 300);
  const CaseResult& all = held.cases.at(0);
  print_summary("limits", held, {});
  EXPECT_EQ(all.verdict, Verdict::kInfo);
  EXPECT_TRUE(all.observation.evidence.empty()) << all.observation.evidence;
  ASSERT_GE(all.observation.figures.size(), 3u);
  EXPECT_EQ(all.observation.figures[1].name, "held");
  EXPECT_EQ(all.observation.figures[1].value, 300);
  EXPECT_EQ(all.observation.figures[2].value, 300) << "still echoing once all were open";

  auto iterative = ToyServer::start(ToyBehaviour::kOneAtATime);
  ASSERT_TRUE(iterative.ok()) << iterative.error().message;
  const TargetReport one =
      run_against((*iterative)->endpoint(), pick({"tcp.limits.connections"}), 4, 300);
  const CaseResult& r = one.cases.at(0);
  EXPECT_EQ(r.verdict, Verdict::kInfo);
  EXPECT_EQ(r.observation.figures[1].value, 1);
  EXPECT_NE(r.observation.evidence.find("held 1 of 300 at once: connection 2 of 300: no echo"),
            std::string::npos)
      << r.observation.evidence;
}

}  // namespace
}  // namespace echo::conformance
