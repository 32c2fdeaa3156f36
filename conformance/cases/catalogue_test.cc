// The whole catalogue against the reference echo-server (IPv4 and IPv6), and
// selected cases against small broken servers, checking verdicts and evidence.
#include "conformance/cases/catalogue.h"

#include <gtest/gtest.h>

#include <chrono>
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
  auto process = ChildProcess::spawn(sibling_program("echo-server"), {"--listen", listen});
  if (!process) return process.error();
  Result<Listening> listening =
      wait_for_listening(*process, Deadline::after(std::chrono::seconds(10)));
  if (!listening) return listening.error();
  return Reference{std::move(*process), listening->tcp.front()};
}

std::vector<const Case*> pick(std::vector<std::string> globs) {
  Selection selection;
  selection.include = std::move(globs);
  auto picked = select_cases(selection);
  EXPECT_TRUE(picked.ok()) << picked.error().message;
  return picked.ok() ? *picked : std::vector<const Case*>{};
}

TargetReport run_against(const Endpoint& endpoint, const std::vector<const Case*>& cases,
                         unsigned jobs = 4) {
  RunOptions options;
  options.seed = 862;
  options.jobs = jobs;
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

void expect_all_pass(const std::string& listen) {
  auto reference = start_reference(listen);
  ASSERT_TRUE(reference.ok()) << reference.error().message;
  std::vector<const Case*> all;
  for (const Case& c : catalogue()) all.push_back(&c);
  const auto start = Clock::now();
  const TargetReport report = run_against(reference->endpoint, all);
  const auto took = Clock::now() - start;
  print_summary(listen.c_str(), report, took);
  for (const auto& r : report.cases) {
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
  std::vector<const Case*> all;
  for (const Case& c : catalogue()) all.push_back(&c);
  const auto start = Clock::now();
  const TargetReport report = run_against((*proxy)->endpoint(), all);
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
  for (const Case& c : catalogue()) all.push_back(&c);
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
    EXPECT_EQ(r.observation.evidence.find("exceeded its deadline"), std::string::npos)
        << r.info.id;
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

}  // namespace
}  // namespace echo::conformance
